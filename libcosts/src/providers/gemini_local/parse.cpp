// Gemini CLI chat records -> calls (local-formats.md 5.1).
//
// A message is appended again each time it is updated, so the last record of an id wins.
// `input` includes the cached part when `total` is the inclusive sum; thoughts are billed as
// output.
#include "costs/model_names.hpp"
#include "local/find.hpp"
#include "local/hash.hpp"
#include "local/json_util.hpp"
#include "local/parsers.hpp"

namespace costs::detail {

using namespace simdjson;

namespace {

void emit(const std::string& id, const std::string& type, const std::string& model,
          const std::string& time_text, const std::int64_t (&tok)[6], const file_info& file,
          const file_context& ctx, file_batch& out) {
  if (type != "gemini" || id.empty()) return;
  const std::int64_t input = tok[0], output = tok[1], cached = tok[2], thoughts = tok[3],
                     tool = tok[4], total = tok[5];
  if (input + output + cached + thoughts + tool == 0) return;
  ++out.lines_parsed;
  local_entry e;
  e.source = local_source::gemini;
  const std::string session = ctx.session.empty() ? file.stem : ctx.session;
  e.key = hash_bytes(id, hash_bytes(session, 0x6e));
  e.at_us = iso_to_us(time_text);
  if (e.at_us < 0) e.at_us = file.mtime_us;
  const bool inclusive = total == input + output + thoughts + tool;
  e.tokens.input = (inclusive ? input - cached : input) + tool;
  e.tokens.cache_read = cached;
  e.tokens.output = output + thoughts;
  e.tokens.reasoning = thoughts;
  e.raw_model = out.intern(model);
  e.vendor = out.intern("google");
  e.agent = out.intern("gemini");
  e.project = out.intern(ctx.project);
  e.session = out.intern(session);
  out.entries.push_back(e);
}

// Reads one message record's fields; returns false on broken JSON.
bool read_message(ondemand::object obj, std::string& id, std::string& type, std::string& model,
                  std::string& time_text, std::int64_t (&tok)[6], std::string* session,
                  std::string* project, bool* is_update) {
  for (auto f_result : obj) {
    ondemand::field f;
    std::string_view k;
    if (std::move(f_result).get(f) || f.unescaped_key().get(k)) return false;
    ondemand::value v = f.value();
    if (k == "id")
      as_string(v, id);
    else if (k == "type")
      as_string(v, type);
    else if (k == "model")
      as_string(v, model);
    else if (k == "timestamp")
      as_string(v, time_text);
    else if (k == "sessionId" && session)
      as_string(v, *session);
    else if (k == "projectHash" && project)
      as_string(v, *project);
    else if ((k == "$set" || k == "$rewindTo") && is_update)
      *is_update = true;
    else if (k == "tokens") {
      ondemand::object t;
      if (v.get_object().get(t)) continue;
      for (auto tf_result : t) {
        ondemand::field tf;
        std::string_view tk;
        if (std::move(tf_result).get(tf) || tf.unescaped_key().get(tk)) return false;
        if (tk == "input")
          tok[0] = as_int(tf.value());
        else if (tk == "output")
          tok[1] = as_int(tf.value());
        else if (tk == "cached")
          tok[2] = as_int(tf.value());
        else if (tk == "thoughts")
          tok[3] = as_int(tf.value());
        else if (tk == "tool")
          tok[4] = as_int(tf.value());
        else if (tk == "total")
          tok[5] = as_int(tf.value());
      }
    }
  }
  return true;
}

}  // namespace

void parse_gemini_line(std::string_view line, std::uint64_t, const file_info& file,
                       file_context& ctx, file_batch& out, ondemand::parser& parser) {
  const bool metadata = contains(line, "\"sessionId\"");
  if (!metadata && !contains(line, "\"tokens\"")) return;
  ondemand::document doc;
  ondemand::object obj;
  if (parser.iterate(padded(line)).get(doc) || doc.get_object().get(obj)) {
    ++out.malformed;
    return;
  }
  std::string id, type, model, time_text, session, project;
  std::int64_t tok[6] = {0, 0, 0, 0, 0, 0};
  bool is_update = false;
  if (!read_message(obj, id, type, model, time_text, tok, &session, &project, &is_update)) {
    ++out.malformed;
    return;
  }
  if (is_update) return;  // $set may hold a whole messages array: never count it
  if (!session.empty() && type.empty()) {
    ctx.session = session;
    if (!project.empty()) ctx.project = project;
    return;
  }
  emit(id, type, model, time_text, tok, file, ctx, out);
}

void parse_gemini_document(std::string_view text, const file_info& file, file_batch& out,
                           ondemand::parser& parser) {
  ondemand::document doc;
  ondemand::object obj;
  if (parser.iterate(padded(text)).get(doc) || doc.get_object().get(obj)) {
    ++out.malformed;
    return;
  }
  file_context ctx;
  for (auto f_result : obj) {
    ondemand::field f;
    std::string_view k;
    if (std::move(f_result).get(f) || f.unescaped_key().get(k)) {
      ++out.malformed;
      return;
    }
    if (k == "sessionId") {
      as_string(f.value(), ctx.session);
    } else if (k == "projectHash") {
      as_string(f.value(), ctx.project);
    } else if (k == "messages") {
      ondemand::array messages;
      if (f.value().get_array().get(messages)) continue;
      for (auto m_result : messages) {
        ondemand::object m;
        if (m_result.get_object().get(m)) continue;
        std::string id, type, model, time_text;
        std::int64_t tok[6] = {0, 0, 0, 0, 0, 0};
        if (!read_message(m, id, type, model, time_text, tok, nullptr, nullptr, nullptr)) {
          ++out.malformed;
          return;
        }
        emit(id, type, model, time_text, tok, file, ctx, out);
      }
    }
  }
}

}  // namespace costs::detail
