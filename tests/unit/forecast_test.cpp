// Burn rates, runway, the month-end projection and budget levels, against hand-computed figures.
#include "costs/forecast.hpp"

#include <gtest/gtest.h>

#include "costs/error.hpp"

namespace {

using costs::civil_day;
using costs::day_cost;
using costs::micro_usd;

civil_day day(const char* text) {
  return civil_day::parse(text);
}

// November 2026: $1, $2, ... $7 on the 15th to the 21st, $100 today (the 22nd, partial).
std::vector<day_cost> week_of_rising_spend() {
  std::vector<day_cost> days;
  for (int i = 0; i < 7; ++i)
    days.push_back({civil_day{2026, 11, static_cast<unsigned>(15 + i)}, {(i + 1) * 1'000'000LL}});
  days.push_back({day("2026-11-22"), {100'000'000}});
  return days;
}

TEST(forecast, burn_averages_the_complete_days_before_today) {
  const auto burn = costs::burn_over(week_of_rising_spend(), day("2026-11-22"));
  EXPECT_EQ(burn.per_day, micro_usd{4'000'000});  // 28 / 7
  EXPECT_EQ(burn.per_hour, micro_usd{166'667});   // 28 / 168, rounded half up
  EXPECT_EQ(burn.per_week, micro_usd{28'000'000});
  EXPECT_EQ(burn.window_days, 7);
}

TEST(forecast, days_without_rows_count_as_nothing_spent) {
  const std::vector<day_cost> days = {{day("2026-11-20"), {7'000'000}}};
  EXPECT_EQ(costs::burn_over(days, day("2026-11-22")).per_day, micro_usd{1'000'000});
  EXPECT_EQ(costs::burn_over(days, day("2026-11-22"), 14).per_day, micro_usd{500'000});
}

TEST(forecast, runway_is_balance_over_daily_burn_and_never_rounded_up) {
  costs::burn_rate burn;
  burn.per_day = {3'000'000};
  EXPECT_DOUBLE_EQ(*costs::runway_days({10'000'000}, burn), 3.3);  // 3.33 days
  EXPECT_DOUBLE_EQ(*costs::runway_days({-1}, burn), 0.0);
  burn.per_day = {0};
  EXPECT_FALSE(costs::runway_days({10'000'000}, burn).has_value()) << "nothing burns: no runway";
}

TEST(forecast, month_end_is_the_month_so_far_plus_the_recent_rate_for_each_day_left) {
  const auto p = costs::project_month(week_of_rising_spend(), day("2026-11-22"));
  EXPECT_EQ(p.to_date, micro_usd{128'000'000});  // 1+..+7 + 100
  EXPECT_EQ(p.daily_rate, micro_usd{4'000'000});
  EXPECT_EQ(p.days_left, 8);  // the 23rd to the 30th
  EXPECT_EQ(p.projected, micro_usd{160'000'000});
}

TEST(forecast, the_rate_reaches_back_into_last_month_early_in_a_month) {
  const std::vector<day_cost> days = {{day("2026-11-30"), {14'000'000}},
                                      {day("2026-12-01"), {2'000'000}}};
  const auto p = costs::project_month(days, day("2026-12-01"));
  EXPECT_EQ(p.to_date, micro_usd{2'000'000});
  EXPECT_EQ(p.daily_rate, micro_usd{2'000'000});
  EXPECT_EQ(p.days_left, 30);
  EXPECT_EQ(p.projected, micro_usd{62'000'000});
}

TEST(forecast, periods_start_on_the_day_the_iso_monday_and_the_first) {
  EXPECT_EQ(costs::period_start("day", day("2026-11-22")), day("2026-11-22"));
  EXPECT_EQ(costs::period_start("week", day("2026-11-22")), day("2026-11-16"));  // a Sunday
  EXPECT_EQ(costs::period_start("week", day("2026-11-16")), day("2026-11-16"));  // a Monday
  EXPECT_EQ(costs::period_start("week", day("1970-01-01")), day("1969-12-29"));
  EXPECT_EQ(costs::period_start("month", day("2026-02-28")), day("2026-02-01"));
  EXPECT_THROW(costs::period_start("year", day("2026-02-28")), costs::config_error);
}

TEST(forecast, budget_levels_warn_at_the_ratio_and_are_over_at_the_threshold) {
  const micro_usd threshold{500'000'000};
  EXPECT_STREQ(costs::budget_level({399'999'999}, threshold, 800), "ok");
  EXPECT_STREQ(costs::budget_level({400'000'000}, threshold, 800), "warn");
  EXPECT_STREQ(costs::budget_level({499'999'999}, threshold, 800), "warn");
  EXPECT_STREQ(costs::budget_level({500'000'000}, threshold, 800), "exceeded");
}

TEST(forecast, a_spike_is_a_day_far_above_its_recent_median_in_dollars) {
  // $2 a day for three weeks, a $9 day on the 15th, then $2 again and $30 on the 20th.
  std::vector<day_cost> days;
  for (unsigned d = 1; d <= 21; ++d) days.push_back({civil_day{2026, 11, d}, {2'000'000}});
  days[14].cost = {9'000'000};   // the 15th
  days[19].cost = {30'000'000};  // the 20th
  const auto spikes = costs::find_spikes(days, day("2026-11-15"), day("2026-11-21"));
  ASSERT_EQ(spikes.size(), 2u);
  EXPECT_EQ(spikes[0].day, day("2026-11-15"));
  EXPECT_EQ(spikes[0].median, micro_usd{2'000'000});
  EXPECT_EQ(spikes[1].day, day("2026-11-20"));
  EXPECT_EQ(spikes[1].median, micro_usd{2'000'000}) << "the earlier one-off day does not move it";
}

TEST(forecast, small_or_steady_days_are_not_spikes) {
  std::vector<day_cost> days;
  for (unsigned d = 1; d <= 21; ++d) days.push_back({civil_day{2026, 11, d}, {100'000}});
  days[20].cost = {900'000};  // 9x the median, but only $0.80 above it
  EXPECT_TRUE(costs::find_spikes(days, day("2026-11-15"), day("2026-11-21")).empty());
  days[20].cost = {5'000'000};
  EXPECT_EQ(costs::find_spikes(days, day("2026-11-21"), day("2026-11-21")).size(), 1u);
}

TEST(forecast, an_hour_spike_is_judged_against_working_hours_not_idle_nights) {
  // A week of $1.20 an hour from 09:00 to 17:00 and nothing at night; then today $1.20 at 10:00
  // (an ordinary hour) and $5.00 at 14:00.
  using std::chrono::hours;
  const costs::timestamp start = costs::parse_timestamp("2026-11-15T00:00:00Z");
  std::vector<costs::hour_cost> spend;
  for (int day = 0; day < 7; ++day)
    for (int h = 9; h <= 17; ++h) spend.push_back({start + hours(day * 24 + h), {1'200'000}});
  const costs::timestamp today = start + hours(7 * 24);
  spend.push_back({today + hours(10), {1'200'000}});
  spend.push_back({today + hours(14), {5'000'000}});
  const auto spikes = costs::find_hour_spikes(spend, today, today + hours(23));
  ASSERT_EQ(spikes.size(), 1u) << "a working hour is not a spike, though most hours are idle";
  EXPECT_EQ(costs::format_timestamp(spikes[0].hour), "2026-11-22T14:00:00.000000Z");
  EXPECT_EQ(spikes[0].cost, micro_usd{5'000'000});
  EXPECT_EQ(spikes[0].median, micro_usd{1'200'000});
}

}  // namespace
