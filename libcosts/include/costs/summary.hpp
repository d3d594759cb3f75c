// costs/summary.hpp: the summaries every surface shows, computed once so the page and the
// terminal always agree. The spend summary (/api/costs/summary, `costs-sync status`): today,
// yesterday, this week, this month and all time, with billed (providers' APIs) and estimated (local
// logs at list prices) kept apart, the basis of each and the rows that could not be priced; the
// change vs yesterday; the month-end forecast; days and hours far above their usual. The burn
// summary (/api/costs/burn, `costs-sync burn`): spend per hour, day and week per provider,
// balances, runway and low-balance rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "costs/calendar.hpp"
#include "costs/forecast.hpp"
#include "costs/money.hpp"

namespace costs {

class target;

/// Spend from `from` to `to`.
struct spend_window {
  civil_day from, to;
  micro_usd billed, estimated;
  bool has_billed = false, has_estimated = false;
  std::int64_t unpriced_rows = 0;  ///< rows with usage and no price: not in the dollars

  micro_usd total() const { return billed + estimated; }
  /// "billed", "estimated", "mixed" or "none": what total() holds.
  const char* basis() const;
};

struct spend_summary {
  civil_day today;
  spend_window today_spend, yesterday, week, month, all_time;
  spend_window forecast_window;  ///< the days the forecast reads (the month and the rate's week)
  micro_usd change;              ///< today less yesterday
  month_projection projection;
  std::vector<spike> spikes;            ///< days of the last week far above their usual
  std::vector<hour_spike> hour_spikes;  ///< hours of the last day far above a working hour
};

/// Everything above for the user's `today` (worked out in their zone by the caller), as of
/// `now`. @throws costs::store_error when the target cannot be read.
spend_summary summarize_spend(target& db, civil_day today, timestamp now);

struct provider_burn {
  std::string provider;
  const char* basis = "none";  ///< "billed", "estimated" or "none" (no spend in the window)
  burn_rate rate;              ///< the mean of the complete days before today
  micro_usd today;
  std::int64_t unpriced_rows = 0;  ///< rows in the window with usage and no price
  std::optional<micro_usd> balance;
  std::string currency = "USD";
  std::optional<double> runway_days;     ///< only where the balance is in dollars
  std::optional<micro_usd> low_balance;  ///< a low-balance rule's threshold
};

struct burn_summary {
  civil_day today;
  burn_rate total;
  std::vector<provider_burn> providers;  ///< by key
};

/// Each provider's burn over the week before `today`, its balance and runway.
/// @throws costs::store_error when the target cannot be read.
burn_summary summarize_burn(target& db, civil_day today);

}  // namespace costs
