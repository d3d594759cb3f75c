// GET /api/providers and GET /api/sync/log: what the server knows of each provider and how the
// recent syncs went.
#include <map>

#include "costs/provider.hpp"
#include "costs/registry.hpp"
#include "routes.hpp"

namespace costs::server {

nlohmann::json get_providers(const Pistache::Rest::Request&, api_context& ctx) {
  pqxx::read_transaction tx(ctx.db->connection());
  std::map<std::string, nlohmann::json> last;
  for (const auto& row : tx.exec_prepared("last_syncs"))
    last[row[0].c_str()] = {
        {"status", row[1].c_str()}, {"finished_at", row[2].c_str()}, {"error", row[3].c_str()}};
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
  pqxx::read_transaction tx(ctx.db->connection());
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : tx.exec_prepared("sync_log", limit, all))
    rows.push_back({{"started_at", row[0].c_str()},
                    {"finished_at", row[1].c_str()},
                    {"provider", row[2].c_str()},
                    {"host", row[3].c_str()},
                    {"status", row[4].c_str()},
                    {"rows_written", row[5].as<long long>()},
                    {"error", row[6].c_str()}});
  return {{"limit", limit}, {"all", all}, {"rows", rows}};
}

}  // namespace costs::server
