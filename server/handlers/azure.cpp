// GET /api/costs/azure: Azure's bill per day, service and resource group, with the totals of
// each service and each resource group over the days asked for.
#include <map>

#include "routes.hpp"

namespace costs::server {
namespace {

using totals = std::map<std::string, std::optional<std::int64_t>>;

void add(totals& t, const std::string& key, const std::optional<std::int64_t>& cost) {
  auto [it, fresh] = t.try_emplace(key, cost);
  if (!fresh) it->second = plus(it->second, cost);
}

nlohmann::json rows_of(const totals& t, const char* name) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [key, cost] : t)
    out.push_back({{name, key}, {"cost_micro_usd", nullable(cost)}});
  return out;
}

}  // namespace

nlohmann::json get_azure_costs(const Pistache::Rest::Request& request, api_context& ctx) {
  const day_range range = request_range(request, ctx, 30);
  nlohmann::json days = nlohmann::json::array();
  totals services, groups, all;
  for (const service_day_row& row : ctx.db->reader().service_costs("azure", range.from, range.to)) {
    days.push_back({{"date", row.date},
                    {"service", row.service},
                    {"resource_group", row.resource_group},
                    {"cost_micro_usd", nullable(row.cost_micro_usd)}});
    add(services, row.service, row.cost_micro_usd);
    add(groups, row.resource_group, row.cost_micro_usd);
    add(all, "", row.cost_micro_usd);
  }
  const auto total = all.empty() ? std::optional<std::int64_t>(0) : all.begin()->second;
  return {{"from", range.from.to_string()},
          {"to", range.to.to_string()},
          {"time_zone", range.zone},
          {"currency", "USD"},
          {"total_micro_usd", nullable(total)},
          {"by_service", rows_of(services, "service")},
          {"by_resource_group", rows_of(groups, "resource_group")},
          {"rows", days}};
}

}  // namespace costs::server
