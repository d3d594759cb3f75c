// Private: reading provider JSON bodies with exact money. Amounts are taken from the number's
// text (never through a double), so "0.0184" is 18'400 micro-dollars exactly.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "costs/money.hpp"
#include "local/json_util.hpp"

namespace costs::detail {

/// A number (or a numeric string, as DeepSeek sends) as micro-dollars; nullopt for null/other.
inline std::optional<micro_usd> money_of(simdjson::ondemand::value v) {
  std::string_view text;
  if (!v.get_string().get(text)) return try_parse_usd(text);
  text = v.raw_json_token();
  while (!text.empty() && std::string("\t\n\r ,}]").find(text.back()) != std::string::npos)
    text.remove_suffix(1);
  if (text == "null") return std::nullopt;
  return try_parse_usd(text);
}

/// A body parsed for ondemand iteration: keeps the padded copy alive.
struct json_body {
  explicit json_body(const std::string& text) : padded(text) {}
  bool open(simdjson::ondemand::parser& parser, simdjson::ondemand::object& object) {
    return parse_object(parser, padded, doc, object);
  }
  simdjson::padded_string padded;
  simdjson::ondemand::document doc;
};

}  // namespace costs::detail
