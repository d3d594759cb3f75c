// costs/notion.hpp: the Notion cost tracker. Three databases under a page the user names
// (NOTION_PARENT_PAGE_ID), created on the first run and remembered in $COSTS_HOME/notion.json:
//
//   Cost Log     one row per hour, provider, host, agent and cost type (input, cache, output
//                from local logs; a provider's bill by day as one "day" row, typed billed, tts
//                or search)
//   Daily Costs  one row per day: total, by provider, by agent, vs yesterday, vs budget, status
//   Agent Costs  one row per agent and month: to date, share, average, forecast, allocation,
//                status
//
// Every row carries a Key property and is found by it, so a re-run updates rows, never adds a
// second one; rows whose figures did not change are not sent again. Requests keep to Notion's
// three a second and honour a 429's Retry-After. When Notion fails part way, what is left is
// written by the next run. The token is used for requests only: never stored or printed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "costs/calendar.hpp"
#include "costs/money.hpp"

namespace costs {

/// The three databases' data source ids (Notion API 2025-09-03) and the page they are under.
struct notion_databases {
  std::string parent;
  std::string cost_log, daily_costs, agent_costs;
  /// Made with every column this version writes; false: setup() adds the missing ones.
  bool current = false;

  bool complete() const noexcept {
    return !cost_log.empty() && !daily_costs.empty() && !agent_costs.empty();
  }
};

/// A Cost Log row.
struct notion_log_row {
  bool whole_day = false;  ///< a provider's bill for `day`; else the UTC hour from `hour`
  timestamp hour{};
  civil_day day;
  std::string provider;  ///< registry key
  std::string host;
  std::string agent;
  std::string cost_type;          ///< input, cache, output, billed, tts, search
  std::optional<micro_usd> cost;  ///< absent: unpriced (never sent as 0)
  bool estimated = true;          ///< priced from local logs; false: billed by the provider
  std::int64_t tokens = 0;
  std::int64_t calls = 0;
  std::string session;  ///< the costliest session of the row, and its transcript file
  std::string transcript;
  std::int64_t sessions = 0;
};

/// A Daily Costs row.
/// An agent's spend on a day; `unpriced` when some of its usage has no price (its cost then
/// leaves that usage out: the row says so rather than show it as $0).
struct notion_agent_spend {
  std::string agent;
  micro_usd cost;
  bool unpriced = false;
};

struct notion_day_row {
  civil_day day;
  micro_usd total;  ///< spend: plans not counted in spend are left out
  /// (total - yesterday) / yesterday; absent when yesterday spent nothing.
  std::optional<double> vs_yesterday;
  std::vector<std::pair<std::string, std::string>> providers;  ///< label, figure text
  std::vector<notion_agent_spend> agents;
  /// Month to date through the day over the monthly total budget; absent without one.
  std::optional<double> vs_budget;
  std::string status;  ///< green, yellow or red from the daily total budget; "" without one
  std::int64_t unpriced_rows = 0;
};

/// An Agent Costs row.
struct notion_agent_row {
  std::string month;  ///< "2026-12"
  std::string agent;
  micro_usd to_date;
  double share = 0;  ///< of the month's spend by every agent
  micro_usd per_day;
  micro_usd forecast;  ///< the month's end
  std::optional<micro_usd> allocation;
  std::string status;  ///< "on track", "watch", "over budget", or "no allocation"
  /// Of to_date, usage a flat-fee plan covers, priced at API rates (API-equivalent).
  micro_usd api_equivalent;
  std::int64_t unpriced_days = 0;  ///< days whose usage is partly unpriced (left out of to_date)
};

struct notion_update {
  std::vector<notion_log_row> log;
  std::vector<notion_day_row> days;
  std::vector<notion_agent_row> agents;
};

struct notion_result {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
  int left = 0;       ///< not written this run (a failure, or the run's write limit)
  std::string error;  ///< one line, never the token; empty when nothing failed
};

class notion_tracker {
 public:
  /// `token`: the integration's secret. `state`: where the ids and the rows written are kept.
  explicit notion_tracker(std::string token, std::filesystem::path state = default_state());

  struct setup_result {
    notion_databases ids;
    int created = 0;    ///< databases made by this call
    int updated = 0;    ///< databases given the columns they lacked
    std::string error;  ///< one line; empty on success
  };
  /// The databases: the remembered ones that still answer, the others created under
  /// `parent_page` (the remembered parent when empty).
  setup_result setup(const std::string& parent_page = "");

  /// What was set up, if anything.
  std::optional<notion_databases> remembered() const;

  /// Writes the rows that changed since they were last written, at most
  /// COSTS_NOTION_MAX_REQUESTS (default 600, some 3.5 minutes at Notion's pace) requests a run;
  /// the rest count as left and go next run.
  notion_result write(const notion_update& update);

  static std::filesystem::path default_state();

 private:
  std::string token_;
  std::filesystem::path state_;
};

}  // namespace costs
