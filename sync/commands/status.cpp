// costs-sync status: today, the change vs yesterday, this month and its forecast, recent spikes,
// where today's money went, and how far each budget is used.
#include <algorithm>
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands/command.hpp"
#include "commands/summaries.hpp"
#include "costs/budgets.hpp"
#include "costs/error.hpp"
#include "costs/summary.hpp"
#include "costs/target.hpp"
#include "output.hpp"

namespace costs::sync {
namespace {

struct budget_use {
  budget_rule rule;
  civil_day from;
  micro_usd spent;
  const char* level;
};

// Each enabled spend rule against its current period, as the alerts judge it. A target that
// cannot show the rules (a reader role) is said on stderr; the rest of the status stands.
std::vector<budget_use> budget_uses(const summary_input& in) {
  std::vector<budget_use> out;
  try {
    auto book = open_budget_book(in.target, in.rest_key);
    for (const auto& rule : book->list()) {
      if (!rule.enabled || rule.kind != "spend") continue;
      const civil_day from = period_start(rule.period, in.today);
      const micro_usd spent = book->spent_in(rule, from, in.today);
      out.push_back({rule, from, spent, budget_level(spent, rule.threshold, rule.warn_permille)});
    }
  } catch (const costs::error& e) {
    std::cerr << "costs-sync status: budgets left out: " << e.message() << '\n';
  }
  return out;
}

std::string used_percent(const budget_use& b) {
  if (b.rule.threshold.value <= 0) return "-";
  return std::to_string(b.spent.value * 100 / b.rule.threshold.value) + "%";
}

}  // namespace

int status_command(const std::vector<std::string>& args) {
  po::options_description options("status options");
  summary_input in;
  if (!load_summary(args, "status", options, -1, in)) return exit_ok;
  // The same summary as the page's, from the same reads.
  target_options how;
  how.rest_key = in.rest_key;
  const auto db = open_target(in.target, how);
  const timestamp now_ = now();
  const spend_summary summary = summarize_spend(*db, in.today, now_);
  const micro_usd today = summary.today_spend.total();
  const micro_usd billed = summary.today_spend.billed;
  const micro_usd estimated = summary.today_spend.estimated;
  const std::int64_t unpriced = summary.today_spend.unpriced_rows;
  const micro_usd before = summary.yesterday.total();
  const micro_usd change = summary.change;
  const month_projection& month = summary.projection;
  const auto& spikes = summary.spikes;
  const auto& hour_spikes = summary.hour_spikes;
  auto hour_text = [](timestamp t) {  // "2026-11-22 14:00 UTC"
    const std::string iso = format_timestamp(t);
    return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
  };
  std::vector<std::pair<micro_usd, std::string>> top;
  for (const provider_day_row& row : db->spend_by_provider_day(in.today, in.today))
    if (row.cost_micro_usd.value_or(0) > 0)
      top.push_back({micro_usd{*row.cost_micro_usd}, row.provider});
  std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) { return b.first < a.first; });
  const auto budgets = budget_uses(in);
  const std::string arrow = change.value > 0 ? "▲ " : change.value < 0 ? "▼ " : "";
  const micro_usd magnitude{change.value < 0 ? -change.value : change.value};

  if (in.format == "json") {
    nlohmann::json out = {{"today", in.today.to_string()},
                          {"today_usd", to_decimal_string(today)},
                          {"billed_usd", to_decimal_string(billed)},
                          {"estimated_usd", to_decimal_string(estimated)},
                          {"basis", summary.today_spend.basis()},
                          {"unpriced_rows", unpriced},
                          {"yesterday_usd", to_decimal_string(before)},
                          {"change_usd", to_decimal_string(change)},
                          {"month_to_date_usd", to_decimal_string(month.to_date)},
                          {"daily_rate_usd", to_decimal_string(month.daily_rate)},
                          {"projected_month_end_usd", to_decimal_string(month.projected)},
                          {"spikes", nlohmann::json::array()},
                          {"hour_spikes", nlohmann::json::array()},
                          {"top", nlohmann::json::array()},
                          {"budgets", nlohmann::json::array()}};
    for (const auto& b : budgets)
      out["budgets"].push_back(
          {{"id", b.rule.id},
           {"name", b.rule.name},
           {"scope", b.rule.scope()},
           {"period", b.rule.period},
           {"from", b.from.to_string()},
           {"threshold_usd", to_decimal_string(b.rule.threshold)},
           {"spent_usd", to_decimal_string(b.spent)},
           {"used_ratio", b.rule.threshold.value > 0
                              ? nlohmann::json(static_cast<double>(b.spent.value) /
                                               static_cast<double>(b.rule.threshold.value))
                              : nlohmann::json(nullptr)},
           {"level", b.level}});
    for (const auto& s : spikes)
      out["spikes"].push_back({{"date", s.day.to_string()},
                               {"usd", to_decimal_string(s.cost)},
                               {"median_usd", to_decimal_string(s.median)}});
    for (const auto& s : hour_spikes)
      out["hour_spikes"].push_back({{"hour", format_timestamp(s.hour)},
                                    {"usd", to_decimal_string(s.cost)},
                                    {"median_usd", to_decimal_string(s.median)}});
    for (const auto& [cost, key] : top)
      out["top"].push_back(
          {{"provider", key}, {"label", provider_label(key)}, {"usd", to_decimal_string(cost)}});
    std::cout << out.dump(2) << '\n';
    return exit_ok;
  }
  if (in.format == "chat") {
    std::cout << "💸 Today " << format_usd(today) << (unpriced > 0 ? " + unpriced" : "") << " ("
              << arrow << format_usd(magnitude) << " vs yesterday) · Month "
              << format_usd(month.to_date) << " → ~" << format_usd(month.projected) << '\n';
    if (!top.empty()) {
      std::cout << "Top:";
      for (std::size_t i = 0; i < top.size() && i < 3; ++i)
        std::cout << (i ? "," : "") << ' ' << provider_label(top[i].second) << ' '
                  << format_usd(top[i].first);
      std::cout << '\n';
    }
    for (const auto& b : budgets)
      if (std::string(b.level) != "ok")
        std::cout << (std::string(b.level) == "exceeded" ? "🛑 " : "⚠ ") << b.rule.scope() << ' '
                  << b.rule.period << " budget " << used_percent(b) << " (" << format_usd(b.spent)
                  << " of " << format_usd(b.rule.threshold) << ")\n";
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
            << " vs yesterday\n";
  if (unpriced > 0)
    std::cout
        << "            + " << unpriced << " row" << (unpriced == 1 ? "" : "s")
        << " of usage with no price, not in these dollars (costs-sync report names the models)\n";
  std::cout << "This month  " << format_usd(month.to_date) << "  → ~" << format_usd(month.projected)
            << " by month-end (" << format_usd(month.daily_rate) << "/day over the last 7 days, "
            << month.days_left << " days left)\n";
  for (const auto& s : spikes)
    std::cout << "Spike       " << s.day.to_string() << "  " << format_usd(s.cost) << " (median "
              << format_usd(s.median) << ")\n";
  for (const auto& s : hour_spikes)
    std::cout << "Spike hour  " << hour_text(s.hour) << "  " << format_usd(s.cost)
              << " (a working hour is usually " << format_usd(s.median) << ")\n";
  if (!top.empty()) {
    std::cout << "\nToday by provider\n";
    for (const auto& [cost, key] : top)
      std::cout << "  " << std::left << std::setw(24) << provider_label(key) << std::right
                << std::setw(12) << format_usd(cost) << '\n';
  }
  if (!budgets.empty()) {
    auto name_of = [](const budget_rule& r) {
      return r.name.empty() ? r.scope() : r.name + " (" + r.scope() + ")";
    };
    std::size_t width = 8;
    for (const auto& b : budgets) width = std::max(width, name_of(b.rule).size() + 2);
    const int w = static_cast<int>(width);
    std::cout << "\n  " << std::left << std::setw(w) << "Budget" << std::setw(7) << "Period"
              << std::right << std::setw(12) << "Spent" << std::setw(12) << "Limit" << std::setw(7)
              << "Used"
              << "  Level\n";
    for (const auto& b : budgets)
      std::cout << "  " << std::left << std::setw(w) << name_of(b.rule) << std::setw(7)
                << b.rule.period << std::right << std::setw(12) << format_usd(b.spent)
                << std::setw(12) << format_usd(b.rule.threshold) << std::setw(7) << used_percent(b)
                << "  " << b.level << '\n';
  }
  return exit_ok;
}

}  // namespace costs::sync
