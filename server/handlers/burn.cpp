// GET /api/costs/burn: per provider, spend per hour, day and week over the last seven complete
// days, the balance where known, and how long it lasts at that rate (only where the balance is
// in dollars), with the low-balance rules that apply.
#include "costs/forecast.hpp"
#include "costs/registry.hpp"
#include "costs/summary.hpp"
#include "routes.hpp"

namespace costs::server {

nlohmann::json get_burn(const Pistache::Rest::Request& request, api_context& ctx) {
  std::string zone;
  const civil_day today = request_today(request, ctx, zone);
  const burn_summary burn = summarize_burn(ctx.db->reader(), today);
  nlohmann::json out = nlohmann::json::array();
  for (const provider_burn& p : burn.providers) {
    nlohmann::json runway_until = nullptr;
    if (p.runway_days)
      runway_until = civil_day::from_days_since_epoch(today.days_since_epoch() +
                                                      static_cast<long long>(*p.runway_days))
                         .to_string();
    const provider_info* info = find_provider(p.provider);
    const bool same_currency = p.currency == "USD";
    out.push_back(
        {{"provider", p.provider},
         {"label", info != nullptr ? std::string(info->label) : p.provider},
         {"basis", p.basis},
         {"per_hour_micro_usd", p.rate.per_hour.value},
         {"per_day_micro_usd", p.rate.per_day.value},
         {"per_week_micro_usd", p.rate.per_week.value},
         {"today_micro_usd", p.today.value},
         {"unpriced_rows", p.unpriced_rows},
         {"balance_micro_usd", p.balance ? nlohmann::json(p.balance->value) : nullptr},
         {"currency", p.currency},
         {"runway_days", p.runway_days ? nlohmann::json(*p.runway_days) : nullptr},
         {"runway_until", runway_until},
         {"low_balance_micro_usd", p.low_balance ? nlohmann::json(p.low_balance->value) : nullptr},
         {"low_balance", p.low_balance && p.balance && same_currency
                             ? nlohmann::json(*p.balance < *p.low_balance)
                             : nullptr}});
  }
  return {{"generated_at", format_timestamp(now())},
          {"time_zone", zone},
          {"today", today.to_string()},
          {"window_days", burn.total.window_days},
          {"total",
           {{"per_hour_micro_usd", burn.total.per_hour.value},
            {"per_day_micro_usd", burn.total.per_day.value},
            {"per_week_micro_usd", burn.total.per_week.value}}},
          {"providers", out}};
}

}  // namespace costs::server
