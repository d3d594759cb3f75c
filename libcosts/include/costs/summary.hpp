// costs/summary.hpp: the spend summary every surface shows (the page's /api/costs/summary and
// `costs-sync status`): today, yesterday, this week, this month and all time, with billed
// (providers' APIs) and estimated (local logs at list prices) kept apart, the basis of each and
// the rows that could not be priced; the change vs yesterday; the month-end forecast; days and
// hours far above their usual. One computation, so the page and the terminal always agree.
#pragma once

#include <cstdint>
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

}  // namespace costs
