// costs-sync status: today, the change vs yesterday, this month and its forecast, recent spikes,
// and where today's money went.
#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands/command.hpp"
#include "commands/summaries.hpp"

namespace costs::sync {

int status_command(const std::vector<std::string>& args) {
  po::options_description options("status options");
  summary_input in;
  if (!load_summary(args, "status", options, 40, in)) return exit_ok;
  const auto days = total_by_day(in.providers);
  const civil_day yesterday = civil_day::from_days_since_epoch(in.today.days_since_epoch() - 1);
  const micro_usd today = spend_between(days, in.today, in.today);
  const micro_usd before = spend_between(days, yesterday, yesterday);
  const micro_usd change = today - before;
  const month_projection month = project_month(days, in.today);
  const auto spikes = find_spikes(
      days, civil_day::from_days_since_epoch(in.today.days_since_epoch() - 6), in.today);
  // Hours of the last day against a week of working hours.
  const timestamp now_ = now();
  const auto hour_spikes =
      find_hour_spikes(read_hourly(in.target, now_ - std::chrono::hours(8 * 24), in.rest_key),
                       now_ - std::chrono::hours(23), now_);
  auto hour_text = [](timestamp t) {  // "2026-11-22 14:00 UTC"
    const std::string iso = format_timestamp(t);
    return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
  };
  std::vector<std::pair<micro_usd, std::string>> top;
  micro_usd billed, estimated;
  for (const auto& p : in.providers) {
    const micro_usd t = spend_between(p.days, in.today, in.today);
    (p.estimated ? estimated : billed) += t;
    if (t.value > 0) top.push_back({t, p.provider});
  }
  std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) { return b.first < a.first; });
  const std::string arrow = change.value > 0 ? "▲ " : change.value < 0 ? "▼ " : "";
  const micro_usd magnitude{change.value < 0 ? -change.value : change.value};

  if (in.format == "json") {
    nlohmann::json out = {{"today", in.today.to_string()},
                          {"today_usd", to_decimal_string(today)},
                          {"billed_usd", to_decimal_string(billed)},
                          {"estimated_usd", to_decimal_string(estimated)},
                          {"yesterday_usd", to_decimal_string(before)},
                          {"change_usd", to_decimal_string(change)},
                          {"month_to_date_usd", to_decimal_string(month.to_date)},
                          {"daily_rate_usd", to_decimal_string(month.daily_rate)},
                          {"projected_month_end_usd", to_decimal_string(month.projected)},
                          {"spikes", nlohmann::json::array()},
                          {"hour_spikes", nlohmann::json::array()},
                          {"top", nlohmann::json::array()}};
    for (const auto& s : spikes)
      out["spikes"].push_back({{"date", s.day.to_string()},
                               {"usd", to_decimal_string(s.cost)},
                               {"median_usd", to_decimal_string(s.median)}});
    for (const auto& s : hour_spikes)
      out["hour_spikes"].push_back({{"hour", format_timestamp(s.hour)},
                                    {"usd", to_decimal_string(s.cost)},
                                    {"median_usd", to_decimal_string(s.median)}});
    for (const auto& [cost, key] : top)
      out["top"].push_back({{"provider", key}, {"usd", to_decimal_string(cost)}});
    std::cout << out.dump(2) << '\n';
    return exit_ok;
  }
  if (in.format == "chat") {
    std::cout << "💸 Today " << format_usd(today) << " (" << arrow << format_usd(magnitude)
              << " vs yesterday) · Month " << format_usd(month.to_date) << " → ~"
              << format_usd(month.projected) << '\n';
    if (!top.empty()) {
      std::cout << "Top:";
      for (std::size_t i = 0; i < top.size() && i < 3; ++i)
        std::cout << (i ? "," : "") << ' ' << top[i].second << ' ' << format_usd(top[i].first);
      std::cout << '\n';
    }
    for (const auto& s : spikes)
      std::cout << "⚠ spike " << s.day.to_string() << ' ' << format_usd(s.cost) << " (usually "
                << format_usd(s.median) << ")\n";
    for (const auto& s : hour_spikes)
      std::cout << "⚠ spike " << hour_text(s.hour) << ' ' << format_usd(s.cost) << " (usually "
                << format_usd(s.median) << "/h)\n";
    return exit_ok;
  }
  std::cout << "Today       " << format_usd(today) << "  (billed " << format_usd(billed)
            << ", estimated " << format_usd(estimated) << ")  " << arrow << format_usd(magnitude)
            << " vs yesterday\n"
            << "This month  " << format_usd(month.to_date) << "  → ~" << format_usd(month.projected)
            << " by month-end (" << format_usd(month.daily_rate) << "/day over the last 7 days, "
            << month.days_left << " days left)\n";
  for (const auto& s : spikes)
    std::cout << "Spike       " << s.day.to_string() << "  " << format_usd(s.cost) << " (median "
              << format_usd(s.median) << ")\n";
  for (const auto& s : hour_spikes)
    std::cout << "Spike hour  " << hour_text(s.hour) << "  " << format_usd(s.cost)
              << " (a working hour is usually " << format_usd(s.median) << ")\n";
  for (const auto& [cost, key] : top) std::cout << "  " << key << "  " << format_usd(cost) << '\n';
  return exit_ok;
}

}  // namespace costs::sync
