// OpenClaw transcript entries -> calls (local-formats.md 4.3-4.6).
//
// The model in force comes from model_change and model-snapshot entries; assistant messages
// carry usage and the cost OpenClaw itself computed, which is kept beside ours. Transcript
// artefacts (delivery mirrors, injected gateway rows) are not calls. The key (entry id, time,
// tokens) makes the SQLite and JSONL copies of one call, and /fork copies, one call.
#include <algorithm>

#include "costs/model_names.hpp"
#include "local/find.hpp"
#include "local/hash.hpp"
#include "local/json_util.hpp"
#include "local/parsers.hpp"

namespace costs::detail {

using namespace simdjson;

namespace {

// Messages are most of the bytes; only assistant ones carry usage. Other entry types are short.
bool worth_parsing(std::string_view line) {
  const std::string_view head = line.substr(0, 48);
  if (head.find("\"type\":\"message\"") != std::string_view::npos)
    return contains(line, "\"usage\"");
  return contains(line, "\"usage\"") || contains(line, "model_change") ||
         contains(line, "model-snapshot") || head.find("\"session\"") != std::string_view::npos;
}

}  // namespace

void parse_openclaw_line(std::string_view line, std::uint64_t, const file_info& file,
                         file_context& ctx, file_batch& out, ondemand::parser& parser) {
  if (!worth_parsing(line)) return;
  ondemand::document doc;
  ondemand::object obj;
  if (!parse_object(parser, padded(line), doc, obj)) {
    ++out.malformed;
    return;
  }
  thread_local std::string type, id, time_text, custom_type, provider, model_id;
  thread_local std::string role, msg_provider, msg_model, api, idempotency;
  for (std::string* str : {&type, &id, &time_text, &custom_type, &provider, &model_id, &role,
                           &msg_provider, &msg_model, &api, &idempotency})
    str->clear();
  std::int64_t msg_time_ms = -1, reported = -1;
  std::int64_t input = 0, output = 0, cache_read = 0, cache_write = 0, cache_write_1h = 0,
               reasoning = 0, total_tokens = 0;
  bool has_usage = false;
  auto on_usage = [&](std::string_view k, ondemand::value v) {
    if (k == "input")
      input = as_int(v);
    else if (k == "output")
      output = as_int(v);
    else if (k == "cacheRead")
      cache_read = as_int(v);
    else if (k == "cacheWrite")
      cache_write = as_int(v);
    else if (k == "cacheWrite1h")
      cache_write_1h = as_int(v);
    else if (k == "reasoning")
      reasoning = as_int(v);
    else if (k == "totalTokens" || k == "total")
      total_tokens = as_int(v);
    else if (k == "cost")
      return each_field(v, [&](std::string_view ck, ondemand::value cv) {
        if (ck == "total") reported = as_pico(cv);
      });
    return true;
  };
  auto on_message = [&](std::string_view k, ondemand::value v) {
    if (k == "role")
      as_string(v, role);
    else if (k == "provider")
      as_string(v, msg_provider);
    else if (k == "model" || (k == "modelId" && msg_model.empty()))
      as_string(v, msg_model);
    else if (k == "api")
      as_string(v, api);
    else if (k == "idempotencyKey")
      as_string(v, idempotency);
    else if (k == "timestamp")
      msg_time_ms = as_int(v, -1);
    else if (k == "usage") {
      ondemand::object u;
      if (v.get_object().get(u)) return true;
      has_usage = true;
      return each_field(u, on_usage);
    }
    return true;
  };
  const bool complete = each_field(obj, [&](std::string_view k, ondemand::value v) {
    if (k == "type") {
      as_string(v, type);
    } else if (k == "id") {
      as_string(v, id);
    } else if (k == "timestamp") {
      as_string(v, time_text);
    } else if (k == "cwd") {
      std::string cwd;
      if (as_string(v, cwd)) ctx.project = basename_of(cwd);
    } else if (k == "provider") {
      as_string(v, provider);
    } else if (k == "modelId") {
      as_string(v, model_id);
    } else if (k == "customType") {
      as_string(v, custom_type);
    } else if (k == "data") {  // a model-snapshot's {provider, modelId}
      return each_field(v, [&](std::string_view dk, ondemand::value dv) {
        if (dk == "provider")
          as_string(dv, provider);
        else if (dk == "modelId" || (dk == "model" && model_id.empty()))
          as_string(dv, model_id);
      });
    } else if (k == "message") {
      return each_field(v, on_message);
    }
    return true;
  });
  if (!complete) {
    ++out.malformed;
    return;
  }
  if (type == "session") {
    if (ctx.session.empty()) ctx.session = id;
    return;
  }
  if (type == "model_change" || (type == "custom" && custom_type == "model-snapshot")) {
    if (!model_id.empty()) ctx.model = model_id;
    if (!provider.empty()) ctx.vendor = provider;
    return;
  }
  if (type != "message" || role != "assistant" || !has_usage) return;
  const std::string model = msg_model.empty() ? ctx.model : msg_model;
  const std::string vendor = msg_provider.empty() ? ctx.vendor : msg_provider;
  // Transcript artefacts: copies of delivered text, not model calls (tokscale openclaw.rs).
  if (api == "openclaw-transcript" ||
      (vendor == "openclaw" && (model == "delivery-mirror" || model == "gateway-injected")))
    return;
  // A Codex app-server turn mirrored into the transcript: its rollout is counted instead.
  if (file.mirrored && idempotency.rfind("codex-app-server:", 0) == 0) return;
  input = std::max<std::int64_t>(0, input);  // negative when cache was subtracted upstream
  if (input + output + cache_read + cache_write + cache_write_1h == 0) {
    if (total_tokens <= 0) return;
    output = total_tokens;  // only a total: the remainder goes to output (ccusage)
  }
  ++out.lines_parsed;

  local_entry e;
  e.source = local_source::openclaw;
  std::uint64_t h = hash_bytes(id, 0x0c1a);
  h = hash_int(msg_time_ms, h);
  h = hash_int(input, h);
  e.key = hash_int(output, h);
  e.at_us = iso_to_us(time_text);
  if (e.at_us < 0 && msg_time_ms > 0) e.at_us = msg_time_ms * 1000;
  if (e.at_us < 0) e.at_us = file.mtime_us;
  e.raw_model = out.intern(model);
  e.vendor = out.intern(vendor.empty() ? std::string(detect_vendor(model)) : vendor);
  e.agent = out.intern(file.agent);
  e.project = out.intern(ctx.project);
  e.session = out.intern(file.stem);
  e.task = out.intern(ctx.task);
  e.tokens.input = input;
  e.tokens.output = output;
  e.tokens.cache_read = cache_read;
  e.tokens.cache_write_5m = cache_write;
  e.tokens.cache_write_1h = cache_write_1h;
  e.tokens.reasoning = reasoning;
  e.reported_pico = reported > 0 ? reported : -1;  // 0 means OpenClaw had no price
  out.entries.push_back(e);
}

}  // namespace costs::detail
