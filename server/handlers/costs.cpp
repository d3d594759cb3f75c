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

nlohmann::json get_latest_costs(const Pistache::Rest::Request&, api_context& ctx) {
  pqxx::read_transaction tx(ctx.db->connection());
  const pqxx::result rows = tx.exec_prepared("latest");
  nlohmann::json providers = nlohmann::json::array();
  for (const auto& row : rows) {
    const std::string key = row["provider"].c_str();
    const provider_info* info = find_provider(key);
    providers.push_back({
        {"provider", key},
        {"label", info != nullptr ? std::string(info->label) : key},
        {"source", row["source"].c_str()},
        {"host", row["host"].c_str()},
        {"fetched_at", row["fetched_at"].c_str()},
        {"age_seconds", row["age_seconds"].as<long long>()},
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

}  // namespace costs::server
