// GET /api/usage/summary: all time, the last 30 days and the last 7, each as the bill (providers'
// APIs) and the estimate (local logs at list prices), never summed into one figure.
#include "costs/registry.hpp"
#include "routes.hpp"

namespace costs::server {
namespace {

struct part {
  std::optional<std::int64_t> cost = 0;  // null once any row has no price
  std::int64_t priced = 0;
  std::int64_t calls = 0;
  token_sums tokens;
  std::vector<std::string> providers;

  void add(const breakdown_row& row) {
    cost = plus(cost, row.cost_micro_usd);
    priced += row.priced_cost_micro_usd.value_or(0);
    calls += row.calls;
    tokens += row.tokens;
    providers.push_back(row.key);
  }

  nlohmann::json to_json() const {
    return {{"cost_micro_usd", nullable(cost)},
            {"priced_cost_micro_usd", priced},
            {"calls", calls},
            {"tokens",
             {{"input", tokens.input},
              {"output", tokens.output},
              {"cache_read", tokens.cache_read},
              {"cache_write", tokens.cache_write},
              {"total", tokens.input + tokens.output + tokens.cache_read + tokens.cache_write}}},
            {"providers", providers}};
  }
};

nlohmann::json window(api_context& ctx, civil_day from, civil_day to) {
  part billed, estimated;
  for (const breakdown_row& row : ctx.db->reader().breakdown("provider", from, to, {})) {
    const provider_info* info = find_provider(row.key);
    (info != nullptr && info->source == source_kind::local_session ? estimated : billed).add(row);
  }
  return {{"from", from.to_string()},
          {"to", to.to_string()},
          {"billed", billed.to_json()},
          {"estimated", estimated.to_json()}};
}

}  // namespace

nlohmann::json get_usage_summary(const Pistache::Rest::Request& request, api_context& ctx) {
  std::string zone;
  const civil_day today = request_today(request, ctx, zone);
  auto days_back = [&](long n) {
    return civil_day::from_days_since_epoch(today.days_since_epoch() - n + 1);
  };
  return {{"time_zone", zone},
          {"today", today.to_string()},
          {"all_time", window(ctx, civil_day::parse("1970-01-01"), today)},
          {"last_30_days", window(ctx, days_back(30), today)},
          {"last_7_days", window(ctx, days_back(7), today)}};
}

}  // namespace costs::server
