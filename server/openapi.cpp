// GET /openapi.json: every route of the server, its parameters and the shape of its answers.
// The schemas are strict (every field listed, no others), and a test holds each route's real
// answer against its schema, so the document cannot drift from the server.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "routes.hpp"

namespace costs::server {
namespace {

using json = nlohmann::json;

// A small vocabulary for schemas, so each route's answer reads as its shape.
json typed(const char* type, const char* description) {
  json s = {{"type", type}};
  if (description != nullptr) s["description"] = description;
  return s;
}
json text(const char* description = nullptr) {
  return typed("string", description);
}
json integer(const char* description = nullptr) {
  return typed("integer", description);
}
json number(const char* description = nullptr) {
  return typed("number", description);
}
json boolean(const char* description = nullptr) {
  return typed("boolean", description);
}
json one_word(std::vector<std::string> words, const char* description = nullptr) {
  json s = text(description);
  s["enum"] = std::move(words);
  return s;
}
json or_null(json schema) {
  schema["nullable"] = true;
  return schema;
}
json list(json items, const char* description = nullptr) {
  json s = typed("array", description);
  s["items"] = std::move(items);
  return s;
}
/// An object with exactly these fields; those in `optional` may be absent.
json object(std::vector<std::pair<std::string, json>> fields,
            const std::vector<std::string>& optional = {}) {
  json properties = json::object(), required = json::array();
  for (auto& [name, schema] : fields) {
    if (std::find(optional.begin(), optional.end(), name) == optional.end())
      required.push_back(name);
    properties[name] = std::move(schema);
  }
  return {{"type", "object"},
          {"properties", std::move(properties)},
          {"required", std::move(required)},
          {"additionalProperties", false}};
}
/// JSON stored as the provider sent it: any shape.
json free_form(const char* description) {
  return {{"description", description}, {"nullable", true}};
}

json money(const char* description = nullptr) {
  return integer(description);
}
json money_or_null(const char* description = "null when any part could not be priced") {
  return or_null(integer(description));
}
json tokens(bool with_total) {
  std::vector<std::pair<std::string, json>> f = {{"input", integer("uncached input")},
                                                 {"output", integer()},
                                                 {"cache_read", integer()},
                                                 {"cache_write", integer()}};
  if (with_total) f.emplace_back("total", integer());
  return object(std::move(f));
}
json day(const char* description = "YYYY-MM-DD") {
  return text(description);
}
json range_fields_object(std::vector<std::pair<std::string, json>> more) {
  std::vector<std::pair<std::string, json>> f = {
      {"from", day()}, {"to", day()}, {"time_zone", text("the IANA zone whose days these are")}};
  for (auto& m : more) f.push_back(std::move(m));
  return object(std::move(f));
}

const json error_body = object(
    {{"error", object({{"code", text("stable, for programs, e.g. bad_parameter")},
                       {"message", text("one line for a person: what is wrong, what to do")}})}});

json answer(const char* description, json schema, const char* type = "application/json") {
  return {{"description", description}, {"content", {{type, {{"schema", std::move(schema)}}}}}};
}
const json error = answer("{\"error\": {\"code\", \"message\"}}", error_body);

json query(const char* name, const char* type, const char* description) {
  return json{{"name", name},
              {"in", "query"},
              {"required", false},
              {"schema", {{"type", type}}},
              {"description", description}};
}

json get(const char* summary, json shape, json parameters = json::array()) {
  return json{{"get",
               {{"summary", summary},
                {"parameters", std::move(parameters)},
                {"responses",
                 {{"200", answer("JSON; money in integer micro-dollars, null when unpriced",
                                 std::move(shape))},
                  {"304", {{"description", "unchanged since the ETag in If-None-Match"}}},
                  {"400", error},
                  {"401", error},
                  {"503", error}}}}}};
}

json write(const char* summary, const char* status, json shape, std::vector<const char*> errors,
           json body = nullptr) {
  json responses = {{status, answer("JSON", std::move(shape))}};
  for (const char* e : errors) responses[e] = error;
  json op = {{"summary", summary}, {"responses", std::move(responses)}};
  if (!body.is_null())
    op["requestBody"] = {{"required", false},
                         {"content", {{"application/json", {{"schema", std::move(body)}}}}}};
  return op;
}

}  // namespace

nlohmann::json openapi_document() {
  const json tz = query("tz", "string",
                        "the time zone whose days count, e.g. Europe/Berlin (default: the "
                        "server's --timezone, else UTC)");
  const json provider = query("provider", "string", "a provider key: only its rows");
  // The filters of the timeline and the breakdowns, each one exact name; billed days that are
  // not itemised count only while model, agent, project and task are all unset.
  const json filter_params[] = {provider, query("model", "string", "a model: only its rows"),
                                query("agent", "string", "an agent: only its rows"),
                                query("project", "string", "a project: only its rows"),
                                query("task", "string", "a task label: only its rows")};
  const json filters = object({{"provider", text()},
                               {"model", text()},
                               {"agent", text()},
                               {"project", text()},
                               {"task", text()}});
  // Every read over days takes the same range: from/to, else the last `days`.
  auto range_with = [&](std::vector<json> more) {
    json p = json::array(
        {query("from", "string", "YYYY-MM-DD, default `days` before `to`"),
         query("to", "string", "YYYY-MM-DD, default today in tz"),
         query("days", "integer", "1-3660, default 30 (when from is not given)"), tz,
         query("format", "string", "json (default) or csv: the rows as CSV, money in dollars")});
    for (auto& m : more) p.push_back(std::move(m));
    return p;
  };
  auto with_filters = [&](std::vector<json> more) {
    for (const json& f : filter_params) more.push_back(f);
    return range_with(std::move(more));
  };
  const json timeline_params =
      with_filters({query("group", "string", "provider (default), model or agent"),
                    query("interval", "string", "day (default), week (from Monday) or month")});
  const json timeline = range_fields_object(
      {{"days", integer("days in the range")},
       {"group", one_word({"provider", "model", "agent"})},
       {"interval", one_word({"day", "week", "month"})},
       {"provider", text("the provider asked for, or empty")},
       {"filters", filters},
       {"rows", list(object({{"date", day("the day, or the first day of the week or month")},
                             {"key", text("the provider, model or agent")},
                             {"cost_micro_usd", money_or_null()},
                             {"tokens", tokens(false)}}))}});
  auto breakdown = [&](bool by_provider) {
    std::vector<std::pair<std::string, json>> row = {
        {"key", text("the provider, model, agent, project, task or day; \"\" where not itemised")},
        {"cost_micro_usd", money_or_null()},
        {"priced_cost_micro_usd", or_null(money("the part that could be priced"))},
        {"calls", integer()},
        {"tokens", tokens(false)}};
    std::vector<std::string> optional;
    if (by_provider) {
      row.emplace_back("label", text("the provider's name"));
      row.emplace_back("estimated", boolean("priced by us from local logs, not a bill"));
      optional = {"label", "estimated"};  // only when grouped by provider
    }
    return range_fields_object(
        {{"by", one_word({"provider", "model", "agent", "project", "task", "date"})},
         {"provider", text("the provider asked for, or empty")},
         {"filters", filters},
         {"rows", list(object(std::move(row), optional))}});
  };
  const json sessions = range_fields_object(
      {{"filters", filters},
       {"limit", integer("at most this many rows (limit=, 1-1000, default 200)")},
       {"more", boolean("more sessions ran in the range than are listed")},
       {"rows",
        list(object({{"provider", text()},
                     {"host", text()},
                     {"session", text("the agent's session id")},
                     {"agent", text()},
                     {"project", text()},
                     {"transcript", text("the file it was read from; \"\" when not known")},
                     {"models", list(text())},
                     {"first_at", text("ISO 8601, UTC: the first call")},
                     {"last_at", text("ISO 8601, UTC: the last call")},
                     {"tokens", tokens(false)},
                     {"calls", integer()},
                     {"cost_micro_usd", money_or_null()},
                     {"priced_cost_micro_usd", money("the part that could be priced")}}))}});
  const json window = object({{"from", day()},
                              {"to", day()},
                              {"total_micro_usd", money()},
                              {"billed_micro_usd", money("what providers' APIs report")},
                              {"estimated_micro_usd", money("local logs at list prices")},
                              {"basis", one_word({"billed", "estimated", "mixed", "none"})},
                              {"unpriced_rows", integer("rows left out: no price known")}});
  // A budget rule as /api/budgets lists it; the summary adds how far each spend rule is used.
  const std::vector<std::pair<std::string, json>> rule_fields = {
      {"id", integer()},
      {"name", text()},
      {"kind", one_word({"spend", "low_balance"})},
      {"scope", text("total, provider:<key>, model:<name>, agent:<name>, ...")},
      {"period", one_word({"day", "week", "month"})},
      {"threshold_micro_usd", money()},
      {"warn_ratio", number("the share of the threshold that warns")}};
  auto budget_fields = rule_fields;
  budget_fields.insert(budget_fields.end(),
                       {{"from", day("the period's first day (spend rules)")},
                        {"spent_micro_usd", money("spent in the period so far")},
                        {"used_ratio", or_null(number())},
                        {"level", one_word({"ok", "warn", "exceeded"})}});
  const json budget =
      object(std::move(budget_fields), {"from", "spent_micro_usd", "used_ratio", "level"});
  const json spike_day =
      object({{"date", day()}, {"cost_micro_usd", money()}, {"median_micro_usd", money()}});
  const json spike_hour = object(
      {{"hour", text("ISO 8601 UTC")}, {"cost_micro_usd", money()}, {"median_micro_usd", money()}});
  const json summary = object(
      {{"generated_at", text("ISO 8601 UTC")},
       {"time_zone", text()},
       {"today", day()},
       {"periods", object({{"today", window},
                           {"yesterday", window},
                           {"week", window},
                           {"month", window},
                           {"all_time", window}})},
       {"change_vs_yesterday", object({{"micro_usd", money()}, {"ratio", or_null(number())}})},
       {"forecast", object({{"month_to_date_micro_usd", money()},
                            {"daily_rate_micro_usd", money()},
                            {"rate_window_days", integer()},
                            {"days_left", integer()},
                            {"projected_month_end_micro_usd", money()},
                            {"basis", one_word({"billed", "estimated", "mixed", "none"})},
                            {"budget_micro_usd", or_null(money())},
                            {"projected_budget_ratio", or_null(number())}})},
       {"spikes", list(spike_day)},
       {"hour_spikes", list(spike_hour)},
       {"subscriptions",
        list(object({{"provider", text()},
                     {"label", text()},
                     {"plan", text("e.g. Claude Max")},
                     {"monthly_fee_micro_usd", or_null(money("the plan's fee"))},
                     {"counts_in_spend", boolean("its usage counts in spend (opted in)")},
                     {"month_api_equivalent_micro_usd",
                      money("this month's usage at list prices: what the API would have cost")}}),
             "flat-fee plans: their providers' usage is API-equivalent, out of the totals, the "
             "forecast and total budgets unless counts_in_spend")},
       {"budgets", list(budget)}});
  const json rate = object({{"per_hour_micro_usd", money()},
                            {"per_day_micro_usd", money()},
                            {"per_week_micro_usd", money()}});
  const json burn =
      object({{"generated_at", text()},
              {"time_zone", text()},
              {"today", day()},
              {"window_days", integer()},
              {"total", rate},
              {"providers",
               list(object({{"provider", text()},
                            {"label", text()},
                            {"basis", one_word({"billed", "estimated", "mixed", "none"})},
                            {"per_hour_micro_usd", money()},
                            {"per_day_micro_usd", money()},
                            {"per_week_micro_usd", money()},
                            {"today_micro_usd", money()},
                            {"unpriced_rows", integer()},
                            {"balance_micro_usd", or_null(money())},
                            {"currency", text()},
                            {"runway_days", or_null(number("days the balance lasts at this rate"))},
                            {"runway_until", or_null(day())},
                            {"low_balance_micro_usd", or_null(money())},
                            {"low_balance", or_null(boolean())}}))}});
  auto with_figures = [&](std::vector<std::pair<std::string, json>> more) {
    std::vector<std::pair<std::string, json>> f = {{"billed_micro_usd", or_null(money())},
                                                   {"estimated_micro_usd", money()},
                                                   {"difference_micro_usd", or_null(money())},
                                                   {"explained_ratio", or_null(number())}};
    for (auto& m : more) f.push_back(std::move(m));
    return object(std::move(f));
  };
  const json reconcile =
      object({{"from", day()},
              {"to", day()},
              {"time_zone", text()},
              {"pairs", list(with_figures({{"vendor", text()},
                                           {"label", text()},
                                           {"billed_provider", text()},
                                           {"unbilled_estimated_micro_usd", money()},
                                           {"days", list(with_figures({{"date", day()}}))}}))}});
  const json last_sync = or_null(object({{"status", text()},
                                         {"finished_at", text("ISO 8601 UTC")},
                                         {"error", text("empty when it went well")}}));
  const json latest = object(
      {{"generated_at", text()},
       {"providers",
        list(object({{"provider", text()},
                     {"label", text()},
                     {"source", one_word({"api", "admin_api", "local_session"})},
                     {"host", text("the machine of local logs; empty for APIs")},
                     {"fetched_at", or_null(text("ISO 8601 UTC; null: never collected"))},
                     {"age_seconds", or_null(integer())},
                     {"expected_interval_seconds", integer()},
                     {"freshness", one_word({"fresh", "stale", "dead", "never"})},
                     {"last_sync", last_sync},
                     {"sync_failed", boolean()},
                     {"total_cost_micro_usd", money_or_null()},
                     {"balance_micro_usd", or_null(money())},
                     {"credit_limit_micro_usd", or_null(money())},
                     {"currency", text()},
                     {"tokens", tokens(true)},
                     {"units", free_form("the provider's own units (characters, requests, ...)")},
                     {"model_breakdown", free_form("per model, as collected")}}))}});
  const json azure = range_fields_object(
      {{"currency", text()},
       {"total_micro_usd", money_or_null()},
       {"by_service", list(object({{"service", text()}, {"cost_micro_usd", money_or_null()}}))},
       {"by_resource_group",
        list(object({{"resource_group", text()}, {"cost_micro_usd", money_or_null()}}))},
       {"rows", list(object({{"date", day()},
                             {"service", text()},
                             {"resource_group", text()},
                             {"cost_micro_usd", money_or_null()}}))}});
  const json part = object({{"cost_micro_usd", money_or_null()},
                            {"priced_cost_micro_usd", money()},
                            {"calls", integer()},
                            {"tokens", tokens(true)},
                            {"providers", list(text())}});
  const json usage_window =
      object({{"from", day()}, {"to", day()}, {"billed", part}, {"estimated", part}});
  const json usage_summary = object({{"time_zone", text()},
                                     {"today", day()},
                                     {"all_time", usage_window},
                                     {"last_30_days", usage_window},
                                     {"last_7_days", usage_window}});
  const json providers = object(
      {{"configured", integer("how many are configured")},
       {"providers",
        list(object({{"provider", text()},
                     {"label", text()},
                     {"source", one_word({"api", "admin_api", "local_session"})},
                     {"collector", boolean("this build can collect it")},
                     {"status", one_word({"configured", "not_configured"})},
                     {"detected_by", or_null(one_word({"environment", "credential_file",
                                                       "config_file", "local_logs", "reported"}))},
                     {"detail", text("which variable or file, or what to set")},
                     {"hint", or_null(text("a key that is set but cannot read usage"))},
                     {"last_sync", last_sync}}))}});
  const json sync_log = object(
      {{"limit", integer()},
       {"all", boolean()},
       {"rows", list(object({{"started_at", text()},
                             {"finished_at", text()},
                             {"provider", text()},
                             {"host", text()},
                             {"status", text("ok, not_configured, auth_failed, ...")},
                             {"rows_written", integer()},
                             {"error", text()},
                             {"run_id", or_null(text("null for rows from before run ids"))}}))}});
  const json rule_written = object(
      {{"id", integer()}, {"scope", text()}, {"period", text()}, {"threshold_micro_usd", money()}});
  const json rule_body =
      object({{"scope", text("total (default), provider:<key>, model:<name>, ...")},
              {"period", one_word({"day", "week", "month"})},
              {"threshold_usd", number()},
              {"warn_ratio", number("default 0.8")},
              {"kind", one_word({"spend", "low_balance"})},
              {"name", text()},
              {"channels", list(text("a channel name the operator configured"))}},
             {"scope", "period", "warn_ratio", "kind", "name", "channels"});
  const json alert_rows = object(
      {{"limit", integer()},
       {"rows", list(object({{"id", integer()},
                             {"budget_id", integer()},
                             {"budget", text("the rule's name")},
                             {"scope", text("total, provider:<key>, agent:<name>, ...")},
                             {"period", one_word({"day", "week", "month"})},
                             {"period_start", day()},
                             {"level", one_word({"warn", "exceeded"})},
                             {"spent_micro_usd", money("for low-balance rules: the balance")},
                             {"threshold_micro_usd", money()},
                             {"fired_at", text()},
                             {"delivered_at", or_null(text("null until every channel took it"))},
                             {"delivered_channels", list(text())},
                             {"delivery_error", or_null(text("what failed on the last try"))}}))}});
  const json sync_state =
      object({{"enabled", boolean("the server can start syncs (it has --admin-database-url)")},
              {"latest", or_null(object({{"run_id", text()},
                                         {"status", one_word({"running", "finished", "failed"})},
                                         {"started_at", text()},
                                         {"finished_at", or_null(text())},
                                         {"providers", list(object({{"provider", text()},
                                                                    {"status", text()},
                                                                    {"detail", text()},
                                                                    {"rows", integer()},
                                                                    {"seconds", number()}}))},
                                         {"collected", integer()},
                                         {"failed", integer()},
                                         {"alerts", integer()},
                                         {"notices", list(text())},
                                         {"error", or_null(text())}},
                                        {"collected", "failed", "alerts", "notices", "error"}))}});
  const json rules = object({{"budgets", list(object(rule_fields))}});
  const json llm_call = object(
      {{"id", text("yours: a resend with the same id counts once")},
       {"model", text()},
       {"provider", text()},
       {"agent", text()},
       {"session", text()},
       {"task", text()},
       {"input_tokens", integer("uncached")},
       {"output_tokens", integer()},
       {"cache_read_tokens", integer()},
       {"cache_write_tokens", integer()},
       {"reasoning_tokens", integer()},
       {"cost_usd", or_null(number("else the list price, else unpriced"))},
       {"timestamp", text("ISO 8601, default now")}},
      {"provider", "agent", "session", "task", "input_tokens", "output_tokens", "cache_read_tokens",
       "cache_write_tokens", "reasoning_tokens", "cost_usd", "timestamp"});

  return {
      {"openapi", "3.0.3"},
      {"info", {{"title", "costs-server"}, {"version", COSTS_VERSION}}},
      {"components",
       {{"securitySchemes",
         {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
          {"x-auth-token", {{"type", "apiKey"}, {"in", "header"}, {"name", "x-auth-token"}}}}}}},
      {"paths",
       {{"/healthz", get("The server is up and the database answers",
                         object({{"status", one_word({"ok"})},
                                 {"database", one_word({"ok"})},
                                 {"database_checked_ms_ago", integer()}}))},
        {"/metrics",
         {{"get",
           {{"summary", "Prometheus text: requests, latencies, database errors"},
            {"responses",
             {{"200", answer("Prometheus text format 0.0.4", text(), "text/plain")}}}}}}},
        {"/api/costs/latest",
         get("The newest snapshot per provider and host, with freshness: fresh up to 1.5 expected "
             "intervals (6 h for APIs, 2 h for local logs), stale up to 4, dead beyond; the "
             "pair's last sync and sync_failed. Pairs whose last sync failed come first, also "
             "those with no snapshot yet (fetched_at null, freshness never)",
             latest)},
        {"/api/costs/summary",
         get("Today, yesterday, this week, this month and all time, each split into billed (a "
             "provider's API) and estimated (local logs at list prices) with its basis; the "
             "change vs yesterday; the month-end forecast (month so far plus the mean of the last "
             "7 complete days for each day left); budget use and level (ok, warn, exceeded); "
             "spikes in the last 7 days (a day over 3x the median of the 14 before it and $1 above "
             "it)",
             summary, json::array({tz}))},
        {"/api/costs/burn",
         get("Per provider: spend per hour, day and week (mean of the last 7 complete days), "
             "balance, runway in days at that rate, low-balance rules",
             burn, json::array({tz}))},
        {"/api/costs/reconcile",
         get("Billed vs estimated per day for providers with an admin API and local logs "
             "(Anthropic, OpenAI): billed, estimated from logs at list prices, the difference and "
             "the share of billed spend the logs explain; at most 366 days",
             reconcile, range_with({}))},
        {"/api/costs/daily", get("Cost and tokens per day and key (the timeline's first name)",
                                 timeline, timeline_params)},
        {"/api/costs/breakdown",
         get("Totals per key over a period", breakdown(true),
             with_filters({query("by", "string",
                                 "provider (default), model, agent, project, task or date")}))},
        {"/api/costs/timeline",
         get("The daily series for charts: cost and tokens per day (or week, month) and key",
             timeline, timeline_params)},
        {"/api/costs/by-agent",
         get("Totals per agent over a period", breakdown(false), with_filters({}))},
        {"/api/costs/by-model",
         get("Totals per model over a period", breakdown(false), with_filters({}))},
        {"/api/costs/by-task",
         get("Totals per task label over a period", breakdown(false), with_filters({}))},
        {"/api/costs/sessions",
         get("The agents' sessions (from local logs) that ran in the range, newest first: id, "
             "transcript file, first and last call, models, tokens, calls and cost, each whole; "
             "filtered by provider, agent, project or model (not task)",
             sessions, with_filters({query("limit", "integer", "1-1000, default 200")}))},
        {"/api/costs/azure",
         get("Azure's bill per day, service and resource group, with totals by service and by "
             "resource group",
             azure, range_with({}))},
        {"/api/costs/llm",
         {{"post",
           write("Record LLM calls as they happen: one call, an array, or {calls: [...]} (at most "
                 "1000). They show as the provider agent_reports, an estimate. Needs the admin "
                 "token",
                 "200",
                 object({{"received", integer()},
                         {"recorded", integer("new calls")},
                         {"already_recorded", integer("ids sent before: counted once")},
                         {"calls", list(object({{"id", text()},
                                                {"date", day("the day the call counts on, in UTC")},
                                                {"cost_micro_usd", money_or_null()},
                                                {"cost_basis", one_word({"reported", "list_price",
                                                                         "unpriced"})}}))}}),
                 {"400", "401", "403", "503"},
                 {{"oneOf", json::array({llm_call, list(llm_call),
                                         object({{"calls", list(llm_call)}})})}})}}},
        {"/api/usage/summary",
         get("All time, the last 30 days and the last 7: billed (providers' APIs) and estimated "
             "(local logs at list prices) apart, each with tokens, calls and providers",
             usage_summary, json::array({tz}))},
        {"/api/usage/by-model",
         get("Totals per model over a period", breakdown(false), with_filters({}))},
        {"/api/usage/by-provider",
         get("Totals per provider over a period, with its label and whether it is an estimate",
             breakdown(true), with_filters({}))},
        {"/api/usage/timeline",
         get("The daily series, as /api/costs/timeline", timeline, timeline_params)},
        {"/api/providers",
         get("Every provider: configured or not where the server runs, detected_by "
             "(environment, credential_file, config_file, local_logs, reported), what to set "
             "(hint names a key that cannot read usage), and its last sync",
             providers)},
        {"/api/budgets",
         {{"get", get("The budget rules (without their channels)", rules)["get"]},
          {"post",
           write("Add a rule; channels are names the operator configured (COSTS_CHANNEL_<NAME>); "
                 "needs the admin token and --admin-database-url",
                 "201", rule_written, {"400", "401", "403", "503"}, rule_body)}}},
        {"/api/budgets/{id}",
         {{"put", write("Change a rule in place (its alerts stay with it); the body is as for "
                        "POST; needs the admin token and --admin-database-url",
                        "200", rule_written, {"400", "401", "403", "404", "503"}, rule_body)},
          {"delete",
           write("Remove a rule; needs the admin token and --admin-database-url", "200",
                 object({{"removed", integer("the id removed")}}), {"401", "403", "404", "503"})}}},
        {"/api/alerts",
         get("The budget alerts that fired, newest first: where each went and what failed",
             alert_rows, json::array({query("limit", "integer", "1-500, default 50")}))},
        {"/api/sync",
         {{"get", get("The sync trigger: whether the server can start syncs, and how the latest "
                      "one went",
                      sync_state)["get"]},
          {"post",
           write(
               "Start a sync in the server (the library's sync, one at a time). Needs the admin "
               "token and --admin-database-url; its rows in /api/sync/log carry the run_id "
               "answered",
               "202", object({{"run_id", text()}, {"status", one_word({"running"})}}),
               {"400", "401", "403", "409"},
               object({{"scope", one_word({"all", "api", "local"}, "default all")}}, {"scope"}))}}},
        {"/api/sync/log",
         get("The latest sync-log rows (providers not configured only with all=true)", sync_log,
             json::array({query("limit", "integer", "1-500, default 50"),
                          query("all", "boolean", "true: also not-configured rows")}))},
        {"/openapi.json",
         get("This document", {{"type", "object"}, {"description", "OpenAPI 3.0"}})},
        {"/docs",
         {{"get",
           {{"summary", "This document as a page to read, served whole from this server"},
            {"responses", {{"200", answer("HTML", text(), "text/html")}}}}}}}}}};
}

nlohmann::json get_openapi(const Pistache::Rest::Request&, api_context&) {
  return openapi_document();
}

}  // namespace costs::server
