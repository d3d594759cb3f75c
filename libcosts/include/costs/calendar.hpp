// costs/calendar.hpp: timestamps (UTC instants) and civil days.
//
// Instants are std::chrono::system_clock time points, stored as timestamptz. A day is a civil
// date; which zone turns an instant into a day is the caller's choice (reports take --timezone).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace costs {

using timestamp = std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;

struct civil_day {
  int year = 1970;
  unsigned month = 1;
  unsigned day = 1;

  /// Days since 1970-01-01 (negative before it).
  long long days_since_epoch() const noexcept;
  static civil_day from_days_since_epoch(long long days) noexcept;
  /// "2026-10-14"
  std::string to_string() const;
  /// @throws costs::parse_error unless `text` is a valid "YYYY-MM-DD".
  static civil_day parse(std::string_view text);

  friend bool operator==(const civil_day& a, const civil_day& b) {
    return a.year == b.year && a.month == b.month && a.day == b.day;
  }
  friend bool operator!=(const civil_day& a, const civil_day& b) { return !(a == b); }
  friend bool operator<(const civil_day& a, const civil_day& b) {
    return a.days_since_epoch() < b.days_since_epoch();
  }
};

/// A named time zone of the system's tz database, for turning instants into civil days.
/// Offsets are looked up once per quarter hour of UTC (every real offset is a multiple of 15
/// minutes) and remembered, so bucketing millions of records costs a table lookup each.
class time_zone {
 public:
  /// The machine's zone (TZ, else /etc/localtime).
  static time_zone local();
  /// "UTC", "Europe/Berlin", ... @throws costs::config_error for a name the system lacks.
  static time_zone named(const std::string& name);

  const std::string& name() const noexcept { return name_; }
  /// Offset from UTC at `t`, in seconds.
  long offset_seconds(timestamp t) const;
  civil_day day_of(timestamp t) const;
  /// The instant a civil day starts in this zone (approximate across a DST jump at midnight).
  timestamp start_of(const civil_day& day) const;

 private:
  explicit time_zone(std::string name, bool system_local);
  std::string name_;
  bool system_local_ = false;
  struct cache;
  std::shared_ptr<cache> cache_;
};

/// The current instant, to the microsecond.
timestamp now() noexcept;

/// Parses RFC 3339 / ISO 8601 with a zone: "2026-10-14T09:12:06.902Z", "...+02:00".
/// @throws costs::parse_error on anything else.
timestamp parse_timestamp(std::string_view text);

/// "2026-10-14T09:12:06.902000Z"
std::string format_timestamp(timestamp t);

/// The civil day of `t` in UTC.
civil_day utc_day(timestamp t) noexcept;

}  // namespace costs
