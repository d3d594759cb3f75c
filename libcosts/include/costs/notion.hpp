// costs/notion.hpp: an optional daily summary in a Notion database, one row per day, updated in
// place (found by its date), so re-running a sync never adds a second row for a day.
//
// The database needs these properties: Name (title), Date (date), Total (number), Change
// (number), Budget share (number, shown as percent), Providers (text). Share the database with
// the integration whose token is NOTION_TOKEN; COSTS_NOTION_DATABASE_ID names the database.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "costs/calendar.hpp"
#include "costs/money.hpp"

namespace costs {

struct notion_day {
  civil_day day;
  micro_usd total;
  micro_usd change;  ///< vs the day before
  std::vector<std::pair<std::string, micro_usd>> providers;
  std::optional<double> budget_share;  ///< month to date over the monthly total budget
};

/// Creates or updates the day's row. Returns "" on success, else one line saying what failed
/// (never the token).
std::string write_notion_day(const std::string& token, const std::string& database_id,
                             const notion_day& day);

}  // namespace costs
