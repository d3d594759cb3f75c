// costs/history.hpp: what the database holds, read back for summaries in a terminal or a chat:
// daily spend per provider and the latest balances.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "costs/calendar.hpp"
#include "costs/forecast.hpp"
#include "costs/money.hpp"

namespace costs {

struct provider_history {
  std::string provider;
  bool estimated = false;            ///< priced from local logs rather than billed
  std::vector<day_cost> days;        ///< priced spend per day (unpriced usage is not in it)
  std::optional<micro_usd> balance;  ///< the newest snapshot's, in `currency`
  std::string currency = "USD";
};

/// Daily spend per provider from `from` to `to`, and each provider's latest balance, from a
/// postgres:// target or a Supabase / PostgREST base URL with `rest_key` (the service key).
/// @throws costs::store_error when the target cannot be read.
std::vector<provider_history> read_history(const std::string& target, civil_day from, civil_day to,
                                           const std::string& rest_key = "");

}  // namespace costs
