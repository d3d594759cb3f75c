#include "costs/forecast.hpp"

#include <cmath>
#include <map>

#include "costs/error.hpp"

namespace costs {
namespace {

// Integer division rounded half away from zero, so rates stay exact money.
std::int64_t divide_rounded(std::int64_t numerator, std::int64_t denominator) {
  const std::int64_t half = denominator / 2;
  return numerator >= 0 ? (numerator + half) / denominator : (numerator - half) / denominator;
}

int days_in_month(int year, unsigned month) {
  const civil_day first{year, month, 1};
  const civil_day next = month == 12 ? civil_day{year + 1, 1, 1} : civil_day{year, month + 1, 1};
  return static_cast<int>(next.days_since_epoch() - first.days_since_epoch());
}

}  // namespace

micro_usd spend_between(const std::vector<day_cost>& days, civil_day from, civil_day to) {
  micro_usd sum;
  const long long a = from.days_since_epoch();
  const long long b = to.days_since_epoch();
  for (const auto& d : days) {
    const long long n = d.day.days_since_epoch();
    if (n >= a && n <= b) sum += d.cost;
  }
  return sum;
}

burn_rate burn_over(const std::vector<day_cost>& days, civil_day today, int window) {
  if (window < 1) throw config_error("forecast.bad_window", "a burn window needs at least one day");
  const long long t = today.days_since_epoch();
  const micro_usd total = spend_between(days, civil_day::from_days_since_epoch(t - window),
                                        civil_day::from_days_since_epoch(t - 1));
  burn_rate r;
  r.window_days = window;
  r.per_day = {divide_rounded(total.value, window)};
  r.per_hour = {divide_rounded(total.value, window * 24LL)};
  r.per_week = {divide_rounded(total.value * 7, window)};
  return r;
}

std::optional<double> runway_days(micro_usd balance, const burn_rate& burn) {
  if (burn.per_day.value <= 0) return std::nullopt;
  if (balance.value <= 0) return 0.0;
  const double days = static_cast<double>(balance.value) / static_cast<double>(burn.per_day.value);
  return std::floor(days * 10.0) / 10.0;  // never promise more runway than there is
}

month_projection project_month(const std::vector<day_cost>& days, civil_day today) {
  month_projection p;
  p.to_date = spend_between(days, civil_day{today.year, today.month, 1}, today);
  p.daily_rate = burn_over(days, today).per_day;
  p.days_left = days_in_month(today.year, today.month) - static_cast<int>(today.day);
  p.projected = {p.to_date.value + p.daily_rate.value * p.days_left};
  return p;
}

civil_day period_start(const std::string& period, civil_day today) {
  if (period == "day") return today;
  if (period == "month") return {today.year, today.month, 1};
  if (period == "week") {
    // 1970-01-01 was a Thursday: (days + 3) mod 7 counts days since Monday.
    const long long n = today.days_since_epoch();
    const long long since_monday = ((n + 3) % 7 + 7) % 7;
    return civil_day::from_days_since_epoch(n - since_monday);
  }
  throw config_error("forecast.bad_period", "a period is day, week or month, not '" + period + "'");
}

namespace {

struct bucket_spike {
  long long at;
  std::int64_t cost, median;
};

// Buckets (days or hours) in [from, to] above `factor` times the median of the `window` buckets
// before each and at least `min_excess` above it. With `skip_idle`, the median is of the
// buckets that spent anything: an agent's typical working hour, not its nights.
std::vector<bucket_spike> spikes_over(const std::map<long long, std::int64_t>& buckets,
                                      long long from, long long to, int window, int factor,
                                      std::int64_t min_excess, bool skip_idle) {
  auto on = [&](long long n) {
    const auto it = buckets.find(n);
    return it == buckets.end() ? std::int64_t{0} : it->second;
  };
  std::vector<bucket_spike> out;
  for (long long n = from; n <= to; ++n) {
    std::vector<std::int64_t> before;
    for (long long k = n - window; k < n; ++k)
      if (!skip_idle || on(k) > 0) before.push_back(on(k));
    std::int64_t median = 0;
    if (!before.empty()) {
      std::sort(before.begin(), before.end());
      const std::size_t mid = before.size() / 2;
      median = before.size() % 2 == 1 ? before[mid] : (before[mid - 1] + before[mid]) / 2;
    }
    const std::int64_t cost = on(n);
    if (cost > median * factor && cost - median >= min_excess) out.push_back({n, cost, median});
  }
  return out;
}

}  // namespace

std::vector<spike> find_spikes(const std::vector<day_cost>& days, civil_day from, civil_day to,
                               int window, int factor, micro_usd min_excess) {
  std::map<long long, std::int64_t> by_day;
  for (const auto& d : days) by_day[d.day.days_since_epoch()] += d.cost.value;
  std::vector<spike> out;
  for (const auto& s : spikes_over(by_day, from.days_since_epoch(), to.days_since_epoch(), window,
                                   factor, min_excess.value, false))
    out.push_back({civil_day::from_days_since_epoch(s.at), {s.cost}, {s.median}});
  return out;
}

std::vector<hour_spike> find_hour_spikes(const std::vector<hour_cost>& hours, timestamp from,
                                         timestamp to, int window, int factor,
                                         micro_usd min_excess) {
  auto hour_of = [](timestamp t) {
    return std::chrono::duration_cast<std::chrono::hours>(t.time_since_epoch()).count();
  };
  std::map<long long, std::int64_t> by_hour;
  for (const auto& h : hours) by_hour[hour_of(h.hour)] += h.cost.value;
  std::vector<hour_spike> out;
  for (const auto& s :
       spikes_over(by_hour, hour_of(from), hour_of(to), window, factor, min_excess.value, true))
    out.push_back({timestamp(std::chrono::hours(s.at)), {s.cost}, {s.median}});
  return out;
}

const char* budget_level(micro_usd spent, micro_usd threshold, int warn_permille) {
  if (spent.value >= threshold.value) return "exceeded";
  // spent / threshold >= permille / 1000, without division.
  if (spent.value * 1000 >= threshold.value * warn_permille) return "warn";
  return "ok";
}

}  // namespace costs
