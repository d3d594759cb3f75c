// Claude Code transcript lines -> calls (local-formats.md 2.3-2.6).
//
// Each content block of a response is its own line with the same message.id and requestId;
// the ledger keeps the copy with the largest total (the final one). Synthetic and API-error
// lines are skipped.
#include "costs/model_names.hpp"
#include "local/hash.hpp"
#include "local/json_util.hpp"
#include "local/parsers.hpp"

namespace costs::detail {

using namespace simdjson;

void parse_claude_line(std::string_view line, std::uint64_t offset, const file_info& file,
                       file_context&, file_batch& out, ondemand::parser& parser) {
  ondemand::document doc;
  ondemand::object obj;
  if (!parse_object(parser, padded(line), doc, obj)) {
    ++out.malformed;
    return;
  }
  // Reused across lines: no allocation per line once they have grown.
  thread_local std::string type, msg_id, model, request_id, session, cwd, time_text, speed;
  for (std::string* s : {&type, &msg_id, &model, &request_id, &session, &cwd, &time_text, &speed})
    s->clear();
  bool sidechain = false, api_error = false, has_usage = false, has_input = false;
  bool has_output = false, has_split = false;
  std::int64_t reported = -1, cache_creation_total = 0;
  token_counts t;

  auto on_usage = [&](std::string_view k, ondemand::value v) {
    if (k == "input_tokens") {
      t.input = as_int(v);
      has_input = true;
    } else if (k == "output_tokens") {
      t.output = as_int(v);
      has_output = true;
    } else if (k == "cache_creation_input_tokens") {
      cache_creation_total = as_int(v);
    } else if (k == "cache_read_input_tokens") {
      t.cache_read = as_int(v);
    } else if (k == "speed") {
      as_string(v, speed);
    } else if (k == "cache_creation") {
      return each_field(v, [&](std::string_view sk, ondemand::value sv) {
        if (sk == "ephemeral_5m_input_tokens") {
          t.cache_write_5m = as_int(sv);
          has_split = true;
        } else if (sk == "ephemeral_1h_input_tokens") {
          t.cache_write_1h = as_int(sv);
          has_split = true;
        }
      });
    }
    return true;
  };
  auto on_message = [&](std::string_view k, ondemand::value v) {
    if (k == "id") {
      as_string(v, msg_id);
    } else if (k == "model") {
      as_string(v, model);
    } else if (k == "usage") {
      ondemand::object usage;
      if (v.get_object().get(usage)) return true;
      has_usage = true;
      return each_field(usage, on_usage);
    }
    return true;
  };
  const bool complete = each_field(obj, [&](std::string_view k, ondemand::value v) {
    if (k == "type")
      as_string(v, type);
    else if (k == "isSidechain")
      sidechain = as_bool(v);
    else if (k == "sessionId")
      as_string(v, session);
    else if (k == "cwd")
      as_string(v, cwd);
    else if (k == "requestId")
      as_string(v, request_id);
    else if (k == "timestamp")
      as_string(v, time_text);
    else if (k == "isApiErrorMessage")
      api_error = as_bool(v);
    else if (k == "costUSD")
      reported = as_pico(v);
    else if (k == "message")
      return each_field(v, on_message);
    return true;
  });
  if (!complete) {
    ++out.malformed;
    return;
  }
  if (type != "assistant" || !has_usage) return;  // a user line that merely mentions usage
  if (model == "<synthetic>" || api_error) return;
  if (!has_input || !has_output) {
    ++out.malformed;
    return;
  }
  if (!has_split) {
    t.cache_write_5m = cache_creation_total;
    t.cache_write_1h = 0;
  }
  ++out.lines_parsed;

  local_entry e;
  e.source = local_source::claude;
  if (!msg_id.empty()) {
    e.key = hash_bytes(request_id, hash_bytes(msg_id, 0xc1a0de));
    e.alt_key = hash_bytes(msg_id, 0xa17);
  } else {
    // No id: never deduped, but the same bytes read again are the same call.
    e.key = hash_int(static_cast<std::int64_t>(offset), hash_bytes(file.path, 0xf11e));
  }
  e.at_us = iso_to_us(time_text);
  if (e.at_us < 0) e.at_us = file.mtime_us;
  e.raw_model = out.intern(model);
  e.vendor = out.vendor_of(model);
  e.agent = out.intern("claude");
  e.project = out.intern(basename_of(cwd));
  e.session = out.intern(session);
  e.tokens = t;
  e.reported_pico = reported;
  if (sidechain) e.flags |= local_entry::sidechain;
  if (!speed.empty()) e.flags |= local_entry::has_speed;
  if (speed == "fast") e.flags |= local_entry::fast;
  out.entries.push_back(e);
}

}  // namespace costs::detail
