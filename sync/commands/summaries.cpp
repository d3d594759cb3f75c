#include "commands/summaries.hpp"

#include <map>

#include "costs/error.hpp"
#include "costs/paths.hpp"

namespace costs::sync {

bool load_summary(const std::vector<std::string>& args, const std::string& command,
                  po::options_description& options, int days_back, summary_input& in) {
  std::string target_flag, zone_flag;
  add_target_option(options, target_flag, /*reads=*/true);
  options.add_options()("format", po::value(&in.format)->value_name("F"),
                        "text (default), json, or chat: a few lines for a /tokens or /burn reply")(
      "timezone", po::value(&zone_flag)->value_name("ZONE"),
      "whose days (default COSTS_TIMEZONE, else the machine's)");
  po::variables_map vm;
  if (!parse_options(args, options, vm,
                     "costs-sync " + command + " [--target URL] [--format text|json|chat]"))
    return false;
  if (in.format != "text" && in.format != "json" && in.format != "chat")
    throw config_error("cli.usage", "--format is text, json or chat");
  const std::string target = require_target(target_flag);
  if (zone_flag.empty()) zone_flag = setting("COSTS_TIMEZONE").value_or("");
  const time_zone zone = zone_flag.empty() ? time_zone::local() : time_zone::named(zone_flag);
  in.today = zone.day_of(now());
  in.target = target;
  in.rest_key = setting("COSTS_SUPABASE_KEY").value_or("");
  if (days_back >= 0)
    in.providers = read_history(
        target, civil_day::from_days_since_epoch(in.today.days_since_epoch() - days_back), in.today,
        in.rest_key);
  return true;
}

std::vector<day_cost> total_by_day(const std::vector<provider_history>& providers) {
  std::map<long long, micro_usd> days;
  for (const auto& p : providers)
    for (const auto& d : p.days) days[d.day.days_since_epoch()] += d.cost;
  std::vector<day_cost> out;
  for (const auto& [n, cost] : days) out.push_back({civil_day::from_days_since_epoch(n), cost});
  return out;
}

}  // namespace costs::sync
