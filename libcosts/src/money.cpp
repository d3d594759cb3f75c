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

// Parses a decimal ("12.5", "-0.000003", and JSON's exponent form "1.5e-05") into an integer
// scaled by 10^scale, rounding extra digits half away from zero. Returns false on junk or
// overflow. Exact: no binary floating point is involved.
bool parse_scaled(std::string_view text, int scale, std::int64_t& out) noexcept {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  // Collect the significant digits, how many stand before the point, and how many zeros
  // follow the point before the first significant digit.
  char digits[64];
  int count = 0;
  int int_digits = 0;
  int fraction_zeros = 0;
  bool seen_point = false;
  bool any_digit = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      any_digit = true;
      if (count == 0 && c == '0') {
        if (seen_point) ++fraction_zeros;
        continue;
      }
      if (count < 40) {
        digits[count++] = c;
        if (!seen_point) ++int_digits;
      } else if (!seen_point) {
        return false;  // too many integer digits
      }
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!any_digit) return false;
  int exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) exp_negative = text[i++] == '-';
    if (i >= text.size()) return false;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      exponent = exponent * 10 + (text[i] - '0');
      if (exponent > 400) return false;
    }
    if (exp_negative) exponent = -exponent;
  }
  if (i != text.size()) return false;
  const int integer_digits = (int_digits > 0 ? int_digits : -fraction_zeros) + exponent;
  // value = 0.d1d2d3... x 10^integer_digits; we want round(value x 10^scale).
  const int keep = integer_digits + scale;  // how many leading digits form the integer result
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max() / 10 - 10;
  std::int64_t value = 0;
  for (int d = 0; d < keep; ++d) {
    if (value > max) return false;
    value = value * 10 + (d < count ? digits[d] - '0' : 0);
  }
  if (keep >= 0 && keep < count && digits[keep] >= '5') ++value;
  if (keep < 0) value = 0;
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

std::string format_amount(micro_usd amount, const std::string& currency) {
  const std::string usd = format_usd(amount);
  if (currency.empty() || currency == "USD") return usd;
  const bool negative = usd[0] == '-';
  return (negative ? "-" : "") + usd.substr(negative ? 2 : 1) + " " + currency;
}

}  // namespace costs
