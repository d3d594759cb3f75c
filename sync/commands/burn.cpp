// costs-sync burn: spend per hour, day and week per provider, balances and how long they last.
#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "commands/command.hpp"
#include "commands/summaries.hpp"
#include "costs/summary.hpp"
#include "costs/target.hpp"
#include "output.hpp"

namespace costs::sync {

int burn_command(const std::vector<std::string>& args) {
  po::options_description options("burn options");
  summary_input in;
  if (!load_summary(args, "burn", options, -1, in)) return exit_ok;
  // The same figures as the page's /api/costs/burn, from the same library call.
  target_options how;
  how.rest_key = in.rest_key;
  const burn_summary burn = summarize_burn(*open_target(in.target, how), in.today);
  const burn_rate& total = burn.total;
  nlohmann::json rows = nlohmann::json::array();
  for (const provider_burn& p : burn.providers)
    rows.push_back(
        {{"provider", p.provider},
         {"label", provider_label(p.provider)},
         {"basis", p.basis},
         {"per_hour_usd", to_decimal_string(p.rate.per_hour)},
         {"per_day_usd", to_decimal_string(p.rate.per_day)},
         {"per_week_usd", to_decimal_string(p.rate.per_week)},
         {"unpriced_rows", p.unpriced_rows},
         {"balance", p.balance ? nlohmann::json(to_decimal_string(*p.balance)) : nullptr},
         {"currency", p.currency},
         {"runway_days", p.runway_days ? nlohmann::json(*p.runway_days) : nullptr},
         {"low_balance",
          p.low_balance ? nlohmann::json(to_decimal_string(*p.low_balance)) : nullptr}});
  if (in.format == "json") {
    std::cout << nlohmann::json{{"today", in.today.to_string()},
                                {"window_days", total.window_days},
                                {"per_hour_usd", to_decimal_string(total.per_hour)},
                                {"per_day_usd", to_decimal_string(total.per_day)},
                                {"per_week_usd", to_decimal_string(total.per_week)},
                                {"providers", rows}}
                     .dump(2)
              << '\n';
    return exit_ok;
  }
  auto runway_text = [](const nlohmann::json& r) {
    if (r["runway_days"].is_null()) return std::string();
    std::ostringstream out;
    out << std::fixed << std::setprecision(1) << r["runway_days"].get<double>() << " d left";
    return out.str();
  };
  auto balance_text = [](const nlohmann::json& r) {
    return format_amount(parse_usd(r["balance"].get<std::string>()),
                         r["currency"].get<std::string>());
  };
  if (in.format == "chat") {
    std::cout << "🔥 Burn " << format_usd(total.per_day) << "/day (" << format_usd(total.per_hour)
              << "/h, " << format_usd(total.per_week) << "/week)\n";
    for (const auto& r : rows) {
      if (r["per_day_usd"] == "0.000000" && r["balance"].is_null()) continue;
      std::cout << provider_label(r["provider"].get<std::string>()) << ' '
                << format_usd(parse_usd(r["per_day_usd"].get<std::string>())) << "/day";
      if (!r["balance"].is_null()) std::cout << ", " << balance_text(r) << " left";
      const std::string runway = runway_text(r);
      if (!runway.empty()) std::cout << " (" << runway << ")";
      std::cout << '\n';
    }
    return exit_ok;
  }
  std::cout << "All providers  " << format_usd(total.per_hour) << "/h  "
            << format_usd(total.per_day) << "/day  " << format_usd(total.per_week)
            << "/week  (mean of the last " << total.window_days << " complete days)\n";
  for (const auto& r : rows) {
    std::cout << "  " << std::left << std::setw(16)
              << provider_label(r["provider"].get<std::string>()) << std::right << std::setw(10)
              << format_usd(parse_usd(r["per_day_usd"].get<std::string>())) << "/day";
    if (!r["balance"].is_null())
      std::cout << "  balance " << balance_text(r) << "  " << runway_text(r);
    const auto unpriced = r["unpriced_rows"].get<long long>();
    std::cout << "  (" << r["basis"].get<std::string>();
    if (unpriced > 0) std::cout << ", " << unpriced << " unpriced, not in the rate";
    std::cout << ")\n";
  }
  return exit_ok;
}

}  // namespace costs::sync
