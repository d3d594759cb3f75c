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
  if (parser.iterate(padded(line)).get(doc) || doc.get_object().get(obj)) {
    ++out.malformed;
    return;
  }
  // Reused across lines: no allocation per line once they have grown.
  thread_local std::string type, msg_id, model, request_id, session, cwd, time_text, speed;
  for (std::string* str : {&type, &msg_id, &model, &request_id, &session, &cwd, &time_text, &speed})
    str->clear();
  bool sidechain = false, api_error = false, has_usage = false, has_input = false,
       has_output = false;
  bool has_split = false;
  std::int64_t reported = -1;
  token_counts t;
  std::int64_t cache_creation_total = 0;
  for (auto field_result : obj) {
    ondemand::field field;
    std::string_view key;
    if (std::move(field_result).get(field) || field.unescaped_key().get(key)) {
      ++out.malformed;
      return;
    }
    ondemand::value v = field.value();
    if (key == "type") {
      as_string(v, type);
    } else if (key == "isSidechain") {
      sidechain = as_bool(v);
    } else if (key == "sessionId") {
      as_string(v, session);
    } else if (key == "cwd") {
      as_string(v, cwd);
    } else if (key == "requestId") {
      as_string(v, request_id);
    } else if (key == "timestamp") {
      as_string(v, time_text);
    } else if (key == "isApiErrorMessage") {
      api_error = as_bool(v);
    } else if (key == "costUSD") {
      reported = as_pico(v);
    } else if (key == "message") {
      ondemand::object message;
      if (v.get_object().get(message)) continue;
      for (auto mf_result : message) {
        ondemand::field mf;
        std::string_view mkey;
        if (std::move(mf_result).get(mf) || mf.unescaped_key().get(mkey)) {
          ++out.malformed;
          return;
        }
        if (mkey == "id") {
          as_string(mf.value(), msg_id);
        } else if (mkey == "model") {
          as_string(mf.value(), model);
        } else if (mkey == "usage") {
          ondemand::object usage;
          if (mf.value().get_object().get(usage)) continue;
          has_usage = true;
          for (auto uf_result : usage) {
            ondemand::field uf;
            std::string_view ukey;
            if (std::move(uf_result).get(uf) || uf.unescaped_key().get(ukey)) {
              ++out.malformed;
              return;
            }
            if (ukey == "input_tokens") {
              t.input = as_int(uf.value());
              has_input = true;
            } else if (ukey == "output_tokens") {
              t.output = as_int(uf.value());
              has_output = true;
            } else if (ukey == "cache_creation_input_tokens") {
              cache_creation_total = as_int(uf.value());
            } else if (ukey == "cache_read_input_tokens") {
              t.cache_read = as_int(uf.value());
            } else if (ukey == "speed") {
              as_string(uf.value(), speed);
            } else if (ukey == "cache_creation") {
              ondemand::object split;
              if (uf.value().get_object().get(split)) continue;
              for (auto sf_result : split) {
                ondemand::field sf;
                std::string_view skey;
                if (std::move(sf_result).get(sf) || sf.unescaped_key().get(skey)) {
                  ++out.malformed;
                  return;
                }
                if (skey == "ephemeral_5m_input_tokens") {
                  t.cache_write_5m = as_int(sf.value());
                  has_split = true;
                } else if (skey == "ephemeral_1h_input_tokens") {
                  t.cache_write_1h = as_int(sf.value());
                  has_split = true;
                }
              }
            }
          }
        }
      }
    }
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
    e.key = hash_int(static_cast<std::int64_t>(offset),
                     hash_bytes(file.path, 0xf11e));  // never deduped
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
