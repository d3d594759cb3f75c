// Checks a JSON value against an OpenAPI 3.0 schema: the subset costs-server's document uses
// (type, nullable, enum, properties, required, additionalProperties, items, oneOf). Strict:
// an object field the schema does not list is an error unless it allows more.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace costs::test {

/// Every place `value` breaks `schema`, as "$.path: what is wrong"; empty when it fits.
std::vector<std::string> schema_errors(const nlohmann::json& schema, const nlohmann::json& value);

}  // namespace costs::test
