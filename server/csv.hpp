// An API answer's table as CSV (RFC 4180), for `format=csv`: the rows a spreadsheet wants, with
// money in exact dollars rather than micro-dollars.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace costs::server {

/// The answer's table as CSV: its "rows", else its one array of objects ("providers", "pairs").
/// Nested objects become columns joined by '_' (tokens.input: tokens_input); a `*_micro_usd`
/// integer becomes a `*_usd` decimal ("12.345678"); null is an empty cell; text that a
/// spreadsheet would run as a formula (=, +, -, @ first) is given a leading apostrophe.
/// nullopt when the answer holds no table.
std::optional<std::string> answer_as_csv(const nlohmann::json& answer);

}  // namespace costs::server
