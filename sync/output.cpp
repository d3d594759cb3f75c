#include "output.hpp"

#include <algorithm>

#include "costs/registry.hpp"

namespace costs::sync {

nlohmann::json usd_json(const std::optional<pico_usd>& cost) {
  if (!cost) return nullptr;
  // A double printed shortest-round-trip shows exactly the six decimals of the micro-dollars.
  return static_cast<double>(to_micro(*cost).value) / 1e6;
}

std::string cost_text(const pico_usd& priced, bool has_unpriced) {
  if (!has_unpriced) return format_usd(to_micro(priced));
  if (priced.value == 0) return "unpriced";
  return format_usd(to_micro(priced)) + " + unpriced";
}

std::string group_digits(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
    digits.insert(static_cast<std::size_t>(i), ",");
  return (n < 0 ? "-" : "") + digits;
}

table::table(std::vector<std::string> header) {
  rows_.push_back(std::move(header));
}

void table::row(std::vector<std::string> cells) {
  rows_.push_back(std::move(cells));
}

void table::separator() {
  rows_.emplace_back();
}

void table::print(std::ostream& out) const {
  std::vector<std::size_t> widths;
  for (const auto& r : rows_)
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], r[i].size());
    }
  // Numbers (and money, priced or not) right-aligned, words left-aligned, decided per column from
  // its cells.
  auto is_number = [](std::string cell) {
    const std::string unpriced = "unpriced";
    if (cell.size() >= unpriced.size() &&
        cell.compare(cell.size() - unpriced.size(), unpriced.size(), unpriced) == 0)
      cell.resize(cell.size() - unpriced.size());
    return cell.find_first_not_of("0123456789,.$*-+ ") == std::string::npos;
  };
  std::vector<bool> numeric(widths.size(), true);
  for (std::size_t r = 1; r < rows_.size(); ++r)
    for (std::size_t i = 0; i < rows_[r].size(); ++i)
      if (!is_number(rows_[r][i])) numeric[i] = false;
  std::size_t total = 0;
  for (auto w : widths) total += w + 2;
  for (const auto& r : rows_) {
    if (r.empty()) {
      out << std::string(total, '-') << '\n';
      continue;
    }
    for (std::size_t i = 0; i < r.size(); ++i) {
      const std::string pad(widths[i] - r[i].size(), ' ');
      const bool right = i > 0 && numeric[i];
      out << (right ? pad + r[i] : (i + 1 < r.size() ? r[i] + pad : r[i]))
          << (i + 1 < r.size() ? "  " : "");
    }
    out << '\n';
  }
}

}  // namespace costs::sync
