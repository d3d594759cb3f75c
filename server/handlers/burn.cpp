// GET /api/costs/burn: per provider, spend per hour, day and week over the last seven complete
// days, the balance where known, and how long it lasts at that rate (only where the balance is
// in dollars), with the low-balance rules that apply.
#include <map>

#include "costs/forecast.hpp"
#include "costs/registry.hpp"
#include "routes.hpp"

namespace costs::server {

nlohmann::json get_burn(const Pistache::Rest::Request& request, api_context& ctx) {
  std::string zone;
  const civil_day today = request_today(request, ctx, zone);
  target& db = ctx.db->reader();
  struct provider_burn {
    std::vector<day_cost> days;
    micro_usd today;
    bool estimated = false;
    long long unpriced_rows = 0;
    std::optional<micro_usd> balance;
    std::string currency = "USD";
    std::optional<micro_usd> low_balance;
  };
  std::map<std::string, provider_burn> providers;
  for (const provider_day_row& row : db.spend_by_provider_day(
           civil_day::from_days_since_epoch(today.days_since_epoch() - 7), today)) {
    auto& p = providers[row.provider];
    const civil_day d = civil_day::parse(row.date);
    const micro_usd cost{row.cost_micro_usd.value_or(0)};
    p.days.push_back({d, cost});
    if (d == today) p.today = cost;
    p.estimated = p.estimated || row.estimated;
    p.unpriced_rows += row.unpriced_rows;
  }
  for (const balance_row& row : db.balances()) {
    auto& p = providers[row.provider];
    if (!p.balance) {
      p.balance = micro_usd{row.balance_micro_usd};
      p.currency = row.currency;
    }
  }
  for (const budget_view& row : db.budgets())
    if (row.kind == "low_balance" && row.scope_kind == "provider")
      providers[row.scope_value].low_balance = micro_usd{row.threshold_micro_usd};

  nlohmann::json out = nlohmann::json::array();
  std::vector<day_cost> all_days;
  for (const auto& [key, p] : providers) {
    const burn_rate burn = burn_over(p.days, today);
    all_days.insert(all_days.end(), p.days.begin(), p.days.end());
    // Runway only where balance and spend are in one currency: a CNY balance is not divided by
    // dollars.
    const bool same_currency = p.currency == "USD";
    nlohmann::json runway = nullptr;
    nlohmann::json runway_until = nullptr;
    if (p.balance && same_currency) {
      if (const auto days = runway_days(*p.balance, burn)) {
        runway = *days;
        runway_until = civil_day::from_days_since_epoch(today.days_since_epoch() +
                                                        static_cast<long long>(*days))
                           .to_string();
      }
    }
    const provider_info* info = find_provider(key);
    out.push_back(
        {{"provider", key},
         {"label", info != nullptr ? std::string(info->label) : key},
         {"basis", p.days.empty() ? "none"
                   : p.estimated  ? "estimated"
                                  : "billed"},
         {"per_hour_micro_usd", burn.per_hour.value},
         {"per_day_micro_usd", burn.per_day.value},
         {"per_week_micro_usd", burn.per_week.value},
         {"today_micro_usd", p.today.value},
         {"unpriced_rows", p.unpriced_rows},
         {"balance_micro_usd", p.balance ? nlohmann::json(p.balance->value) : nullptr},
         {"currency", p.currency},
         {"runway_days", runway},
         {"runway_until", runway_until},
         {"low_balance_micro_usd", p.low_balance ? nlohmann::json(p.low_balance->value) : nullptr},
         {"low_balance", p.low_balance && p.balance && same_currency
                             ? nlohmann::json(*p.balance < *p.low_balance)
                             : nullptr}});
  }
  const burn_rate total = burn_over(all_days, today);
  return {{"generated_at", format_timestamp(now())},
          {"time_zone", zone},
          {"today", today.to_string()},
          {"window_days", total.window_days},
          {"total",
           {{"per_hour_micro_usd", total.per_hour.value},
            {"per_day_micro_usd", total.per_day.value},
            {"per_week_micro_usd", total.per_week.value}}},
          {"providers", out}};
}

}  // namespace costs::server
