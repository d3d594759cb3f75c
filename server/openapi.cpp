// GET /openapi.json: every route of the server, its parameters and its answers.
#include "routes.hpp"

namespace costs::server {

nlohmann::json openapi_document() {
  using json = nlohmann::json;
  const json error = {{"description", "{\"error\": {\"code\", \"message\"}}"}};
  auto query = [](const char* name, const char* type, const char* description) {
    return json{{"name", name},
                {"in", "query"},
                {"required", false},
                {"schema", {{"type", type}}},
                {"description", description}};
  };
  auto get = [&](const char* summary, json parameters = json::array()) {
    return json{
        {"get",
         {{"summary", summary},
          {"parameters", parameters},
          {"responses",
           {{"200", {{"description", "JSON; money in integer micro-dollars, null when unpriced"}}},
            {"304", {{"description", "unchanged since the ETag in If-None-Match"}}},
            {"400", error},
            {"401", error},
            {"503", error}}}}}};
  };
  const json tz = query("tz", "string",
                        "the time zone whose days count, e.g. Europe/Berlin (default: the "
                        "server's --timezone, else UTC)");
  const json provider = query("provider", "string", "a provider key: only its rows");
  // Every read over days takes the same range: from/to, else the last `days`.
  auto range_with = [&](std::vector<json> more) {
    json p =
        json::array({query("from", "string", "YYYY-MM-DD, default `days` before `to`"),
                     query("to", "string", "YYYY-MM-DD, default today in tz"),
                     query("days", "integer", "1-3660, default 30 (when from is not given)"), tz});
    for (auto& m : more) p.push_back(std::move(m));
    return p;
  };
  return {
      {"openapi", "3.0.3"},
      {"info", {{"title", "costs-server"}, {"version", COSTS_VERSION}}},
      {"components",
       {{"securitySchemes",
         {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
          {"x-auth-token", {{"type", "apiKey"}, {"in", "header"}, {"name", "x-auth-token"}}}}}}},
      {"paths",
       {{"/healthz", get("The server is up and the database answers")},
        {"/metrics", get("Prometheus text: requests, latencies, database errors")},
        {"/api/costs/latest",
         get("The newest snapshot per provider and host, with freshness: fresh up to 1.5 expected "
             "intervals (6 h for APIs, 2 h for local logs), stale up to 4, dead beyond; the "
             "pair's last sync and sync_failed. Pairs whose last sync failed come first, also "
             "those with no snapshot yet (fetched_at null, freshness never)")},
        {"/api/costs/summary",
         get("Today, yesterday, this week, this month and all time, each split into billed (a "
             "provider's API) and estimated (local logs at list prices) with its basis; the "
             "change vs yesterday; the month-end forecast (month so far plus the mean of the last "
             "7 complete days for each day left); budget use and level (ok, warn, exceeded); "
             "spikes in the last 7 days (a day over 3x the median of the 14 before it and $1 above "
             "it)",
             json::array({tz}))},
        {"/api/costs/burn",
         get("Per provider: spend per hour, day and week (mean of the last 7 complete days), "
             "balance, runway in days at that rate, low-balance rules",
             json::array({tz}))},
        {"/api/costs/reconcile",
         get("Billed vs estimated per day for providers with an admin API and local logs "
             "(Anthropic, OpenAI): billed, estimated from logs at list prices, the difference and "
             "the share of billed spend the logs explain",
             json::array({query("days", "integer", "1-366, default 30"), tz}))},
        {"/api/costs/daily",
         get("Cost and tokens per day and key (the timeline's first name)",
             range_with({query("group", "string", "provider (default), model or agent"),
                         query("interval", "string", "day (default), week or month"),
                         query("provider", "string", "a provider key")}))},
        {"/api/costs/breakdown",
         get("Totals per key over a period",
             range_with({query("by", "string", "provider (default), model, agent, project or task"),
                         provider}))},
        {"/api/costs/timeline",
         get("The daily series for charts: cost and tokens per day (or week, month) and key",
             range_with({query("group", "string", "provider (default), model or agent"),
                         query("interval", "string", "day (default), week (from Monday) or month"),
                         query("provider", "string", "a provider key")}))},
        {"/api/costs/by-agent", get("Totals per agent over a period", range_with({provider}))},
        {"/api/costs/by-model", get("Totals per model over a period", range_with({provider}))},
        {"/api/costs/by-task", get("Totals per task label over a period", range_with({provider}))},
        {"/api/costs/azure",
         get("Azure's bill per day, service and resource group, with totals by service and by "
             "resource group",
             range_with({}))},
        {"/api/costs/llm",
         {{"post",
           {{"summary",
             "Record LLM calls as they happen: one call, an array, or {calls: [...]} (at most "
             "1000). A call is {id (yours; a resend counts once), model, provider, agent, "
             "session, task, input_tokens (uncached), output_tokens, cache_read_tokens, "
             "cache_write_tokens, reasoning_tokens, cost_usd (else the list price, else "
             "unpriced), timestamp (ISO 8601, default now)}. They show as the provider "
             "agent_reports, an estimate. Needs the admin token"},
            {"responses",
             {{"200",
               {{"description",
                 "{received, recorded, already_recorded, calls: [{id, date, cost_micro_usd, "
                 "cost_basis: reported, list_price or unpriced}]}"}}},
              {"400", error},
              {"401", error},
              {"403", error}}}}}}},
        {"/api/usage/summary",
         get("All time, the last 30 days and the last 7: billed (providers' APIs) and estimated "
             "(local logs at list prices) apart, each with tokens, calls and providers",
             json::array({tz}))},
        {"/api/usage/by-model", get("Totals per model over a period", range_with({provider}))},
        {"/api/usage/by-provider",
         get("Totals per provider over a period, with its label and whether it is an estimate",
             range_with({}))},
        {"/api/usage/timeline",
         get("The daily series, as /api/costs/timeline",
             range_with({query("group", "string", "provider (default), model or agent"),
                         query("interval", "string", "day (default), week or month"),
                         query("provider", "string", "a provider key")}))},
        {"/api/providers",
         get("Every provider: configured or not where the server runs, detected_by "
             "(environment, credential_file, config_file, local_logs, reported), what to set "
             "(hint names a key that cannot read usage), and its last sync")},
        {"/api/budgets",
         {{"get", get("The budget rules (without their channels)")["get"]},
          {"post",
           {{"summary",
             "Add a rule: {scope, period, threshold_usd, warn_ratio, kind, name, "
             "channels}; channels are names the operator configured (COSTS_CHANNEL_<NAME>); "
             "needs the admin token and --admin-database-url"},
            {"responses",
             {{"201", {{"description", "{id, scope, period, threshold_micro_usd}"}}},
              {"400", error},
              {"401", error},
              {"403", error}}}}}}},
        {"/api/budgets/{id}",
         {{"delete",
           {{"summary", "Remove a rule; needs the admin token and --admin-database-url"},
            {"responses",
             {{"200", {{"description", "{removed}"}}},
              {"401", error},
              {"403", error},
              {"404", error}}}}}}},
        {"/api/sync",
         {{"get", get("The sync trigger: {enabled, latest: {run_id, status (running, finished, "
                      "failed), started_at, finished_at, providers: [{provider, status, detail, "
                      "rows, seconds}], collected, failed, alerts, notices, error}}")["get"]},
          {"post",
           {{"summary",
             "Start a sync in the server (the library's sync, one at a time): an empty body or "
             "{scope: all, api or local}. Needs the admin token and --admin-database-url; its "
             "rows in /api/sync/log carry the run_id answered"},
            {"responses",
             {{"202", {{"description", "{run_id, status: running}"}}},
              {"400", error},
              {"401", error},
              {"403", error},
              {"409", error}}}}}}},
        {"/api/sync/log",
         get("The latest sync-log rows (providers not configured only with all=true)",
             json::array({query("limit", "integer", "1-500, default 50"),
                          query("all", "boolean", "true: also not-configured rows")}))},
        {"/openapi.json", get("This document")},
        {"/docs", get("This document as a page to read, served whole from this server")}}}};
}

nlohmann::json get_openapi(const Pistache::Rest::Request&, api_context&) {
  return openapi_document();
}

}  // namespace costs::server
