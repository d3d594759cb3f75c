// GET /api/costs/latest: the newest snapshot per provider and host (the usage_latest view).
#include <optional>

#include "costs/calendar.hpp"
#include "costs/registry.hpp"
#include "routes.hpp"

namespace costs::server {
namespace {

nlohmann::json nullable_int(const pqxx::field& f) {
  if (f.is_null()) return nullptr;
  return f.as<long long>();
}

nlohmann::json embedded_json(const pqxx::field& f) {
  if (f.is_null()) return nullptr;
  return nlohmann::json::parse(f.c_str(), nullptr, /*allow_exceptions=*/false);
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
  std::string local_keys;  // a Postgres array literal of the local sources' keys
  for (const auto& p : all_providers())
    if (p.source == source_kind::local_session)
      local_keys += (local_keys.empty() ? "" : ",") + std::string(p.key);
  pqxx::read_transaction tx(ctx.db->connection());
  const pqxx::result rows = tx.exec_prepared("latest", "{" + local_keys + "}");
  nlohmann::json providers = nlohmann::json::array();
  for (const auto& row : rows) {
    const std::string key = row["provider"].c_str();
    const provider_info* info = find_provider(key);
    // A pair whose only news is a failed sync has no snapshot: its source is the registry's.
    const std::string source = !row["source"].is_null() ? row["source"].c_str()
                               : info != nullptr        ? to_string(info->source)
                                                        : "api";
    const long interval = expected_interval_seconds(source);
    const bool never = row["fetched_at"].is_null();
    providers.push_back({
        {"provider", key},
        {"label", info != nullptr ? std::string(info->label) : key},
        {"source", source},
        {"host", row["host"].c_str()},
        {"fetched_at", never ? nlohmann::json() : nlohmann::json(row["fetched_at"].c_str())},
        {"age_seconds", nullable_int(row["age_seconds"])},
        {"expected_interval_seconds", interval},
        {"freshness", never ? "never" : freshness(row["age_seconds"].as<long long>(), interval)},
        {"last_sync", row["sync_status"].is_null()
                          ? nlohmann::json()
                          : nlohmann::json{{"status", row["sync_status"].c_str()},
                                           {"finished_at", row["synced_at"].c_str()},
                                           {"error", row["sync_error"].c_str()}}},
        {"sync_failed", row["sync_failed"].as<bool>()},
        {"total_cost_micro_usd", nullable_int(row["total_cost_micro_usd"])},
        {"balance_micro_usd", nullable_int(row["balance_micro_usd"])},
        {"credit_limit_micro_usd", nullable_int(row["credit_limit_micro_usd"])},
        {"currency", row["currency"].c_str()},
        {"tokens",
         {{"input", row["input_tokens"].as<long long>()},
          {"output", row["output_tokens"].as<long long>()},
          {"cache_read", row["cache_read_tokens"].as<long long>()},
          {"cache_write", row["cache_write_tokens"].as<long long>()},
          {"total", row["total_tokens"].as<long long>()}}},
        {"units", embedded_json(row["units"])},
        {"model_breakdown", embedded_json(row["model_breakdown"])},
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
  pqxx::read_transaction tx(ctx.db->connection());
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row :
       tx.exec_prepared("daily_" + group, from.to_string(), provider, today.to_string()))
    rows.push_back({{"date", row[0].c_str()},
                    {"key", row[1].c_str()},
                    {"cost_micro_usd", nullable_int(row[2])},
                    {"tokens",
                     {{"input", row[3].as<long long>()},
                      {"output", row[4].as<long long>()},
                      {"cache_read", row[5].as<long long>()},
                      {"cache_write", row[6].as<long long>()}}}});
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
      return civil_day::parse(*text);
    } catch (const std::exception&) {
      throw http_error{400, "bad_parameter", std::string(name) + " must be a date, YYYY-MM-DD"};
    }
  };
  std::string zone;
  const civil_day today = request_today(request, ctx, zone);
  const std::string provider = query_value(request, "provider").value_or("");
  if (!provider.empty() && find_provider(provider) == nullptr)
    throw http_error{400, "bad_parameter", "provider must be a provider key, e.g. openrouter"};
  const civil_day to = day("to", today);
  const civil_day from = day("from", civil_day::from_days_since_epoch(to.days_since_epoch() - 29));
  if (to < from) throw http_error{400, "bad_parameter", "from must not be after to"};
  pqxx::read_transaction tx(ctx.db->connection());
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row :
       tx.exec_prepared("breakdown_" + by, from.to_string(), to.to_string(), provider))
    rows.push_back({{"key", row[0].c_str()},
                    {"cost_micro_usd", nullable_int(row[1])},
                    {"priced_cost_micro_usd", nullable_int(row[2])},
                    {"calls", row[3].as<long long>()},
                    {"tokens",
                     {{"input", row[4].as<long long>()},
                      {"output", row[5].as<long long>()},
                      {"cache_read", row[6].as<long long>()},
                      {"cache_write", row[7].as<long long>()}}}});
  return {{"by", by},          {"from", from.to_string()}, {"to", to.to_string()},
          {"time_zone", zone}, {"provider", provider},     {"rows", rows}};
}

}  // namespace costs::server
