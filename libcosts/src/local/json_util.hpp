// Private: small simdjson ondemand helpers for the parsers. All are lenient: a missing or
// mistyped field gives the fallback, so only broken JSON counts as malformed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <simdjson.h>

#include "costs/money.hpp"

namespace costs::detail {

inline std::int64_t as_int(simdjson::ondemand::value v, std::int64_t fallback = 0) {
  std::int64_t i;
  if (!v.get_int64().get(i)) return i;
  double d;
  if (!v.get_double().get(d)) return static_cast<std::int64_t>(d);
  return fallback;
}

inline bool as_string(simdjson::ondemand::value v, std::string& out) {
  std::string_view s;
  if (v.get_string().get(s)) return false;
  out.assign(s);
  return true;
}

inline bool as_bool(simdjson::ondemand::value v) {
  bool b;
  return !v.get_bool().get(b) && b;
}

/// A JSON number as exact pico-dollars (from its text, never through a double); -1 if not one.
inline std::int64_t as_pico(simdjson::ondemand::value v) {
  std::string_view raw = v.raw_json_token();
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' ||
                          raw.back() == '\t' || raw.back() == ',' || raw.back() == '}'))
    raw.remove_suffix(1);
  try {
    return parse_usd_pico(raw).value;
  } catch (...) {
    return -1;
  }
}

/// Calls `on_field(key, value)` for each field of `object`, in document order. The callback
/// may return false to report broken JSON below it. Returns false when the JSON is broken.
template <typename F>
bool each_field(simdjson::ondemand::object object, F&& on_field) {
  for (auto field_result : object) {
    simdjson::ondemand::field field;
    std::string_view key;
    if (std::move(field_result).get(field) || field.unescaped_key().get(key)) return false;
    if constexpr (std::is_same_v<
                      std::invoke_result_t<F&, std::string_view, simdjson::ondemand::value>,
                      bool>) {
      if (!on_field(key, field.value())) return false;
    } else {
      on_field(key, field.value());
    }
  }
  return true;
}

/// The same for a value expected to be an object; another type is skipped (not broken).
template <typename F>
bool each_field(simdjson::ondemand::value value, F&& on_field) {
  simdjson::ondemand::object object;
  if (value.get_object().get(object)) return true;
  return each_field(object, std::forward<F>(on_field));
}

/// Parses a line into its top-level object; false when it is not JSON.
inline bool parse_object(simdjson::ondemand::parser& parser, simdjson::padded_string_view line,
                         simdjson::ondemand::document& doc, simdjson::ondemand::object& object) {
  return !parser.iterate(line).get(doc) && !doc.get_object().get(object);
}

inline std::string basename_of(std::string_view path) {
  while (path.size() > 1 && (path.back() == '/' || path.back() == '\\')) path.remove_suffix(1);
  const auto slash = path.find_last_of("/\\");
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace costs::detail
