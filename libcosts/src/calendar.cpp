#include "costs/calendar.hpp"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <unordered_map>

#include "costs/error.hpp"

namespace costs {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian calendar.
long long days_from_civil(long long y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

bool is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned days_in_month(int y, unsigned m) {
  static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

[[noreturn]] void bad_timestamp(std::string_view text) {
  throw parse_error("calendar.bad_timestamp",
                    "not an ISO 8601 timestamp with a zone: '" + std::string(text) + "'");
}

}  // namespace

long long civil_day::days_since_epoch() const noexcept {
  return days_from_civil(year, month, day);
}

civil_day civil_day::from_days_since_epoch(long long z) noexcept {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long y = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(y + (m <= 2)), m, d};
}

std::string civil_day::to_string() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year, month, day);
  return buf;
}

civil_day civil_day::parse(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(text, 0, 4, y) ||
      !digits(text, 5, 2, m) || !digits(text, 8, 2, d) || m < 1 || m > 12 || d < 1 ||
      static_cast<unsigned>(d) > days_in_month(y, static_cast<unsigned>(m))) {
    throw parse_error("calendar.bad_date", "not a YYYY-MM-DD date: '" + std::string(text) + "'");
  }
  return {y, static_cast<unsigned>(m), static_cast<unsigned>(d)};
}

namespace {
std::atomic<std::uint64_t> next_cache_id{1};
}  // namespace

struct time_zone::cache {
  // Never 0 and never reused, unlike an address: a zone made where another was just freed must
  // not inherit the per-thread answer remembered for the old one.
  const std::uint64_t id = next_cache_id.fetch_add(1, std::memory_order_relaxed);
  std::mutex mutex;
  std::unordered_map<long long, long> offsets;  // quarter hour since epoch -> seconds east
};

time_zone::time_zone(std::string name, bool system_local)
    : name_(std::move(name)), system_local_(system_local), cache_(std::make_shared<cache>()) {}

time_zone time_zone::local() {
  const char* tz = std::getenv("TZ");
  return time_zone(tz != nullptr && *tz != '\0' ? tz : "local", true);
}

time_zone time_zone::named(const std::string& name) {
  if (name == "UTC" || name == "Etc/UTC" || name == "Z") return time_zone("UTC", false);
  const bool plausible = !name.empty() && name.find("..") == std::string::npos && name[0] != '/';
  std::error_code ec;
  if (!plausible || !(std::filesystem::is_regular_file("/usr/share/zoneinfo/" + name, ec) ||
                      std::filesystem::is_regular_file("/var/db/timezone/zoneinfo/" + name, ec)))
    throw config_error("calendar.unknown_zone",
                       "unknown time zone '" + name + "'; use an IANA name such as Europe/Berlin");
  return time_zone(name, false);
}

namespace {

// localtime_r reads the process-wide TZ; the switch is serialised and happens once per quarter
// hour per zone thanks to the cache.
std::mutex tz_switch_mutex;

long system_offset(const std::string& zone, bool system_local, std::time_t t) {
  std::lock_guard<std::mutex> lock(tz_switch_mutex);
  std::string previous;
  const char* old = std::getenv("TZ");
  const bool had_old = old != nullptr;
  if (had_old) previous = old;
  if (!system_local) {
    setenv("TZ", zone.c_str(), 1);
    tzset();
  }
  std::tm local{};
  localtime_r(&t, &local);
  if (!system_local) {
    if (had_old)
      setenv("TZ", previous.c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
  }
  return local.tm_gmtoff;
}

}  // namespace

long time_zone::offset_seconds(timestamp t) const {
  if (name_ == "UTC" && !system_local_) return 0;
  const long long seconds = t.time_since_epoch().count() / 1'000'000 -
                            (t.time_since_epoch().count() % 1'000'000 < 0 ? 1 : 0);
  long long quarter = seconds / 900;
  if (seconds % 900 < 0) --quarter;
  // Calls come in time order within a file: remember this thread's last answer.
  thread_local std::uint64_t last_cache = 0;
  thread_local long long last_quarter = 0;
  thread_local long last_offset = 0;
  if (last_cache == cache_->id && last_quarter == quarter) return last_offset;
  std::lock_guard<std::mutex> lock(cache_->mutex);
  const auto remember = [&](long offset) {
    last_cache = cache_->id;
    last_quarter = quarter;
    last_offset = offset;
    return offset;
  };
  if (auto it = cache_->offsets.find(quarter); it != cache_->offsets.end())
    return remember(it->second);
  const long offset = system_offset(name_, system_local_, static_cast<std::time_t>(quarter * 900));
  cache_->offsets.emplace(quarter, offset);
  return remember(offset);
}

civil_day time_zone::day_of(timestamp t) const {
  return utc_day(t + std::chrono::seconds(offset_seconds(t)));
}

timestamp time_zone::start_of(const civil_day& day) const {
  const timestamp utc_midnight(std::chrono::seconds(day.days_since_epoch() * 86400));
  return utc_midnight - std::chrono::seconds(offset_seconds(utc_midnight));
}

timestamp now() noexcept {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

timestamp parse_timestamp(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (s.size() < 20 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' ||
      !digits(s, 17, 2, se)) {
    bad_timestamp(s);
  }
  if (mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, unsigned(mo)) ||
      h > 23 || mi > 59 || se > 60) {
    bad_timestamp(s);
  }
  std::size_t i = 19;
  long long micros = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int n = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++n) {
      if (n < 6) micros = micros * 10 + (s[i] - '0');
    }
    if (n == 0) bad_timestamp(s);
    for (; n < 6; ++n) micros *= 10;
  }
  long long offset_seconds = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int oh = 0, om = 0;
    const int sign = s[i] == '-' ? -1 : 1;
    if (!digits(s, i + 1, 2, oh)) bad_timestamp(s);
    std::size_t j = i + 3;
    if (j < s.size() && s[j] == ':') ++j;
    if (!digits(s, j, 2, om)) bad_timestamp(s);
    i = j + 2;
    offset_seconds = sign * (oh * 3600LL + om * 60LL);
  } else {
    bad_timestamp(s);
  }
  if (i != s.size()) bad_timestamp(s);
  const long long days = days_from_civil(y, unsigned(mo), unsigned(d));
  const long long seconds = days * 86400 + h * 3600LL + mi * 60LL + se - offset_seconds;
  return timestamp(std::chrono::microseconds(seconds * 1'000'000 + micros));
}

std::string format_timestamp(timestamp t) {
  const long long us = t.time_since_epoch().count();
  long long secs = us / 1'000'000;
  long long frac = us % 1'000'000;
  if (frac < 0) {
    frac += 1'000'000;
    --secs;
  }
  long long days = secs / 86400;
  long long rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  const civil_day day = civil_day::from_days_since_epoch(days);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ", day.year, day.month,
                day.day, rem / 3600, rem / 60 % 60, rem % 60, frac);
  return buf;
}

civil_day utc_day(timestamp t) noexcept {
  const long long us = t.time_since_epoch().count();
  long long days = us / 86'400'000'000LL;
  if (us % 86'400'000'000LL < 0) --days;
  return civil_day::from_days_since_epoch(days);
}

}  // namespace costs
