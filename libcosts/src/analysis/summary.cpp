#include "costs/summary.hpp"

#include <map>
#include <set>

#include "costs/target.hpp"

namespace costs {
namespace {

civil_day days_before(civil_day day, long long n) {
  return civil_day::from_days_since_epoch(day.days_since_epoch() - n);
}

void add(spend_window& w, bool estimated, const std::optional<std::int64_t>& cost,
         std::int64_t unpriced) {
  if (cost) (estimated ? w.estimated : w.billed) += micro_usd{*cost};
  if (cost || unpriced > 0) (estimated ? w.has_estimated : w.has_billed) = true;
  w.unpriced_rows += unpriced;
}

void add(spend_window& w, const spend_window& other) {
  w.billed += other.billed;
  w.estimated += other.estimated;
  w.has_billed = w.has_billed || other.has_billed;
  w.has_estimated = w.has_estimated || other.has_estimated;
  w.unpriced_rows += other.unpriced_rows;
}

}  // namespace

const char* spend_window::basis() const {
  if (has_billed && has_estimated) return "mixed";
  if (has_billed) return "billed";
  if (has_estimated) return "estimated";
  return "none";
}

spend_summary summarize_spend(target& db, civil_day today, timestamp now) {
  spend_summary s;
  s.today = today;
  const civil_day yesterday = days_before(today, 1);
  const civil_day week = period_start("week", today);
  const civil_day month = period_start("month", today);
  civil_day first = days_before(today, 20);  // the rate's week, and spikes' 14-day medians
  if (month < first) first = month;
  if (week < first) first = week;

  std::map<long long, spend_window> by_day;
  for (const spend_day_row& row : db.spend_by_day(first, today))
    add(by_day[civil_day::parse(row.date).days_since_epoch()], row.estimated, row.cost_micro_usd,
        row.unpriced_rows);
  auto between = [&](civil_day from, civil_day to) {
    spend_window w;
    w.from = from;
    w.to = to;
    for (const auto& [d, day] : by_day)
      if (d >= from.days_since_epoch() && d <= to.days_since_epoch()) add(w, day);
    return w;
  };
  s.today_spend = between(today, today);
  s.yesterday = between(yesterday, yesterday);
  s.week = between(week, today);
  s.month = between(month, today);
  s.forecast_window = between(first, today);
  s.change = s.today_spend.total() - s.yesterday.total();

  std::string since;
  for (const spend_total_row& row : db.spend_all_time()) {
    add(s.all_time, row.estimated, row.cost_micro_usd, row.unpriced_rows);
    if (since.empty() || (!row.first_date.empty() && row.first_date < since))
      since = row.first_date;
  }
  s.all_time.from = since.empty() ? today : civil_day::parse(since);
  s.all_time.to = today;

  std::vector<day_cost> days;
  for (const auto& [d, day] : by_day)
    days.push_back({civil_day::from_days_since_epoch(d), day.total()});
  s.projection = project_month(days, today);
  s.spikes = find_spikes(days, days_before(today, 6), today);
  std::vector<hour_cost> hours;
  for (const hour_spend_row& row : db.spend_by_hour(now - std::chrono::hours(8 * 24)))
    hours.push_back({parse_timestamp(row.hour), micro_usd{row.cost_micro_usd}});
  s.hour_spikes = find_hour_spikes(hours, now - std::chrono::hours(23), now);
  return s;
}

burn_summary summarize_burn(target& db, civil_day today) {
  burn_summary out;
  out.today = today;
  struct days_of {
    std::vector<day_cost> days;
    bool estimated = false;
  };
  std::map<std::string, provider_burn> providers;
  std::map<std::string, days_of> days;
  std::vector<day_cost> all_days;
  // A provider a plan covers has its own rate, but is no part of the total spent.
  std::set<std::string> covered;
  for (const subscription& s : db.subscriptions())
    if (!s.counts_in_spend) covered.insert(s.provider);
  for (const provider_day_row& row : db.spend_by_provider_day(days_before(today, 7), today)) {
    auto& p = providers[row.provider];
    p.provider = row.provider;
    const civil_day d = civil_day::parse(row.date);
    const micro_usd cost{row.cost_micro_usd.value_or(0)};
    days[row.provider].days.push_back({d, cost});
    days[row.provider].estimated = days[row.provider].estimated || row.estimated;
    if (covered.count(row.provider) == 0) all_days.push_back({d, cost});
    if (d == today) p.today = cost;
    p.unpriced_rows += row.unpriced_rows;
  }
  for (const balance_row& row : db.balances()) {
    auto& p = providers[row.provider];
    p.provider = row.provider;
    p.balance = micro_usd{row.balance_micro_usd};
    p.currency = row.currency;
  }
  for (const budget_view& row : db.budgets())
    if (row.kind == "low_balance" && row.scope_kind == "provider") {
      auto& p = providers[row.scope_value];
      p.provider = row.scope_value;
      p.low_balance = micro_usd{row.threshold_micro_usd};
    }
  for (auto& [key, p] : providers) {
    const auto& d = days[key];
    p.rate = burn_over(d.days, today);
    p.basis = d.days.empty() ? "none" : d.estimated ? "estimated" : "billed";
    // Runway only where balance and spend are in one currency: a CNY balance is not divided
    // by dollars.
    if (p.balance && p.currency == "USD") p.runway_days = runway_days(*p.balance, p.rate);
    out.providers.push_back(p);
  }
  out.total = burn_over(all_days, today);
  return out;
}

}  // namespace costs
