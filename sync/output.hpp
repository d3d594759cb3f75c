// Printing for people and for machines: the same numbers, formatted only here.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "costs/money.hpp"
#include "costs/registry.hpp"  // provider_label, used with these helpers

namespace costs::sync {

/// A cost for JSON: dollars with six decimals (exact), or null when unpriced.
nlohmann::json usd_json(const std::optional<pico_usd>& cost);

/// A cost cell for people: "$1.23"; "unpriced" when nothing in it has a price; "$1.23 + unpriced"
/// when part of it has none. Never "$0.00" for usage that could not be priced.
std::string cost_text(const pico_usd& priced, bool has_unpriced);

/// 1234567 -> "1,234,567"
std::string group_digits(std::int64_t n);

/// A plain text table: numeric columns right-aligned, the others left-aligned.
class table {
 public:
  explicit table(std::vector<std::string> header);
  void row(std::vector<std::string> cells);
  void separator();
  void print(std::ostream& out) const;

 private:
  std::vector<std::vector<std::string>> rows_;  // an empty row is a separator
};

}  // namespace costs::sync
