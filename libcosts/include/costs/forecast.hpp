// costs/forecast.hpp: what daily spend says about the future: burn rates, runway, the month-end
// projection, and budget use. Pure functions over daily totals, shared by the server, the page's
// API and costs-sync's alerts, so every surface shows the same figures.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "costs/calendar.hpp"
#include "costs/money.hpp"

namespace costs {

/// Spend on one civil day. Days without a row spent nothing.
struct day_cost {
  civil_day day;
  micro_usd cost;
};

/// Spend per hour, day and week, averaged over the `window_days` complete days before today.
/// Today is left out: it is partial, and would drag every rate down each morning.
struct burn_rate {
  micro_usd per_hour;
  micro_usd per_day;
  micro_usd per_week;
  int window_days = 0;
};

/// The mean over the `window` days before `today` (rounded half up to the micro-dollar).
burn_rate burn_over(const std::vector<day_cost>& days, civil_day today, int window = 7);

/// Days `balance` lasts at `burn` (tenths of a day); nullopt when nothing burns.
std::optional<double> runway_days(micro_usd balance, const burn_rate& burn);

/// Month so far plus the recent daily rate for each day left after today.
struct month_projection {
  micro_usd to_date;     ///< the first of the month through today
  micro_usd daily_rate;  ///< burn_over(...).per_day
  int days_left = 0;     ///< days after today in this month
  micro_usd projected;   ///< to_date + daily_rate * days_left
};
month_projection project_month(const std::vector<day_cost>& days, civil_day today);

/// Sum of the days in [from, to].
micro_usd spend_between(const std::vector<day_cost>& days, civil_day from, civil_day to);

/// The first day of the period that contains `today`: the day itself, the Monday of its ISO
/// week, or the first of its month.
/// @throws costs::config_error for another period name.
civil_day period_start(const std::string& period, civil_day today);

/// A day far above its recent median.
struct spike {
  civil_day day;
  micro_usd cost;
  micro_usd median;  ///< of the `window` days before it
};

/// Days in [from, to] whose spend is more than `factor` times the median of the `window` days
/// before each, and at least `min_excess` above it. In dollars, never tokens (cache reads inflate
/// those); a median, so one earlier one-off day neither hides the next spike nor becomes one.
std::vector<spike> find_spikes(const std::vector<day_cost>& days, civil_day from, civil_day to,
                               int window = 14, int factor = 3, micro_usd min_excess = {1'000'000});

/// Spend in one hour (its UTC start).
struct hour_cost {
  timestamp hour;
  micro_usd cost;
};

/// An hour far above a typical working hour.
struct hour_spike {
  timestamp hour;
  micro_usd cost;
  micro_usd median;  ///< of the hours that spent anything in the `window` hours before
};

/// Hours in [from, to] whose spend is more than `factor` times the median of the hours that
/// spent anything in the `window` hours before (idle nights would make every working hour look
/// like a spike), and at least `min_excess` above it.
std::vector<hour_spike> find_hour_spikes(const std::vector<hour_cost>& hours, timestamp from,
                                         timestamp to, int window = 7 * 24, int factor = 3,
                                         micro_usd min_excess = {1'000'000});

/// Where spend stands against a threshold: "ok", "warn" (at or past warn_permille/1000 of it)
/// or "exceeded" (at or past it): the levels alert_events records.
const char* budget_level(micro_usd spent, micro_usd threshold, int warn_permille);

}  // namespace costs
