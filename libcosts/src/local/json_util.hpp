// Private: small simdjson ondemand helpers for the parsers. All are lenient: a missing or
// mistyped field gives the fallback, so only broken JSON counts as malformed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

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

inline std::string basename_of(std::string_view path) {
  while (path.size() > 1 && (path.back() == '/' || path.back() == '\\')) path.remove_suffix(1);
  const auto slash = path.find_last_of("/\\");
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace costs::detail
