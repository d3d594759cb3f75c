#include "csv.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "costs/money.hpp"

namespace costs::server {
namespace {

using json = nlohmann::json;

constexpr std::string_view micro_suffix = "_micro_usd";

const json* table_of(const json& answer) {
  if (!answer.is_object()) return nullptr;
  auto is_table = [](const json& v) {
    if (!v.is_array()) return false;
    for (const json& row : v)
      if (!row.is_object()) return false;
    return true;
  };
  if (const auto rows = answer.find("rows"); rows != answer.end() && is_table(*rows)) return &*rows;
  const json* only = nullptr;
  for (const auto& [key, value] : answer.items()) {
    if (!is_table(value)) continue;
    if (only != nullptr) return nullptr;  // two tables: which one is not ours to guess
    only = &value;
  }
  return only;
}

// One row's cells by column name, nested objects flattened.
void flatten(const json& value, const std::string& prefix,
             std::vector<std::pair<std::string, const json*>>& out) {
  for (const auto& [key, v] : value.items()) {
    const std::string name = prefix.empty() ? key : prefix + "_" + key;
    if (v.is_object())
      flatten(v, name, out);
    else
      out.emplace_back(name, &v);
  }
}

bool is_money(const std::string& column) {
  return column.size() > micro_suffix.size() &&
         column.compare(column.size() - micro_suffix.size(), micro_suffix.size(), micro_suffix) ==
             0;
}

std::string header_of(const std::string& column) {
  return is_money(column) ? column.substr(0, column.size() - micro_suffix.size()) + "_usd" : column;
}

std::string quoted(std::string text) {
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@'))
    text.insert(0, 1, '\'');
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string cell(const std::string& column, const json* v) {
  if (v == nullptr || v->is_null()) return "";
  if (v->is_string()) return quoted(v->get<std::string>());
  if (is_money(column) && v->is_number_integer())
    return to_decimal_string(micro_usd{v->get<std::int64_t>()});
  if (v->is_boolean()) return v->get<bool>() ? "true" : "false";
  if (v->is_number()) return v->dump();
  return quoted(v->dump());  // an array: its JSON, in one cell
}

}  // namespace

std::optional<std::string> answer_as_csv(const json& answer) {
  const json* table = table_of(answer);
  if (table == nullptr) return std::nullopt;
  std::vector<std::vector<std::pair<std::string, const json*>>> rows;
  std::vector<std::string> columns;  // in the order they first appear
  for (const json& row : *table) {
    rows.emplace_back();
    flatten(row, "", rows.back());
    for (const auto& [name, value] : rows.back()) {
      bool known = false;
      for (const auto& c : columns) known = known || c == name;
      if (!known) columns.push_back(name);
    }
  }
  // What a row is about comes first; the figures follow in the answer's (alphabetical) order.
  static const std::vector<std::string> leading = {"date",  "hour",    "provider",      "key",
                                                   "label", "host",    "vendor",        "model",
                                                   "agent", "service", "resource_group"};
  std::stable_sort(columns.begin(), columns.end(), [](const std::string& a, const std::string& b) {
    auto rank = [](const std::string& c) {
      const auto at = std::find(leading.begin(), leading.end(), c);
      return static_cast<std::size_t>(at - leading.begin());
    };
    return rank(a) < rank(b);
  });
  std::string out;
  for (std::size_t i = 0; i < columns.size(); ++i)
    out += (i ? "," : "") + quoted(header_of(columns[i]));
  out += "\r\n";
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const json* value = nullptr;
      for (const auto& [name, v] : row)
        if (name == columns[i]) value = v;
      out += (i ? "," : "") + cell(columns[i], value);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace costs::server
