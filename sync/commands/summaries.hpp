// Shared by costs-sync status, burn and history: the options they take and the figures they
// read from the target, so the three agree with each other and with the page.
#pragma once

#include <string>
#include <vector>

#include "commands/options.hpp"
#include "costs/history.hpp"

namespace costs::sync {

struct summary_input {
  std::string format = "text";  ///< text, json or chat
  civil_day today;
  std::vector<provider_history> providers;
  std::string target;    ///< for further reads
  std::string rest_key;  ///< COSTS_SUPABASE_KEY, for a REST target
};

/// Parses --target, --format, --timezone (and `extra` options), reads `days_back` days before
/// today up to today (none when negative). Returns false when --help was printed.
bool load_summary(const std::vector<std::string>& args, const std::string& command,
                  po::options_description& extra, int days_back, summary_input& in);

/// Every provider's days, merged: the total per day.
std::vector<day_cost> total_by_day(const std::vector<provider_history>& providers);

}  // namespace costs::sync
