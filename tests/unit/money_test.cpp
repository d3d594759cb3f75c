#include <gtest/gtest.h>

#include "costs/error.hpp"
#include "costs/money.hpp"

namespace {

using costs::micro_usd;
using costs::pico_usd;

TEST(money_test, parses_plain_decimals_exactly) {
  EXPECT_EQ(costs::parse_usd("12.345678"), micro_usd{12'345'678});
  EXPECT_EQ(costs::parse_usd("3"), micro_usd{3'000'000});
  EXPECT_EQ(costs::parse_usd("0.000001"), micro_usd{1});
  EXPECT_EQ(costs::parse_usd("-0.5"), micro_usd{-500'000});
  EXPECT_EQ(costs::parse_usd(".25"), micro_usd{250'000});
  EXPECT_EQ(costs::parse_usd("+7."), micro_usd{7'000'000});
}

TEST(money_test, rounds_extra_decimals_half_away_from_zero) {
  EXPECT_EQ(costs::parse_usd("0.0197496"), micro_usd{19'750});
  EXPECT_EQ(costs::parse_usd("0.0000014999"), micro_usd{1});
  EXPECT_EQ(costs::parse_usd("0.0000015"), micro_usd{2});
  EXPECT_EQ(costs::parse_usd("-0.0000015"), micro_usd{-2});
}

TEST(money_test, rejects_junk_with_a_parse_error) {
  for (const char* junk :
       {"", "-", ".", "1.2.3", "12a", "1e", "1e+", "$3", " 1", "0x10", "NaN", "e5"}) {
    EXPECT_THROW(costs::parse_usd(junk), costs::parse_error) << junk;
    EXPECT_FALSE(costs::try_parse_usd(junk).has_value()) << junk;
  }
  EXPECT_THROW(costs::parse_usd("99999999999999999999"), costs::parse_error);
}

TEST(money_test, parses_json_exponent_forms_exactly) {
  EXPECT_EQ(costs::parse_usd("1e-6"), micro_usd{1});
  EXPECT_EQ(costs::parse_usd("2.5E+2"), micro_usd{250'000'000});
  EXPECT_EQ(costs::parse_usd_pico("1.5e-05"), pico_usd{15'000'000});
  EXPECT_EQ(costs::parse_usd_pico("3e-06"), pico_usd{3'000'000});
  EXPECT_EQ(costs::parse_usd("0.033176"), micro_usd{33'176});
  EXPECT_EQ(costs::parse_usd("0.0000004"), micro_usd{0});
  EXPECT_EQ(costs::parse_usd("0"), micro_usd{0});
  EXPECT_EQ(costs::parse_usd("100"), micro_usd{100'000'000});
}

TEST(money_test, formats_six_decimals_for_storage) {
  EXPECT_EQ(costs::to_decimal_string(micro_usd{19'750}), "0.019750");
  EXPECT_EQ(costs::to_decimal_string(micro_usd{-1}), "-0.000001");
  EXPECT_EQ(costs::to_decimal_string(micro_usd{12'345'678'901}), "12345.678901");
  EXPECT_EQ(costs::to_decimal_string(micro_usd{INT64_MIN}), "-9223372036854.775808");
}

TEST(money_test, formats_cents_for_people) {
  EXPECT_EQ(costs::format_usd(micro_usd{19'750}), "$0.02");
  EXPECT_EQ(costs::format_usd(micro_usd{1'234'994'999}), "$1234.99");
  EXPECT_EQ(costs::format_usd(micro_usd{-2'505'000}), "-$2.51");
  // Balances: one rounding (to the cent, half away from zero) in every currency.
  EXPECT_EQ(costs::format_amount(micro_usd{31'417'700}, "USD"), "$31.42");
  EXPECT_EQ(costs::format_amount(micro_usd{31'415'000}, "CNY"), "31.42 CNY");
  EXPECT_EQ(costs::format_amount(micro_usd{31'414'999}, "CNY"), "31.41 CNY");
  EXPECT_EQ(costs::format_amount(micro_usd{-5'000}, "CNY"), "-0.01 CNY");
}

TEST(money_test, pico_dollars_round_once_to_micro) {
  EXPECT_EQ(costs::to_micro(pico_usd{19'749'600'000}), micro_usd{19'750});
  EXPECT_EQ(costs::to_micro(pico_usd{499'999}), micro_usd{0});
  EXPECT_EQ(costs::to_micro(pico_usd{500'000}), micro_usd{1});
  EXPECT_EQ(costs::to_micro(pico_usd{-500'000}), micro_usd{-1});
  EXPECT_EQ(costs::parse_usd_pico("0.000000000003"), pico_usd{3});
}

TEST(money_test, a_million_small_costs_sum_without_drift) {
  // $0.0000003 a call, a million calls: exactly $0.30. Per-call rounding to micro-dollars
  // would give $0 and a double accumulator drifts; pico-dollar sums do neither.
  pico_usd total;
  for (int i = 0; i < 1'000'000; ++i) total += costs::parse_usd_pico("0.0000003");
  EXPECT_EQ(costs::to_micro(total), micro_usd{300'000});
}

}  // namespace
