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
  return each_field(obj, [&](std::string_view k, ondemand::value v) {
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
    else if (k == "tokens")
      return each_field(v, [&](std::string_view tk, ondemand::value tv) {
        static constexpr std::string_view names[6] = {"input",    "output", "cached",
                                                      "thoughts", "tool",   "total"};
        for (std::size_t i = 0; i < 6; ++i)
          if (tk == names[i]) tok[i] = as_int(tv);
      });
    return true;
  });
}

}  // namespace

void parse_gemini_line(std::string_view line, std::uint64_t, const file_info& file,
                       file_context& ctx, file_batch& out, ondemand::parser& parser) {
  const bool metadata = contains(line, "\"sessionId\"");
  if (!metadata && !contains(line, "\"tokens\"")) return;
  ondemand::document doc;
  ondemand::object obj;
  if (!parse_object(parser, padded(line), doc, obj)) {
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
  if (!parse_object(parser, padded(text), doc, obj)) {
    ++out.malformed;
    return;
  }
  file_context ctx;
  const bool complete = each_field(obj, [&](std::string_view k, ondemand::value v) {
    if (k == "sessionId") {
      as_string(v, ctx.session);
    } else if (k == "projectHash") {
      as_string(v, ctx.project);
    } else if (k == "messages") {
      ondemand::array messages;
      if (v.get_array().get(messages)) return true;
      for (auto m_result : messages) {
        ondemand::object m;
        if (m_result.get_object().get(m)) continue;
        std::string id, type, model, time_text;
        std::int64_t tok[6] = {0, 0, 0, 0, 0, 0};
        if (!read_message(m, id, type, model, time_text, tok, nullptr, nullptr, nullptr))
          return false;
        emit(id, type, model, time_text, tok, file, ctx, out);
      }
    }
    return true;
  });
  if (!complete) ++out.malformed;
}

}  // namespace costs::detail
