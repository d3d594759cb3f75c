// GET /api/costs/latest: the newest snapshot per provider and host (the usage_latest view).
#include <map>
#include <optional>

#include "costs/calendar.hpp"
#include "costs/registry.hpp"
#include "routes.hpp"

namespace costs::server {
namespace {

nlohmann::json embedded_json(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
}

}  // namespace

nlohmann::json tokens_json(const token_sums& t) {
  return {{"input", t.input},
          {"output", t.output},
          {"cache_read", t.cache_read},
          {"cache_write", t.cache_write}};
}

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
        {"age_seconds", nullable(row.age_seconds)},
        {"expected_interval_seconds", interval},
        {"freshness", never ? "never" : freshness(row.age_seconds.value_or(0), interval)},
        {"last_sync", !row.sync_status ? nlohmann::json()
                                       : nlohmann::json{{"status", *row.sync_status},
                                                        {"finished_at", row.synced_at},
                                                        {"error", row.sync_error}}},
        {"sync_failed", row.sync_failed},
        {"total_cost_micro_usd", nullable(row.total_cost_micro_usd)},
        {"balance_micro_usd", nullable(row.balance_micro_usd)},
        {"credit_limit_micro_usd", nullable(row.credit_limit_micro_usd)},
        {"currency", row.currency},
        {"tokens", tokens},
        {"units", embedded_json(row.units_json)},
        {"model_breakdown", embedded_json(row.model_breakdown_json)},
    });
  }
  return {{"generated_at", format_timestamp(now())}, {"providers", std::move(providers)}};
}

namespace {

// The first day of the week (Monday) or month `d` falls in; `d` itself for "day".
civil_day bucket_of(civil_day d, const std::string& interval) {
  if (interval == "month") return {d.year, d.month, 1};
  if (interval == "week") {
    const long long n = d.days_since_epoch();
    return civil_day::from_days_since_epoch(n -
                                            ((n % 7 + 7 + 3) % 7));  // 1970-01-01 was a Thursday
  }
  return d;
}

}  // namespace

// The filters a read takes: provider (a known key), model, agent, project and task (each one
// exact name, as the breakdowns list them).
usage_filter filter_of(const Pistache::Rest::Request& request) {
  usage_filter f;
  f.provider = query_value(request, "provider").value_or("");
  if (!f.provider.empty() && find_provider(f.provider) == nullptr)
    throw http_error{400, "bad_parameter", "provider must be a provider key, e.g. openrouter"};
  const std::pair<const char*, std::string*> names[] = {
      {"model", &f.model}, {"agent", &f.agent}, {"project", &f.project}, {"task", &f.task}};
  for (const auto& [name, into] : names) {
    *into = query_value(request, name).value_or("");
    if (into->size() > 500)
      throw http_error{400, "bad_parameter", std::string(name) + ": at most 500 characters"};
  }
  return f;
}

nlohmann::json filters_json(const usage_filter& f) {
  return {{"provider", f.provider},
          {"model", f.model},
          {"agent", f.agent},
          {"project", f.project},
          {"task", f.task}};
}

nlohmann::json get_daily_costs(const Pistache::Rest::Request& request, api_context& ctx) {
  const std::string group =
      choice_param(request, "group", "provider", {"provider", "model", "agent"});
  const std::string interval = choice_param(request, "interval", "day", {"day", "week", "month"});
  const usage_filter filter = filter_of(request);
  const day_range range = request_range(request, ctx, 30);  // "today" is the caller's
  // Days add up into weeks or months; a bucket with an unpriced day has no whole cost.
  std::map<std::pair<std::string, std::string>, daily_row> buckets;
  for (const daily_row& row : ctx.db->reader().daily(group, range.from, range.to, filter)) {
    const std::string start = bucket_of(civil_day::parse(row.date), interval).to_string();
    auto [it, fresh] = buckets.try_emplace({start, row.key}, row);
    if (fresh) {
      it->second.date = start;
      continue;
    }
    daily_row& b = it->second;
    b.cost_micro_usd = plus(b.cost_micro_usd, row.cost_micro_usd);
    b.tokens += row.tokens;
  }
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& [key, row] : buckets)
    rows.push_back({{"date", row.date},
                    {"key", row.key},
                    {"cost_micro_usd", nullable(row.cost_micro_usd)},
                    {"tokens", tokens_json(row.tokens)}});
  return {{"days", range.to.days_since_epoch() - range.from.days_since_epoch() + 1},
          {"group", group},
          {"interval", interval},
          {"provider", filter.provider},
          {"filters", filters_json(filter)},
          {"from", range.from.to_string()},
          {"to", range.to.to_string()},
          {"time_zone", range.zone},
          {"rows", rows}};
}

nlohmann::json get_breakdown_by(const Pistache::Rest::Request& request, api_context& ctx,
                                const std::string& by) {
  const usage_filter filter = filter_of(request);
  const day_range range = request_range(request, ctx, 30);
  nlohmann::json rows = nlohmann::json::array();
  for (const breakdown_row& row : ctx.db->reader().breakdown(by, range.from, range.to, filter)) {
    nlohmann::json r = {{"key", row.key},
                        {"cost_micro_usd", nullable(row.cost_micro_usd)},
                        {"priced_cost_micro_usd", nullable(row.priced_cost_micro_usd)},
                        {"calls", row.calls},
                        {"tokens", tokens_json(row.tokens)}};
    if (by == "provider") {
      // Local logs are priced by us (an estimate); an API's figure is the bill.
      const provider_info* info = find_provider(row.key);
      r["label"] = info != nullptr ? std::string(info->label) : row.key;
      r["estimated"] = info != nullptr && info->source == source_kind::local_session;
    }
    rows.push_back(std::move(r));
  }
  return {{"by", by},
          {"from", range.from.to_string()},
          {"to", range.to.to_string()},
          {"time_zone", range.zone},
          {"provider", filter.provider},
          {"filters", filters_json(filter)},
          {"rows", rows}};
}

nlohmann::json get_breakdown(const Pistache::Rest::Request& request, api_context& ctx) {
  return get_breakdown_by(request, ctx,
                          choice_param(request, "by", "provider",
                                       {"provider", "model", "agent", "project", "task", "date"}));
}

}  // namespace costs::server
