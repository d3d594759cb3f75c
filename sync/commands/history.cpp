// costs-sync history: spend per day over the last N days, with a bar per day.
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands/command.hpp"
#include "commands/summaries.hpp"
#include "costs/error.hpp"

namespace costs::sync {

int history_command(const std::vector<std::string>& args) {
  po::options_description options("history options");
  int days = 14;
  options.add_options()("days", po::value(&days)->value_name("N"), "how many days (default 14)");
  summary_input in;
  // --days is parsed with the rest, so read enough for the most a user may ask.
  if (!load_summary(args, "history", options, 366, in)) return exit_ok;
  if (days < 1 || days > 366) throw config_error("cli.usage", "--days is 1 to 366");
  const auto totals = total_by_day(in.providers);
  std::vector<day_cost> shown;
  micro_usd sum, peak;
  civil_day peak_day = in.today;
  for (int i = days - 1; i >= 0; --i) {
    const civil_day d = civil_day::from_days_since_epoch(in.today.days_since_epoch() - i);
    const micro_usd cost = spend_between(totals, d, d);
    shown.push_back({d, cost});
    sum += cost;
    if (peak < cost) {
      peak = cost;
      peak_day = d;
    }
  }
  const micro_usd mean{(sum.value + days / 2) / days};
  if (in.format == "json") {
    nlohmann::json out = {
        {"days", days}, {"total_usd", to_decimal_string(sum)}, {"rows", nlohmann::json::array()}};
    for (const auto& d : shown)
      out["rows"].push_back({{"date", d.day.to_string()}, {"usd", to_decimal_string(d.cost)}});
    std::cout << out.dump(2) << '\n';
    return exit_ok;
  }
  if (in.format == "chat") {
    std::cout << "📅 " << days << " days: " << format_usd(sum) << " · avg " << format_usd(mean)
              << "/day · peak " << peak_day.to_string().substr(5) << ' ' << format_usd(peak)
              << '\n';
    return exit_ok;
  }
  for (const auto& d : shown) {
    const int width = peak.value > 0 ? static_cast<int>(d.cost.value * 40 / peak.value) : 0;
    std::cout << d.day.to_string() << "  "
              << std::string(10 - std::min<std::size_t>(10, format_usd(d.cost).size()), ' ')
              << format_usd(d.cost) << "  " << std::string(static_cast<std::size_t>(width), '#')
              << '\n';
  }
  std::cout << "total " << format_usd(sum) << ", mean " << format_usd(mean) << "/day\n";
  return exit_ok;
}

}  // namespace costs::sync
