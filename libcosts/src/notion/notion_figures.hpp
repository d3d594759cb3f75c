// Private: the Notion tracker's rows, from what the store holds (every provider and host) and
// the local hours one run read (the Cost Log's hourly rows are its own machine's).
#pragma once

#include <vector>

#include "costs/budgets.hpp"
#include "costs/calendar.hpp"
#include "costs/model.hpp"
#include "costs/notion.hpp"
#include "costs/target.hpp"

namespace costs::detail {

/// Cost Log: `hours` as they are, and each billed provider's yesterday and today as day rows.
/// Daily Costs: each day of the month so far (and yesterday). Agent Costs: the month per agent.
/// The budget rules give the status columns: the total daily rule (green / yellow / red), the
/// total monthly rule (vs budget) and each agent's monthly rule (its allocation).
notion_update notion_figures(target& db, const std::vector<budget_rule>& rules,
                             const std::vector<hourly_usage>& hours, civil_day today);

}  // namespace costs::detail
