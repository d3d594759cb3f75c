// GET /api/providers and GET /api/sync/log: what the server knows of each provider and how the
// recent syncs went.
#include <map>

#include "costs/paths.hpp"
#include "costs/provider.hpp"
#include "costs/registry.hpp"
#include "routes.hpp"

namespace costs::server {
namespace {

// Keys people often hold that cannot read usage: named, so "not configured" is no mystery.
// Only whether the variable is set is looked at, never its value.
std::string near_miss(std::string_view key) {
  struct hint {
    std::string_view provider;
    const char* variable;
    std::string_view text;
  };
  static constexpr hint hints[] = {
      {"anthropic_api", "ANTHROPIC_API_KEY",
       "ANTHROPIC_API_KEY is set: it makes calls but cannot read usage; an Admin API key "
       "(ANTHROPIC_ADMIN_KEY) can"},
      {"openai_api", "OPENAI_API_KEY",
       "OPENAI_API_KEY is set: it makes calls but cannot read usage; an admin key "
       "(OPENAI_ADMIN_KEY) can"},
      {"gcp_billing", "GEMINI_API_KEY",
       "GEMINI_API_KEY is set: Gemini's API reports no usage; Google bills through Cloud "
       "Billing's BigQuery export (GOOGLE_APPLICATION_CREDENTIALS, COSTS_GCP_BILLING_TABLE)"},
  };
  for (const hint& h : hints)
    if (h.provider == key && env(h.variable)) return std::string(h.text);
  return {};
}

}  // namespace

// Detection runs here, in the server's environment and home: a sync on another machine sees
// its own, which last_sync reports.
nlohmann::json get_providers(const Pistache::Rest::Request&, api_context& ctx) {
  std::map<std::string, nlohmann::json> last;
  for (const sync_row& row : ctx.db->reader().last_syncs())
    last[row.provider] = {
        {"status", row.status}, {"finished_at", row.finished_at}, {"error", row.error}};
  nlohmann::json out = nlohmann::json::array();
  std::size_t configured = 0;
  for (const auto& p : all_providers()) {
    const auto collector = make_provider(p.key);
    detection d{false, "no collector in this build yet"};
    std::string detected_by;
    if (!p.collected) {
      d = {true, "agents send their calls: POST /api/costs/llm"};
      detected_by = "reported";
    } else if (collector) {
      d = collector->detect();
      if (d.configured) detected_by = to_string(d.found);
    }
    configured += d.configured ? 1 : 0;
    const auto it = last.find(std::string(p.key));
    const std::string hint = d.configured ? std::string() : near_miss(p.key);
    out.push_back({{"provider", p.key},
                   {"label", p.label},
                   {"source", to_string(p.source)},
                   {"collector", collector != nullptr || !p.collected},
                   {"status", d.configured ? "configured" : "not_configured"},
                   {"detected_by", nullable(detected_by)},
                   {"detail", d.reason},
                   {"hint", nullable(hint)},
                   {"last_sync", it == last.end() ? nlohmann::json() : it->second}});
  }
  return {{"configured", configured}, {"providers", out}};
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
                    {"error", row.error},
                    {"run_id", nullable(row.run_id)}});
  return {{"limit", limit}, {"all", all}, {"rows", rows}};
}

}  // namespace costs::server
