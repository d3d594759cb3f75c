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
  pqxx::read_transaction tx(ctx.db->connection());
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
  for (const auto& row :
       tx.exec_prepared("spend_by_provider_day",
                        civil_day::from_days_since_epoch(today.days_since_epoch() - 7).to_string(),
                        today.to_string())) {
    auto& p = providers[row[0].c_str()];
    const civil_day d = civil_day::parse(row[1].c_str());
    const micro_usd cost{row[2].is_null() ? 0 : row[2].as<long long>()};
    p.days.push_back({d, cost});
    if (d == today) p.today = cost;
    p.estimated = p.estimated || row[3].as<bool>();
    p.unpriced_rows += row[4].as<long long>();
  }
  for (const auto& row : tx.exec_prepared("balances")) {
    auto& p = providers[row[0].c_str()];
    if (!p.balance) {
      p.balance = micro_usd{row[1].as<long long>()};
      p.currency = row[2].c_str();
    }
  }
  for (const auto& row : tx.exec_prepared("budgets"))
    if (std::string(row[2].c_str()) == "low_balance" && std::string(row[3].c_str()) == "provider")
      providers[row[4].c_str()].low_balance = micro_usd{row[6].as<long long>()};

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
