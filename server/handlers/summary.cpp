// GET /api/costs/summary: today, yesterday, this week, this month and all time; the change vs
// yesterday; the month-end forecast; budget use. Every figure is split into billed (what a
// provider's API reports) and estimated (local logs priced at list prices), with `basis` saying
// which the total holds, so the two are never mixed silently.
#include <map>

#include "costs/forecast.hpp"
#include "costs/registry.hpp"
#include "costs/summary.hpp"
#include "routes.hpp"

namespace costs::server {
namespace {

nlohmann::json window_json(const spend_window& w) {
  return {{"from", w.from.to_string()},
          {"to", w.to.to_string()},
          {"total_micro_usd", w.total().value},
          {"billed_micro_usd", w.billed.value},
          {"estimated_micro_usd", w.estimated.value},
          {"basis", w.basis()},
          {"unpriced_rows", w.unpriced_rows}};
}

}  // namespace

nlohmann::json get_summary(const Pistache::Rest::Request& request, api_context& ctx) {
  std::string zone;
  const civil_day today = request_today(request, ctx, zone);
  target& db = ctx.db->reader();
  const timestamp now_ = now();
  const spend_summary s = summarize_spend(db, today, now_);

  nlohmann::json hour_spikes = nlohmann::json::array();
  for (const auto& h : s.hour_spikes)
    hour_spikes.push_back({{"hour", format_timestamp(h.hour)},
                           {"cost_micro_usd", h.cost.value},
                           {"median_micro_usd", h.median.value}});
  nlohmann::json spikes = nlohmann::json::array();
  for (const auto& d : s.spikes)
    spikes.push_back({{"date", d.day.to_string()},
                      {"cost_micro_usd", d.cost.value},
                      {"median_micro_usd", d.median.value}});

  // Plans: what their usage this month would have cost at list prices, apart from spend.
  nlohmann::json plans = nlohmann::json::array();
  if (const auto subscriptions = db.subscriptions(); !subscriptions.empty()) {
    std::map<std::string, std::int64_t> month;
    for (const provider_day_row& row :
         db.spend_by_provider_day(civil_day{today.year, today.month, 1}, today))
      month[row.provider] += row.cost_micro_usd.value_or(0);
    for (const subscription& p : subscriptions) {
      const provider_info* info = find_provider(p.provider);
      plans.push_back({{"provider", p.provider},
                       {"label", info != nullptr ? std::string(info->label) : p.provider},
                       {"plan", p.plan},
                       {"monthly_fee_micro_usd", nullable(p.monthly_fee_micro_usd)},
                       {"counts_in_spend", p.counts_in_spend},
                       {"month_api_equivalent_micro_usd", month[p.provider]}});
    }
  }

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

  const month_projection& projection = s.projection;
  nlohmann::json forecast = {
      {"month_to_date_micro_usd", projection.to_date.value},
      {"daily_rate_micro_usd", projection.daily_rate.value},
      {"rate_window_days", 7},
      {"days_left", projection.days_left},
      {"projected_month_end_micro_usd", projection.projected.value},
      {"basis", s.forecast_window.basis()},
      {"budget_micro_usd", month_budget ? nlohmann::json(month_budget->value) : nullptr},
      {"projected_budget_ratio",
       month_budget && month_budget->value > 0
           ? nlohmann::json(static_cast<double>(projection.projected.value) /
                            static_cast<double>(month_budget->value))
           : nullptr}};
  return {{"generated_at", format_timestamp(now_)},
          {"time_zone", zone},
          {"today", today.to_string()},
          {"periods",
           {{"today", window_json(s.today_spend)},
            {"yesterday", window_json(s.yesterday)},
            {"week", window_json(s.week)},
            {"month", window_json(s.month)},
            {"all_time", window_json(s.all_time)}}},
          {"change_vs_yesterday",
           {{"micro_usd", s.change.value},
            {"ratio", s.yesterday.total().value != 0
                          ? nlohmann::json(static_cast<double>(s.change.value) /
                                           static_cast<double>(s.yesterday.total().value))
                          : nullptr}}},
          {"forecast", forecast},
          {"spikes", spikes},
          {"hour_spikes", hour_spikes},
          {"subscriptions", plans},
          {"budgets", budgets}};
}

}  // namespace costs::server
