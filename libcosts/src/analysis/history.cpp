// What the database holds, read back through costs::target (Postgres or Supabase's REST API).
#include "costs/history.hpp"

#include <map>

#include "costs/target.hpp"

namespace costs {

namespace {

std::unique_ptr<target> open(const std::string& url, const std::string& rest_key) {
  target_options options;
  options.rest_key = rest_key;
  return open_target(url, options);
}

}  // namespace

std::vector<provider_history> read_history(const std::string& url, civil_day from, civil_day to,
                                           const std::string& rest_key) {
  auto db = open(url, rest_key);
  std::map<std::string, provider_history> by_provider;
  for (const provider_day_row& row : db->spend_by_provider_day(from, to)) {
    auto& p = by_provider[row.provider];
    p.provider = row.provider;
    p.days.push_back({civil_day::parse(row.date), micro_usd{row.cost_micro_usd.value_or(0)}});
    p.estimated = p.estimated || row.estimated;
  }
  for (const balance_row& row : db->balances()) {
    auto& p = by_provider[row.provider];
    p.provider = row.provider;
    p.balance = micro_usd{row.balance_micro_usd};
    p.currency = row.currency;
  }
  std::vector<provider_history> out;
  for (auto& [key, p] : by_provider) out.push_back(std::move(p));
  return out;
}

}  // namespace costs
