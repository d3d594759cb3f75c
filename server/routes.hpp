// Every route of costs-server, listed once in setup_routes().
#pragma once

#include <filesystem>

#include <pistache/router.h>

#include "json_route.hpp"

namespace costs::server {

/// Every route; files under `static_dir` (when not empty) answer what no route does.
void setup_routes(Pistache::Rest::Router& router, api_context& ctx,
                  const std::filesystem::path& static_dir = {});

/// Sends `root`/<the request's path> when such a file exists; false otherwise.
bool serve_static(const std::filesystem::path& root, const Pistache::Rest::Request& request,
                  Pistache::Http::ResponseWriter& response);

// Handlers, one resource per file under handlers/.
nlohmann::json get_healthz(const Pistache::Rest::Request& request, api_context& ctx);
nlohmann::json get_latest_costs(const Pistache::Rest::Request& request, api_context& ctx);
nlohmann::json get_summary(const Pistache::Rest::Request& request, api_context& ctx);
nlohmann::json get_reconcile(const Pistache::Rest::Request& request, api_context& ctx);
nlohmann::json get_burn(const Pistache::Rest::Request& request, api_context& ctx);
nlohmann::json get_daily_costs(const Pistache::Rest::Request& request, api_context& ctx);
nlohmann::json get_breakdown(const Pistache::Rest::Request& request, api_context& ctx);
/// The breakdown by one fixed key (the by-agent, by-model, ... routes).
nlohmann::json get_breakdown_by(const Pistache::Rest::Request& request, api_context& ctx,
                                const std::string& by);
nlohmann::json get_sessions(const Pistache::Rest::Request& request, api_context& ctx);
/// ?provider= (a known key), ?model=, ?agent=, ?project=, ?task=: each one exact name.
/// @throws http_error 400 for an unknown provider or a name over 500 characters.
usage_filter filter_of(const Pistache::Rest::Request& request);
/// Token counts as every answer gives them.
nlohmann::json tokens_json(const token_sums& tokens);
/// The filters as an answer repeats them.
nlohmann::json filters_json(const usage_filter& filter);
nlohmann::json get_azure_costs(const Pistache::Rest::Request& request, api_context& ctx);
nlohmann::json post_llm_calls(const Pistache::Rest::Request& request, api_context& ctx);
nlohmann::json get_usage_summary(const Pistache::Rest::Request& request, api_context& ctx);
nlohmann::json get_budgets(const Pistache::Rest::Request& request, api_context& ctx);
nlohmann::json post_budget(const Pistache::Rest::Request& request, api_context& ctx);
nlohmann::json put_budget(const Pistache::Rest::Request& request, api_context& ctx);
nlohmann::json delete_budget(const Pistache::Rest::Request& request, api_context& ctx);
nlohmann::json get_alerts(const Pistache::Rest::Request& request, api_context& ctx);
nlohmann::json get_providers(const Pistache::Rest::Request& request, api_context& ctx);
nlohmann::json post_sync(const Pistache::Rest::Request& request, api_context& ctx);
nlohmann::json get_sync(const Pistache::Rest::Request& request, api_context& ctx);
nlohmann::json get_sync_log(const Pistache::Rest::Request& request, api_context& ctx);
nlohmann::json get_openapi(const Pistache::Rest::Request& request, api_context& ctx);
/// The OpenAPI document that /openapi.json serves and /docs renders.
nlohmann::json openapi_document();

/// The API reference as one self-contained HTML page (GET /docs), from `spec` (the OpenAPI
/// document).
std::string render_docs(const nlohmann::json& spec);

}  // namespace costs::server
