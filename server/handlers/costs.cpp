// GET /api/costs/latest: the newest snapshot per provider and host (the usage_latest view).
#include <optional>

#include "costs/calendar.hpp"
#include "costs/registry.hpp"
#include "routes.hpp"

namespace costs::server {
namespace {

nlohmann::json nullable_int(const std::optional<std::int64_t>& v) {
  if (!v) return nullptr;
  return *v;
}

nlohmann::json embedded_json(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
}

nlohmann::json tokens_json(const token_sums& t) {
  return {{"input", t.input},
          {"output", t.output},
          {"cache_read", t.cache_read},
          {"cache_write", t.cache_write}};
}

}  // namespace

namespace {

// How often each kind of source is expected to be collected (the schedule's defaults), and what
// that makes of a snapshot's age: fresh up to 1.5 intervals, stale up to 4, dead beyond.
long expected_interval_seconds(std::string_view source) {
  return source == "local_session" ? 2 * 3600 : 6 * 3600;
}

const char* freshness(long long age, long interval) {
  if (age * 2 <= interval * 3) return "fresh";
  if (age <= interval * 4LL) return "stale";
  return "dead";
}

}  // namespace

nlohmann::json get_latest_costs(const Pistache::Rest::Request&, api_context& ctx) {
  nlohmann::json providers = nlohmann::json::array();
  for (const latest_row& row : ctx.db->reader().latest(provider_keys(source_kind::local_session))) {
    const provider_info* info = find_provider(row.provider);
    // A pair whose only news is a failed sync has no snapshot: its source is the registry's.
    const std::string source = row.source        ? *row.source
                               : info != nullptr ? to_string(info->source)
                                                 : "api";
    const long interval = expected_interval_seconds(source);
    const bool never = !row.fetched_at;
    nlohmann::json tokens = tokens_json(row.tokens);
    tokens["total"] = row.total_tokens;
    providers.push_back({
        {"provider", row.provider},
        {"label", info != nullptr ? std::string(info->label) : row.provider},
        {"source", source},
        {"host", row.host},
        {"fetched_at", never ? nlohmann::json() : nlohmann::json(*row.fetched_at)},
        {"age_seconds", nullable_int(row.age_seconds)},
        {"expected_interval_seconds", interval},
        {"freshness", never ? "never" : freshness(row.age_seconds.value_or(0), interval)},
        {"last_sync", !row.sync_status ? nlohmann::json()
                                       : nlohmann::json{{"status", *row.sync_status},
                                                        {"finished_at", row.synced_at},
                                                        {"error", row.sync_error}}},
        {"sync_failed", row.sync_failed},
        {"total_cost_micro_usd", nullable_int(row.total_cost_micro_usd)},
        {"balance_micro_usd", nullable_int(row.balance_micro_usd)},
        {"credit_limit_micro_usd", nullable_int(row.credit_limit_micro_usd)},
        {"currency", row.currency},
        {"tokens", tokens},
        {"units", embedded_json(row.units_json)},
        {"model_breakdown", embedded_json(row.model_breakdown_json)},
    });
  }
  return {{"generated_at", format_timestamp(now())}, {"providers", std::move(providers)}};
}

nlohmann::json get_daily_costs(const Pistache::Rest::Request& request, api_context& ctx) {
  const long days = int_param(request, "days", 30, 1, 366);
  const std::string group =
      choice_param(request, "group", "provider", {"provider", "model", "agent"});
  const std::string provider = query_value(request, "provider").value_or("");
  if (!provider.empty() && find_provider(provider) == nullptr)
    throw http_error{400, "bad_parameter", "provider must be a provider key, e.g. openrouter"};
  std::string zone;  // "today" is the caller's, as on every route
  const civil_day today = request_today(request, ctx, zone);
  const civil_day from = civil_day::from_days_since_epoch(today.days_since_epoch() - days + 1);
  nlohmann::json rows = nlohmann::json::array();
  for (const daily_row& row : ctx.db->reader().daily(group, from, today, provider))
    rows.push_back({{"date", row.date},
                    {"key", row.key},
                    {"cost_micro_usd", nullable_int(row.cost_micro_usd)},
                    {"tokens", tokens_json(row.tokens)}});
  return {{"days", days},
          {"group", group},
          {"provider", provider},
          {"from", from.to_string()},
          {"to", today.to_string()},
          {"time_zone", zone},
          {"rows", rows}};
}

nlohmann::json get_breakdown(const Pistache::Rest::Request& request, api_context& ctx) {
  const std::string by =
      choice_param(request, "by", "provider", {"provider", "model", "agent", "project", "task"});
  auto day = [&](const char* name, civil_day fallback) {
    const auto text = query_value(request, name);
    if (!text) return fallback;
    try {
      const civil_day d = civil_day::parse(*text);
      if (!(d < civil_day::parse("1970-01-01")) && !(civil_day::parse("9999-12-31") < d)) return d;
    } catch (const std::exception&) {
    }
    throw http_error{400, "bad_parameter",
                     std::string(name) + " must be a date from 1970-01-01 to 9999-12-31"};
  };
  std::string zone;
  const civil_day today = request_today(request, ctx, zone);
  const std::string provider = query_value(request, "provider").value_or("");
  if (!provider.empty() && find_provider(provider) == nullptr)
    throw http_error{400, "bad_parameter", "provider must be a provider key, e.g. openrouter"};
  const civil_day to = day("to", today);
  const civil_day from = day("from", civil_day::from_days_since_epoch(to.days_since_epoch() - 29));
  if (to < from) throw http_error{400, "bad_parameter", "from must not be after to"};
  nlohmann::json rows = nlohmann::json::array();
  for (const breakdown_row& row : ctx.db->reader().breakdown(by, from, to, provider))
    rows.push_back({{"key", row.key},
                    {"cost_micro_usd", nullable_int(row.cost_micro_usd)},
                    {"priced_cost_micro_usd", nullable_int(row.priced_cost_micro_usd)},
                    {"calls", row.calls},
                    {"tokens", tokens_json(row.tokens)}});
  return {{"by", by},          {"from", from.to_string()}, {"to", to.to_string()},
          {"time_zone", zone}, {"provider", provider},     {"rows", rows}};
}

}  // namespace costs::server
