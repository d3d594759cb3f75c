// costs/report.hpp: local usage rolled up for people and for the database.
//
// Rows group the ledger's calls by period (a civil day, an ISO week starting Monday, or a month
// in the chosen zone), source, vendor, model, agent and project. Costs are computed from the
// price table per call in pico-dollars and summed exactly; a model without a price leaves its
// rows' cost empty (unpriced), never zero. What the source itself reported is kept beside.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "costs/calendar.hpp"
#include "costs/local_usage.hpp"
#include "costs/model.hpp"
#include "costs/pricing.hpp"

namespace costs {

enum class report_period { day, week, month };

struct report_filter {
  std::optional<civil_day> since;     ///< first day included
  std::optional<civil_day> until;     ///< last day included
  std::vector<local_source> sources;  ///< empty: all
};

struct usage_row {
  std::string period;  ///< "2026-10-14", the Monday "2026-10-12", or "2026-10"
  local_source source = local_source::claude;
  std::string vendor;
  std::string model;     ///< as logged
  std::string model_id;  ///< canonical
  std::string agent;
  std::string project;
  std::string task;
  token_counts tokens;
  std::int64_t calls = 0;
  std::optional<pico_usd> cost;      ///< nullopt: unpriced
  std::optional<pico_usd> reported;  ///< nullopt: the source reported nothing
};

/// Rows by period, source, vendor, model, agent and project, sorted in that order.
std::vector<usage_row> period_rows(const local_ledger& ledger, report_period period,
                                   const time_zone& zone, const price_table& prices,
                                   const report_filter& filter);

struct session_row {
  local_source source = local_source::claude;
  std::string agent, project, session;
  timestamp first{}, last{};
  std::vector<std::string> models;
  token_counts tokens;
  std::int64_t calls = 0;
  std::optional<pico_usd> cost;  ///< nullopt when any call was unpriced
  pico_usd priced;               ///< the cost of the calls that could be priced
  std::optional<pico_usd> reported;
};

/// One row per session, most recent last.
std::vector<session_row> session_rows(const local_ledger& ledger, const time_zone& zone,
                                      const price_table& prices, const report_filter& filter);

/// A five-hour billing window (local-formats.md 2.7), or the gap between two.
struct usage_block {
  timestamp start{}, end{};
  std::optional<timestamp> last_entry;  ///< absent for gaps
  bool active = false;
  bool gap = false;
  std::int64_t calls = 0;
  token_counts tokens;
  pico_usd priced;
  bool has_unpriced = false;
  std::vector<std::string> models;
};

std::vector<usage_block> usage_blocks(const local_ledger& ledger, const time_zone& zone,
                                      const price_table& prices, const report_filter& filter,
                                      timestamp now, int block_hours = 5);

/// The database's usage_daily rows for one source on this host: by day (in `zone`), canonical
/// model, agent, project and task.
std::vector<daily_usage> daily_usage_rows(const local_ledger& ledger, local_source source,
                                          const std::string& host, const time_zone& zone,
                                          const price_table& prices);

/// Spend per hour (UTC hour starts) of `source` in the ledger from `since` on: cost_hourly rows.
/// An hour with unpriced calls keeps what could be priced; one with none priced has no cost.
std::vector<hourly_cost> hourly_cost_rows(const local_ledger& ledger, local_source source,
                                          const std::string& host, const price_table& prices,
                                          timestamp since);

/// The usage_sessions rows of `source` on this host: each session whole (every call the ledger
/// holds), those whose last call is on or after `since` (in `zone`) when given.
std::vector<session_usage> session_usage_rows(const local_ledger& ledger, local_source source,
                                              const std::string& host, const time_zone& zone,
                                              const price_table& prices,
                                              std::optional<civil_day> since);

/// The cost_daily rows that sum `rows` per day.
std::vector<daily_cost> daily_cost_rows(const std::vector<daily_usage>& rows);

/// `source`'s calls from `since` on, by UTC hour, agent and cost type (input, cache, output),
/// each type's cost being that part of the price formula. Rows of one call group sum to the
/// call's cost exactly.
std::vector<hourly_usage> hourly_usage_rows(const local_ledger& ledger, local_source source,
                                            const std::string& host, const price_table& prices,
                                            timestamp since);

}  // namespace costs
