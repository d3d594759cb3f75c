// OpenClaw's gateway log -> calls. The log is tslog's JSON lines: numbered arguments "0", "1",
// ..., `_meta` and `time`, and in newer versions `message`, `agent_id` and `session_id` at the
// top. Released versions write no token counts there (model usage is an in-process diagnostic
// event); a line carries a call only where a plugin or a logging setup writes that event, the
// shape docs/openclaw-gateway-log.md pins down:
//
//   {"0":"model.usage","1":{"type":"model.usage","sessionId":"...","provider":"anthropic",
//    "model":"claude-opus-4-7","usage":{"input":..,"output":..,"cacheRead":..,"cacheWrite":..},
//    "costUsd":0.0123,"ts":1791964689655},"_meta":{...},"time":"2026-10-14T07:58:09.660Z"}
//
// or the same fields at the top of the line. A call whose session has a transcript is counted
// from the transcript (the scan drops its log copy), so nothing counts twice.
#include "costs/model_names.hpp"
#include "local/agent.hpp"
#include "local/discovery.hpp"
#include "local/find.hpp"
#include "local/hash.hpp"
#include "local/json_util.hpp"
#include "local/parsers.hpp"

namespace costs::detail {

using namespace simdjson;

namespace {

// What one usage record says; fields found at the top of the line fill what the record lacks.
struct usage_record {
  std::string type, provider, model, session, agent, time_text;
  std::int64_t ts_ms = -1, input = 0, output = 0, cache_read = 0, cache_write = 0, total = 0;
  std::int64_t reported = -1;
  bool has_usage = false;
};

bool read_usage(ondemand::value v, usage_record& r) {
  r.has_usage = true;
  return each_field(v, [&](std::string_view k, ondemand::value u) {
    if (k == "input" || k == "input_tokens" || k == "inputTokens" || k == "promptTokens")
      r.input = as_int(u);
    else if (k == "output" || k == "output_tokens" || k == "outputTokens")
      r.output = as_int(u);
    else if (k == "cacheRead" || k == "cache_read_input_tokens" || k == "cacheReadTokens")
      r.cache_read = as_int(u);
    else if (k == "cacheWrite" || k == "cache_creation_input_tokens" || k == "cacheWriteTokens")
      r.cache_write = as_int(u);
    else if (k == "total" || k == "totalTokens" || k == "total_tokens")
      r.total = as_int(u);
    else if (k == "cost")
      return each_field(u, [&](std::string_view ck, ondemand::value cv) {
        if (ck == "total") r.reported = as_pico(cv);
      });
    return true;
  });
}

// The fields of a record (or of the line itself) that name a call.
bool read_record(std::string_view k, ondemand::value v, usage_record& r) {
  if (k == "type")
    as_string(v, r.type);
  else if (k == "provider")
    as_string(v, r.provider);
  else if (k == "model" || k == "modelId")
    as_string(v, r.model);
  else if (k == "sessionId" || k == "session_id")
    as_string(v, r.session);
  else if (k == "agentId" || k == "agent_id")
    as_string(v, r.agent);
  else if (k == "ts")
    r.ts_ms = as_int(v, -1);
  else if (k == "time" || k == "timestamp")
    as_string(v, r.time_text);
  else if (k == "costUsd" || k == "cost_usd")
    r.reported = as_pico(v);
  else if (k == "usage")
    return read_usage(v, r);
  return true;
}

bool is_argument(std::string_view key) {
  return !key.empty() && key.size() <= 2 && key.find_first_not_of("0123456789") == key.npos;
}

}  // namespace

void parse_openclaw_gateway_line(std::string_view line, std::uint64_t, const file_info& file,
                                 file_context&, file_batch& out, ondemand::parser& parser) {
  ondemand::document doc;
  ondemand::object obj;
  if (!parse_object(parser, padded(line), doc, obj)) {
    ++out.malformed;
    return;
  }
  usage_record top, arg;
  bool found_in_argument = false;
  const bool complete = each_field(obj, [&](std::string_view k, ondemand::value v) {
    if (is_argument(k)) {
      ondemand::object o;
      if (found_in_argument || v.get_object().get(o)) return true;  // a text argument
      usage_record candidate;
      if (!each_field(o, [&](std::string_view ak, ondemand::value av) {
            return read_record(ak, av, candidate);
          }))
        return false;
      if (candidate.has_usage) {
        arg = std::move(candidate);
        found_in_argument = true;
      }
      return true;
    }
    if (k == "_meta")
      return each_field(v, [&](std::string_view mk, ondemand::value mv) {
        if (mk == "date" && top.time_text.empty()) as_string(mv, top.time_text);
        return true;
      });
    return read_record(k, v, top);
  });
  if (!complete) {
    ++out.malformed;
    return;
  }
  usage_record& r = found_in_argument ? arg : top;
  if (!r.has_usage) return;  // a line that mentions usage without carrying any
  if (!r.type.empty() && r.type != "model.usage") return;
  if (r.session.empty()) r.session = top.session;
  if (r.agent.empty()) r.agent = top.agent;
  if (r.time_text.empty()) r.time_text = top.time_text;
  if (r.model.empty()) {
    ++out.malformed;  // a usage record that names no model cannot be priced or grouped
    return;
  }
  std::int64_t input = std::max<std::int64_t>(0, r.input);
  std::int64_t output = std::max<std::int64_t>(0, r.output);
  if (input + output + r.cache_read + r.cache_write == 0) {
    if (r.total <= 0) return;
    output = r.total;  // only a total: the remainder goes to output, as for transcripts
  }
  ++out.lines_parsed;

  local_entry e;
  e.source = local_source::openclaw;
  e.flags = local_entry::from_gateway_log;
  e.key = hash_bytes(line, 0x6a7e);  // the same line read again is the same call
  e.at_us = r.ts_ms > 0 ? r.ts_ms * 1000 : iso_to_us(r.time_text);
  if (e.at_us < 0) e.at_us = file.mtime_us;
  // "anthropic/claude-opus-4-7": the provider is the part before the slash.
  std::string model = r.model, vendor = r.provider;
  if (const auto slash = model.find('/'); slash != std::string::npos && vendor.empty()) {
    vendor = model.substr(0, slash);
    model.erase(0, slash + 1);
  }
  e.raw_model = out.intern(model);
  e.vendor = out.intern(vendor.empty() ? std::string(detect_vendor(model)) : vendor);
  e.agent = out.intern(r.agent);
  e.session = out.intern(r.session);
  e.tokens.input = input;
  e.tokens.output = output;
  e.tokens.cache_read = std::max<std::int64_t>(0, r.cache_read);
  e.tokens.cache_write_5m = std::max<std::int64_t>(0, r.cache_write);
  e.reported_pico = r.reported > 0 ? r.reported : -1;
  out.entries.push_back(e);
}

std::vector<std::filesystem::path> openclaw_gateway_logs(const std::filesystem::path& state_root) {
  namespace fs = std::filesystem;
  std::vector<fs::path> out;
  std::error_code ec;
  // OPENCLAW_LOG_PATH names the log (a file, or a directory of rolling openclaw-*.log files such
  // as OpenClaw's default /tmp/openclaw); without it, the state directory's log.
  if (const auto named = env_dirs("OPENCLAW_LOG_PATH"); !named.empty()) {
    const fs::path p = named.front();
    if (fs::is_directory(p, ec)) {
      for (const auto& entry : fs::directory_iterator(p, ec)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file(ec) && name.rfind("openclaw", 0) == 0 && ends_with(name, ".log"))
          out.push_back(entry.path());
      }
    } else if (fs::is_regular_file(p, ec)) {
      out.push_back(p);
    }
    return out;
  }
  if (state_root.empty()) return out;
  for (const fs::path& p : {state_root / "logs" / "openclaw.log", state_root / "openclaw.log"})
    if (fs::is_regular_file(p, ec)) out.push_back(p);
  return out;
}

// Read with the gateway parser; only lines that mention usage are parsed at all.
const local_agent openclaw_gateway_format{local_source::openclaw,
                                          "OpenClaw's gateway log",
                                          "\"usage\"",
                                          nullptr,
                                          nullptr,
                                          parse_openclaw_gateway_line,
                                          nullptr};

}  // namespace costs::detail
