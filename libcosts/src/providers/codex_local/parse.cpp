// Codex rollout lines -> calls (local-formats.md 3.2-3.5).
//
// token_count events carry the thread's running total and the last call. A call counts only
// when the total advanced (re-emitted snapshots count zero); a fork or subagent thread replays
// its parent's history stamped within its first second, which only seeds the running total.
// Cached input is part of input and reasoning part of output, so both are split out here.
#include <algorithm>
#include <cstring>

#include "costs/model_names.hpp"
#include "local/find.hpp"
#include "local/hash.hpp"
#include "local/json_util.hpp"
#include "local/parsers.hpp"

namespace costs::detail {

using namespace simdjson;

namespace {

using usage5 = std::array<std::int64_t, 5>;  // input, cached, output, reasoning, total

bool read_usage(ondemand::value v, usage5& u) {
  u = {};
  const bool ok = each_field(v, [&](std::string_view k, ondemand::value f) {
    if (k == "input_tokens")
      u[0] = as_int(f);
    else if (k == "cached_input_tokens")
      u[1] = as_int(f);
    else if (k == "output_tokens")
      u[2] = as_int(f);
    else if (k == "reasoning_output_tokens")
      u[3] = as_int(f);
    else if (k == "total_tokens")
      u[4] = as_int(f);
  });
  if (u[4] == 0) u[4] = u[0] + u[2];  // older builds omit it
  return ok;
}

// Codex names that are not model ids (reference 3.4).
std::string resolve_model(const std::string& model, std::string_view day) {
  if (model == "gpt-5.3-spark") return "gpt-5.3-codex-spark";
  if (model != "codex-auto-review") return model;
  if (day >= "2026-04-23") return "gpt-5.5";
  if (day >= "2026-03-05") return "gpt-5.4";
  if (day >= "2026-02-05") return "gpt-5.3-codex";
  if (day >= "2025-12-11") return "gpt-5.2-codex";
  if (day >= "2025-11-13") return "gpt-5.1-codex";
  if (day >= "2025-09-15") return "gpt-5-codex";
  return "gpt-5";
}

// Codex writes {"timestamp":"...","type":"<type>",...}: read the type without parsing, so the
// response items that make up most of a rollout are skipped at once. Lines in another key
// order are parsed in full.
std::string_view envelope_type(std::string_view line) {
  constexpr std::string_view start = "{\"timestamp\":\"";
  if (line.substr(0, start.size()) != start) return {};
  const std::size_t close = line.find('"', start.size());
  constexpr std::string_view type_key = ",\"type\":\"";
  if (close == std::string_view::npos || line.substr(close + 1, type_key.size()) != type_key)
    return {};
  const std::size_t begin = close + 1 + type_key.size();
  const std::size_t end = line.find('"', begin);
  return end == std::string_view::npos ? std::string_view{} : line.substr(begin, end - begin);
}

}  // namespace

void parse_codex_line(std::string_view line, std::uint64_t, const file_info& file,
                      file_context& ctx, file_batch& out, ondemand::parser& parser) {
  const std::string_view kind = envelope_type(line);
  if (!kind.empty() && kind != "session_meta" && kind != "turn_context" &&
      !(kind == "event_msg" && contains(line, "\"token_count\"")))
    return;
  if (kind.empty() && !contains(line, "\"token_count\"") && !contains(line, "\"session_meta\"") &&
      !contains(line, "\"turn_context\""))
    return;

  ondemand::document doc;
  ondemand::object obj;
  if (!parse_object(parser, padded(line), doc, obj)) {
    ++out.malformed;
    return;
  }
  std::string time_text, type, payload_type, model_here, id, cwd, provider;
  bool forked_here = false, has_total = false, has_last = false, info_null = true;
  usage5 total{}, last{};
  auto on_info = [&](std::string_view k, ondemand::value v) {
    if (k == "total_token_usage")
      has_total = read_usage(v, total);
    else if (k == "last_token_usage")
      has_last = read_usage(v, last);
    else if (k == "model")
      as_string(v, model_here);
    return true;
  };
  auto on_payload = [&](std::string_view k, ondemand::value v) {
    if (k == "id") {
      as_string(v, id);
    } else if (k == "cwd") {
      as_string(v, cwd);
    } else if (k == "model_provider") {
      as_string(v, provider);
    } else if (k == "forked_from_id") {
      std::string parent;
      if (as_string(v, parent) && !parent.empty()) forked_here = true;
    } else if (k == "source") {  // {"subagent": {"thread_spawn": ...}}: a spawned thread
      return each_field(v, [&](std::string_view sk, ondemand::value) {
        if (sk == "subagent") forked_here = true;
      });
    } else if (k == "type") {
      as_string(v, payload_type);
    } else if (k == "model") {
      as_string(v, model_here);
    } else if (k == "info") {
      bool null_info = false;
      if (!v.is_null().get(null_info) && null_info) return true;
      ondemand::object info;
      if (v.get_object().get(info)) return true;
      info_null = false;
      return each_field(info, on_info);
    }
    return true;
  };
  const bool complete = each_field(obj, [&](std::string_view k, ondemand::value v) {
    if (k == "timestamp")
      as_string(v, time_text);
    else if (k == "type")
      as_string(v, type);
    else if (k == "payload")
      return each_field(v, on_payload);
    return true;
  });
  if (!complete) {
    ++out.malformed;
    return;
  }
  const bool meta = type == "session_meta";
  if (type == "turn_context") {
    if (!model_here.empty()) ctx.model = model_here;
    return;
  }
  if (meta) {
    if (ctx.session_metas == 0) {
      ctx.session = id;
      ctx.project = basename_of(cwd);
      ctx.vendor = provider;
    }
    if (forked_here) ctx.forked = true;
    if (ctx.session_metas == 0) ctx.replay_second = time_text.substr(0, 19);
    if (++ctx.session_metas >= 2) ctx.forked = true;  // child, then parent: a fork
    return;
  }
  if (type != "event_msg" || payload_type != "token_count" || info_null) return;

  // Count last_token_usage only when the running total advanced (ccusage#884, #1288).
  const bool advanced = !has_total || !ctx.has_prev || total != ctx.prev_total;
  usage5 delta{};
  if (has_last && advanced) {
    delta = last;
  } else if (has_total) {
    for (std::size_t i = 0; i < 5; ++i)
      delta[i] = std::max<std::int64_t>(0, total[i] - (ctx.has_prev ? ctx.prev_total[i] : 0));
  } else {
    return;
  }
  if (has_total) {
    ctx.prev_total = total;
    ctx.has_prev = true;
  }
  if (delta[0] == 0 && delta[1] == 0 && delta[2] == 0 && delta[3] == 0) return;
  // A fork's replay of its parent's history: it only seeds the running total.
  if (ctx.forked && !ctx.replay_second.empty() && time_text.compare(0, 19, ctx.replay_second) == 0)
    return;
  ++out.lines_parsed;

  std::string model = !model_here.empty() ? model_here : ctx.model;
  if (model.empty()) model = "gpt-5";  // the earliest logs name no model (reference 3.4)
  model = resolve_model(model, std::string_view(time_text).substr(0, 10));

  const std::int64_t cached = std::min(delta[1], delta[0]);
  local_entry e;
  e.source = local_source::codex;
  // Identical events in two files (an archived copy) are one call (ccusage dedupe_codex_events).
  std::uint64_t h = hash_bytes(time_text, 0xc0de);
  h = hash_bytes(model, h);
  for (auto v : delta) h = hash_int(v, h);
  e.key = h;
  e.at_us = iso_to_us(time_text);
  if (e.at_us < 0) e.at_us = file.mtime_us;
  e.raw_model = out.intern(model);
  e.vendor = out.intern(ctx.vendor.empty() ? std::string(detect_vendor(model)) : ctx.vendor);
  e.agent = out.intern("codex");
  e.project = out.intern(ctx.project);
  e.session = out.intern(ctx.session.empty() ? file.stem : ctx.session);
  e.tokens.input = delta[0] - cached;
  e.tokens.cache_read = cached;
  e.tokens.output = delta[2];
  e.tokens.reasoning = delta[3];
  out.entries.push_back(e);
}

}  // namespace costs::detail
