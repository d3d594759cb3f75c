// GET /api/providers and GET /api/sync/log: what the server knows of each provider and how the
// recent syncs went.
#include <map>

#include "costs/provider.hpp"
#include "costs/registry.hpp"
#include "routes.hpp"

namespace costs::server {

nlohmann::json get_providers(const Pistache::Rest::Request&, api_context& ctx) {
  std::map<std::string, nlohmann::json> last;
  for (const sync_row& row : ctx.db->reader().last_syncs())
    last[row.provider] = {
        {"status", row.status}, {"finished_at", row.finished_at}, {"error", row.error}};
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : all_providers()) {
    const auto it = last.find(std::string(p.key));
    out.push_back({{"provider", p.key},
                   {"label", p.label},
                   {"source", to_string(p.source)},
                   {"collector", make_provider(p.key) != nullptr},
                   {"last_sync", it == last.end() ? nlohmann::json() : it->second}});
  }
  return {{"providers", out}};
}

nlohmann::json get_sync_log(const Pistache::Rest::Request& request, api_context& ctx) {
  const long limit = int_param(request, "limit", 50, 1, 500);
  // Runs log every provider they looked for; those not configured are noise here unless asked.
  const bool all = choice_param(request, "all", "false", {"true", "false"}) == "true";
  nlohmann::json rows = nlohmann::json::array();
  for (const sync_row& row : ctx.db->reader().sync_log(static_cast<int>(limit), all))
    rows.push_back({{"started_at", row.started_at},
                    {"finished_at", row.finished_at},
                    {"provider", row.provider},
                    {"host", row.host},
                    {"status", row.status},
                    {"rows_written", row.rows_written},
                    {"error", row.error}});
  return {{"limit", limit}, {"all", all}, {"rows", rows}};
}

}  // namespace costs::server
