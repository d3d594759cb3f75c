#include <gtest/gtest.h>

#include "costs/calendar.hpp"
#include "costs/error.hpp"

namespace {

using costs::civil_day;

TEST(calendar_test, civil_days_round_trip_through_epoch_days) {
  for (long long d = -800'000; d <= 800'000; d += 997) {
    EXPECT_EQ(civil_day::from_days_since_epoch(d).days_since_epoch(), d);
  }
  EXPECT_EQ((civil_day{1970, 1, 1}).days_since_epoch(), 0);
  EXPECT_EQ((civil_day{2000, 3, 1}).days_since_epoch(), 11'017);
}

TEST(calendar_test, parses_and_prints_days) {
  EXPECT_EQ(civil_day::parse("2024-02-29"), (civil_day{2024, 2, 29}));
  EXPECT_EQ((civil_day{2026, 10, 4}).to_string(), "2026-10-04");
  for (const char* bad : {"2023-02-29", "2026-13-01", "2026-1-01", "20261001", "2026-10-32"})
    EXPECT_THROW(civil_day::parse(bad), costs::parse_error) << bad;
}

TEST(calendar_test, parses_timestamps_with_zones_to_the_microsecond) {
  const auto t = costs::parse_timestamp("2026-10-14T09:12:06.902Z");
  EXPECT_EQ(costs::format_timestamp(t), "2026-10-14T09:12:06.902000Z");
  EXPECT_EQ(costs::parse_timestamp("2026-10-14T11:12:06.902+02:00"), t);
  EXPECT_EQ(costs::parse_timestamp("2026-10-14T04:12:06.902-0500"), t);
  EXPECT_EQ(costs::format_timestamp(costs::parse_timestamp("1969-12-31T23:59:59.5Z")),
            "1969-12-31T23:59:59.500000Z");
}

TEST(calendar_test, rejects_timestamps_without_a_zone) {
  for (const char* bad : {"2026-10-14T09:12:06", "2026-10-14", "2026-10-14T25:00:00Z",
                          "2026-10-14T09:12:06.Z", "2026-10-14T09:12:06Zjunk"})
    EXPECT_THROW(costs::parse_timestamp(bad), costs::parse_error) << bad;
}

TEST(calendar_test, utc_day_of_an_instant) {
  EXPECT_EQ(costs::utc_day(costs::parse_timestamp("2026-10-14T23:59:59.999999Z")),
            (civil_day{2026, 10, 14}));
  EXPECT_EQ(costs::utc_day(costs::parse_timestamp("2026-10-15T00:30:00+01:00")),
            (civil_day{2026, 10, 14}));
  EXPECT_EQ(costs::utc_day(costs::parse_timestamp("1969-12-31T12:00:00Z")),
            (civil_day{1969, 12, 31}));
}

}  // namespace

// A zone made and dropped, then another made in its place (often at the same address), must not
// answer with the first one's offset.
TEST(calendar_test, zones_made_one_after_another_each_give_their_own_day) {
  const auto t = costs::parse_timestamp("2026-12-04T17:30:00Z");
  EXPECT_EQ(costs::time_zone::named("America/Los_Angeles").day_of(t).to_string(), "2026-12-04");
  EXPECT_EQ(costs::time_zone::named("Asia/Tokyo").day_of(t).to_string(), "2026-12-05");
  EXPECT_EQ(costs::time_zone::named("Pacific/Kiritimati").day_of(t).to_string(), "2026-12-05");
  EXPECT_EQ(costs::time_zone::named("Pacific/Pago_Pago").day_of(t).to_string(), "2026-12-04");
  EXPECT_EQ(costs::time_zone::named("Europe/Berlin").offset_seconds(t), 3600);
  EXPECT_EQ(costs::time_zone::named("Asia/Kolkata").offset_seconds(t), 19800);
}
