#include "costs/money.hpp"

#include <cstdlib>
#include <limits>

#include "costs/error.hpp"

namespace costs {
namespace {

constexpr std::int64_t pow10(int n) {
  std::int64_t r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

// Parses a plain decimal into an integer scaled by 10^scale, rounding extra digits half away
// from zero. Returns false on junk or overflow.
bool parse_scaled(std::string_view text, int scale, std::int64_t& out) noexcept {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max() / 10 - 10;
  std::int64_t value = 0;
  bool any_digit = false;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (value > max) return false;
    value = value * 10 + (text[i] - '0');
    any_digit = true;
  }
  int decimals = 0;
  bool round_up = false;
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      any_digit = true;
      if (decimals < scale) {
        if (value > max) return false;
        value = value * 10 + (text[i] - '0');
        ++decimals;
      } else if (decimals == scale) {
        round_up = text[i] >= '5';
        ++decimals;  // only the first dropped digit decides: half away from zero
      }
    }
  }
  if (!any_digit || i != text.size()) return false;
  for (int d = decimals < scale ? decimals : scale; d < scale; ++d) {
    if (value > max) return false;
    value *= 10;
  }
  if (round_up) ++value;
  out = negative ? -value : value;
  return true;
}

}  // namespace

micro_usd to_micro(pico_usd amount) noexcept {
  constexpr std::int64_t unit = 1'000'000;
  const std::int64_t whole = amount.value / unit;
  const std::int64_t rest = amount.value % unit;
  if (rest >= unit / 2) return {whole + 1};
  if (rest <= -unit / 2) return {whole - 1};
  return {whole};
}

std::optional<micro_usd> try_parse_usd(std::string_view decimal) noexcept {
  std::int64_t v = 0;
  if (!parse_scaled(decimal, 6, v)) return std::nullopt;
  return micro_usd{v};
}

micro_usd parse_usd(std::string_view decimal) {
  if (auto v = try_parse_usd(decimal)) return *v;
  throw parse_error("money.bad_amount", "not a decimal amount: '" + std::string(decimal) + "'");
}

pico_usd parse_usd_pico(std::string_view decimal) {
  std::int64_t v = 0;
  if (!parse_scaled(decimal, 12, v))
    throw parse_error("money.bad_amount", "not a decimal amount: '" + std::string(decimal) + "'");
  return pico_usd{v};
}

std::string to_decimal_string(micro_usd amount) {
  const bool negative = amount.value < 0;
  // Work in unsigned so INT64_MIN does not overflow on negation.
  const auto magnitude = negative ? 0 - static_cast<std::uint64_t>(amount.value)
                                  : static_cast<std::uint64_t>(amount.value);
  std::string frac = std::to_string(magnitude % 1'000'000);
  frac.insert(0, 6 - frac.size(), '0');
  return (negative ? "-" : "") + std::to_string(magnitude / 1'000'000) + "." + frac;
}

std::string format_usd(micro_usd amount) {
  const std::int64_t cents =
      (amount.value >= 0 ? amount.value + 5'000 : amount.value - 5'000) / pow10(4);
  const bool negative = cents < 0;
  const std::int64_t magnitude = negative ? -cents : cents;
  std::string frac = std::to_string(magnitude % 100);
  frac.insert(0, 2 - frac.size(), '0');
  return (negative ? "-$" : "$") + std::to_string(magnitude / 100) + "." + frac;
}

}  // namespace costs
