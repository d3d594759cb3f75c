// GET /api/costs/summary: today, yesterday, this week, this month and all time; the change vs
// yesterday; the month-end forecast; budget use. Every figure is split into billed (what a
// provider's API reports) and estimated (local logs priced at list prices), with `basis` saying
// which the total holds, so the two are never mixed silently.
#include <map>

#include "costs/forecast.hpp"
#include "costs/registry.hpp"
#include "routes.hpp"

namespace costs::server {
namespace {

civil_day days_before(civil_day day, long long n) {
  return civil_day::from_days_since_epoch(day.days_since_epoch() - n);
}

const char* basis_of(bool billed, bool estimated) {
  if (billed && estimated) return "mixed";
  if (billed) return "billed";
  if (estimated) return "estimated";
  return "none";
}

struct spend {
  micro_usd billed, estimated;
  bool has_billed = false, has_estimated = false;
  long long unpriced_rows = 0;

  void add(bool is_estimated, const std::optional<std::int64_t>& cost, long long unpriced) {
    if (cost) (is_estimated ? estimated : billed) += micro_usd{*cost};
    if (cost || unpriced > 0) (is_estimated ? has_estimated : has_billed) = true;
    unpriced_rows += unpriced;
  }
  void add(const spend& other) {
    billed += other.billed;
    estimated += other.estimated;
    has_billed = has_billed || other.has_billed;
    has_estimated = has_estimated || other.has_estimated;
    unpriced_rows += other.unpriced_rows;
  }
  micro_usd total() const { return billed + estimated; }
  nlohmann::json to_json(civil_day from, civil_day to) const {
    return {{"from", from.to_string()},
            {"to", to.to_string()},
            {"total_micro_usd", total().value},
            {"billed_micro_usd", billed.value},
            {"estimated_micro_usd", estimated.value},
            {"basis", basis_of(has_billed, has_estimated)},
            {"unpriced_rows", unpriced_rows}};
  }
};

}  // namespace

nlohmann::json get_summary(const Pistache::Rest::Request& request, api_context& ctx) {
  std::string zone;
  const civil_day today = request_today(request, ctx, zone);
  const civil_day yesterday = days_before(today, 1);
  const civil_day week = period_start("week", today);
  const civil_day month = period_start("month", today);
  civil_day first = days_before(today, 20);  // the burn window, and spikes' 14-day medians
  if (month < first) first = month;
  if (week < first) first = week;

  target& db = ctx.db->reader();
  std::map<long long, spend> by_day;
  for (const spend_day_row& row : db.spend_by_day(first, today))
    by_day[civil_day::parse(row.date).days_since_epoch()].add(row.estimated, row.cost_micro_usd,
                                                              row.unpriced_rows);
  auto between = [&](civil_day from, civil_day to) {
    spend s;
    for (const auto& [d, day_spend] : by_day)
      if (d >= from.days_since_epoch() && d <= to.days_since_epoch()) s.add(day_spend);
    return s;
  };
  spend all_time;
  std::string since;
  for (const spend_total_row& row : db.spend_all_time()) {
    all_time.add(row.estimated, row.cost_micro_usd, row.unpriced_rows);
    const std::string& first_day = row.first_date;
    if (since.empty() || (!first_day.empty() && first_day < since)) since = first_day;
  }

  const spend today_spend = between(today, today);
  const spend yesterday_spend = between(yesterday, yesterday);
  const spend month_spend = between(month, today);
  const spend window = between(first, today);  // holds the month and the rate's seven days
  std::vector<day_cost> days;
  for (const auto& [d, day_spend] : by_day)
    days.push_back({civil_day::from_days_since_epoch(d), day_spend.total()});
  const month_projection projection = project_month(days, today);
  const timestamp now_ = now();
  std::vector<hour_cost> hours;
  for (const hour_spend_row& row : db.spend_by_hour(now_ - std::chrono::hours(8 * 24)))
    hours.push_back({parse_timestamp(row.hour), {row.cost_micro_usd}});
  nlohmann::json hour_spikes = nlohmann::json::array();
  for (const auto& s : find_hour_spikes(hours, now_ - std::chrono::hours(23), now_))
    hour_spikes.push_back({{"hour", format_timestamp(s.hour)},
                           {"cost_micro_usd", s.cost.value},
                           {"median_micro_usd", s.median.value}});
  nlohmann::json spikes = nlohmann::json::array();
  for (const auto& s : find_spikes(days, days_before(today, 6), today))
    spikes.push_back({{"date", s.day.to_string()},
                      {"cost_micro_usd", s.cost.value},
                      {"median_micro_usd", s.median.value}});

  nlohmann::json budgets = nlohmann::json::array();
  std::optional<micro_usd> month_budget;
  for (const budget_view& row : db.budgets()) {
    const std::string& kind = row.kind;
    const std::string& scope_kind = row.scope_kind;
    const std::string& scope_value = row.scope_value;
    const std::string& period = row.period;
    const micro_usd threshold{row.threshold_micro_usd};
    const int warn_permille = row.warn_permille;
    nlohmann::json b = {{"id", row.id},
                        {"name", row.name},
                        {"kind", kind},
                        {"scope", scope_kind == "total" ? "total" : scope_kind + ":" + scope_value},
                        {"period", period},
                        {"threshold_micro_usd", threshold.value},
                        {"warn_ratio", warn_permille / 1000.0}};
    if (kind != "spend") {  // low-balance rules are judged against balances: see /burn
      budgets.push_back(std::move(b));
      continue;
    }
    const civil_day from = period_start(period, today);
    const micro_usd spent{db.scope_spend_micro_usd(scope_kind, scope_value, from, today)};
    b["from"] = from.to_string();
    b["spent_micro_usd"] = spent.value;
    b["used_ratio"] = threshold.value > 0 ? nlohmann::json(static_cast<double>(spent.value) /
                                                           static_cast<double>(threshold.value))
                                          : nlohmann::json(nullptr);
    b["level"] = budget_level(spent, threshold, warn_permille);
    if (scope_kind == "total" && period == "month" && !month_budget) month_budget = threshold;
    budgets.push_back(std::move(b));
  }

  const micro_usd change = today_spend.total() - yesterday_spend.total();
  nlohmann::json forecast = {
      {"month_to_date_micro_usd", projection.to_date.value},
      {"daily_rate_micro_usd", projection.daily_rate.value},
      {"rate_window_days", 7},
      {"days_left", projection.days_left},
      {"projected_month_end_micro_usd", projection.projected.value},
      {"basis", basis_of(window.has_billed, window.has_estimated)},
      {"budget_micro_usd", month_budget ? nlohmann::json(month_budget->value) : nullptr},
      {"projected_budget_ratio",
       month_budget && month_budget->value > 0
           ? nlohmann::json(static_cast<double>(projection.projected.value) /
                            static_cast<double>(month_budget->value))
           : nullptr}};
  return {
      {"generated_at", format_timestamp(now_)},
      {"time_zone", zone},
      {"today", today.to_string()},
      {"periods",
       {{"today", today_spend.to_json(today, today)},
        {"yesterday", yesterday_spend.to_json(yesterday, yesterday)},
        {"week", between(week, today).to_json(week, today)},
        {"month", month_spend.to_json(month, today)},
        {"all_time", all_time.to_json(since.empty() ? today : civil_day::parse(since), today)}}},
      {"change_vs_yesterday",
       {{"micro_usd", change.value},
        {"ratio", yesterday_spend.total().value != 0
                      ? nlohmann::json(static_cast<double>(change.value) /
                                       static_cast<double>(yesterday_spend.total().value))
                      : nullptr}}},
      {"forecast", forecast},
      {"spikes", spikes},
      {"hour_spikes", hour_spikes},
      {"budgets", budgets}};
}

}  // namespace costs::server
