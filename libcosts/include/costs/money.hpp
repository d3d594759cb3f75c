// costs/money.hpp: exact money. Amounts are integers from parse to JSON; never a double.
//
// micro_usd (1 USD = 1'000'000) is what the database stores (numeric(12,6)) and the API serves.
// pico_usd (1 USD = 10^12) is what prices and per-call costs are computed in: list prices such
// as $0.30 per million tokens are 300'000 pico-dollars per token, so a call's cost is exact and
// a sum of millions of calls is rounded once, at the end, never per call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace costs {

struct micro_usd {
  std::int64_t value = 0;

  friend constexpr micro_usd operator+(micro_usd a, micro_usd b) { return {a.value + b.value}; }
  friend constexpr micro_usd operator-(micro_usd a, micro_usd b) { return {a.value - b.value}; }
  constexpr micro_usd& operator+=(micro_usd other) {
    value += other.value;
    return *this;
  }
  friend constexpr bool operator==(micro_usd a, micro_usd b) { return a.value == b.value; }
  friend constexpr bool operator!=(micro_usd a, micro_usd b) { return a.value != b.value; }
  friend constexpr bool operator<(micro_usd a, micro_usd b) { return a.value < b.value; }
};

struct pico_usd {
  std::int64_t value = 0;

  friend constexpr pico_usd operator+(pico_usd a, pico_usd b) { return {a.value + b.value}; }
  constexpr pico_usd& operator+=(pico_usd other) {
    value += other.value;
    return *this;
  }
  friend constexpr bool operator==(pico_usd a, pico_usd b) { return a.value == b.value; }
  friend constexpr bool operator!=(pico_usd a, pico_usd b) { return a.value != b.value; }
};

/// Rounds half away from zero to the nearest micro-dollar: 19'749'600'000 p$ -> 19'750 u$.
micro_usd to_micro(pico_usd amount) noexcept;

/// Parses a plain decimal ("12.345678", "-0.5", "3") into micro-dollars. More than six
/// decimals are rounded half away from zero.
///     costs::parse_usd("0.0197496")  // {19'750}
/// @throws costs::parse_error on anything that is not a plain decimal number.
micro_usd parse_usd(std::string_view decimal);

/// Like parse_usd, but returns nullopt instead of throwing.
std::optional<micro_usd> try_parse_usd(std::string_view decimal) noexcept;

/// Parses a plain decimal into pico-dollars (up to 12 decimals kept exactly).
/// @throws costs::parse_error on junk.
pico_usd parse_usd_pico(std::string_view decimal);

/// "12.345678": always six decimals, the form numeric(12,6) and the JSON edge use.
std::string to_decimal_string(micro_usd amount);

/// "$12.35": for people, at the edges only. Rounded to the cent, half away from zero: the one
/// rounding the CLI, chat replies and the page all use.
std::string format_usd(micro_usd amount);

/// An amount in `currency` (millionths of its unit): "$12.35" for USD, else "12.35 CNY", with
/// format_usd's rounding.
std::string format_amount(micro_usd amount, const std::string& currency);

}  // namespace costs
