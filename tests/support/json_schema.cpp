#include "support/json_schema.hpp"

#include <algorithm>

namespace costs::test {
namespace {

using json = nlohmann::json;

bool has_type(const json& value, const std::string& type) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  return false;
}

void check(const json& schema, const json& value, const std::string& at,
           std::vector<std::string>& errors) {
  if (value.is_null()) {
    if (!schema.value("nullable", false) && schema.contains("type"))
      errors.push_back(at + ": null, and the schema does not allow it");
    return;
  }
  if (schema.contains("oneOf")) {
    std::size_t fits = 0;
    for (const auto& option : schema["oneOf"]) {
      std::vector<std::string> e;
      check(option, value, at, e);
      fits += e.empty();
    }
    if (fits != 1)
      errors.push_back(at + ": fits " + std::to_string(fits) + " of the oneOf schemas, not 1");
    return;
  }
  if (!schema.contains("type")) return;  // any shape
  const std::string type = schema["type"];
  if (!has_type(value, type)) {
    errors.push_back(at + ": " + value.type_name() + ", not " + type);
    return;
  }
  if (schema.contains("enum") &&
      std::find(schema["enum"].begin(), schema["enum"].end(), value) == schema["enum"].end())
    errors.push_back(at + ": " + value.dump() + " is not one of " + schema["enum"].dump());
  if (type == "array" && schema.contains("items"))
    for (std::size_t i = 0; i < value.size(); ++i)
      check(schema["items"], value[i], at + "[" + std::to_string(i) + "]", errors);
  if (type != "object") return;
  const json properties = schema.value("properties", json::object());
  for (const auto& name : schema.value("required", json::array()))
    if (!value.contains(name.get<std::string>()))
      errors.push_back(at + ": no field " + name.get<std::string>());
  const json more = schema.value("additionalProperties", json(true));
  for (const auto& [name, field] : value.items()) {
    if (properties.contains(name))
      check(properties[name], field, at + "." + name, errors);
    else if (more.is_object())
      check(more, field, at + "." + name, errors);
    else if (more == false)
      errors.push_back(at + ": field " + name + " is not in the schema");
  }
}

}  // namespace

std::vector<std::string> schema_errors(const nlohmann::json& schema, const nlohmann::json& value) {
  std::vector<std::string> errors;
  check(schema, value, "$", errors);
  return errors;
}

}  // namespace costs::test
