// GET /api/alerts?limit=50: the budget alerts that fired, newest first, with where each went and
// what failed on the way (a channel that refused, an unreachable webhook).
#include "routes.hpp"

namespace costs::server {

nlohmann::json get_alerts(const Pistache::Rest::Request& request, api_context& ctx) {
  const long limit = int_param(request, "limit", 50, 1, 500);
  nlohmann::json rows = nlohmann::json::array();
  for (const alert_history_row& h : ctx.db->reader().alert_history(static_cast<int>(limit)))
    rows.push_back(
        {{"id", h.alert.id},
         {"budget_id", h.alert.budget_id},
         {"budget", h.budget_name},
         {"scope", h.scope},
         {"period", h.period},
         {"period_start", h.alert.period_start.to_string()},
         {"level", h.alert.level},
         {"spent_micro_usd", h.alert.spent_micro_usd},
         {"threshold_micro_usd", h.alert.threshold_micro_usd},
         {"fired_at", h.fired_at},
         {"delivered_at",
          h.delivered_at.empty() ? nlohmann::json() : nlohmann::json(h.delivered_at)},
         {"delivered_channels", h.alert.delivered_channels},
         {"delivery_error",
          h.delivery_error.empty() ? nlohmann::json() : nlohmann::json(h.delivery_error)}});
  return {{"limit", limit}, {"rows", rows}};
}

}  // namespace costs::server
