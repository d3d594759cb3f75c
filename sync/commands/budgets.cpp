// costs-sync budgets list|add|rm: the budget rules in the target database.
//
//   costs-sync budgets add --scope total --period month --threshold 500 --slack URL
//   costs-sync budgets add --scope total --period month --threshold 500 --split
//   main=40,coder=25,... costs-sync budgets add --scope total --period day --threshold 25
//   --warn-ratio 0.6   # a traffic light costs-sync budgets add --kind low_balance --scope
//   provider:openrouter --threshold 10
#include <iomanip>
#include <iostream>
#include <sstream>

#include "commands/command.hpp"
#include "commands/options.hpp"
#include "costs/budgets.hpp"
#include "costs/error.hpp"
#include "costs/money.hpp"
#include "costs/paths.hpp"

namespace costs::sync {
namespace {

nlohmann::json channels_from(const std::vector<std::string>& webhooks,
                             const std::vector<std::string>& slacks,
                             const std::vector<std::string>& telegrams,
                             const std::vector<std::string>& ntfys) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& u : webhooks) out.push_back({{"type", "webhook"}, {"url", u}});
  for (const auto& u : slacks) out.push_back({{"type", "slack"}, {"url", u}});
  for (const auto& t : telegrams) {
    // BOT_TOKEN:CHAT_ID, and bot tokens themselves hold one colon ("123456:ABC...").
    const auto last = t.rfind(':');
    if (last == std::string::npos || last == 0 || last + 1 == t.size())
      throw config_error("budgets.bad_telegram", "--telegram wants BOT_TOKEN:CHAT_ID");
    out.push_back(
        {{"type", "telegram"}, {"token", t.substr(0, last)}, {"chat_id", t.substr(last + 1)}});
  }
  for (const auto& u : ntfys) out.push_back({{"type", "ntfy"}, {"url", u}});
  return out;
}

std::string channel_types(const nlohmann::json& channels) {
  std::string out;
  for (const auto& c : channels) out += (out.empty() ? "" : ",") + c.value("type", std::string());
  return out.empty() ? "stdout" : out;
}

}  // namespace

int budgets_command(const std::vector<std::string>& raw_args) {
  std::vector<std::string> args = raw_args;
  if (args.size() >= 2 && args[0] == "rm" && args[1].rfind("--", 0) != 0)
    args.insert(args.begin() + 1, "--id");  // "budgets rm 3"
  std::string target_flag, scope = "total", period = "month", threshold, ratio = "0.8", name,
                           kind = "spend", split;
  long long id = 0;
  bool json = false;
  std::vector<std::string> webhooks, slacks, telegrams, ntfys;
  po::options_description options("budgets options");
  add_target_option(options, target_flag);
  options.add_options()("scope", po::value(&scope)->value_name("S"),
                        "total (default), provider:KEY, agent:NAME or model:ID")(
      "period", po::value(&period)->value_name("P"), "day, week or month (default)")(
      "threshold", po::value(&threshold)->value_name("USD"), "the budget, in dollars")(
      "warn-ratio", po::value(&ratio)->value_name("R"), "warn at this share of it (default 0.8)")(
      "kind", po::value(&kind)->value_name("K"),
      "spend (default) or low_balance (warn when provider:KEY's balance falls under --threshold)")(
      "name", po::value(&name)->value_name("NAME"), "a name for the rule")(
      "split", po::value(&split)->value_name("A=PCT,..."),
      "split the budget across agents: one agent rule per share, e.g. main=40,coder=25")(
      "webhook", po::value(&webhooks)->composing()->value_name("URL"), "POST the alert as JSON")(
      "slack", po::value(&slacks)->composing()->value_name("URL"), "a Slack incoming webhook")(
      "telegram", po::value(&telegrams)->composing()->value_name("BOT_TOKEN:CHAT_ID"),
      "a Telegram bot message")("ntfy", po::value(&ntfys)->composing()->value_name("URL"),
                                "an ntfy topic URL")("id", po::value(&id)->value_name("ID"),
                                                     "the rule to remove (rm)")(
      "json", po::bool_switch(&json), "list as JSON");
  po::variables_map vm;
  const std::string action = parse_action(
      args, options, vm, "budgets", {"list", "add", "rm"},
      "costs-sync budgets list|add|rm [--target URL] [--scope S] [--period P] [--threshold USD] "
      "[--warn-ratio R] [--webhook URL] [--slack URL] [--telegram BOT_TOKEN:CHAT_ID] [--ntfy URL]");
  if (action.empty()) return exit_ok;
  const std::string target = require_target(target_flag);
  auto book = open_budget_book(target, setting("COSTS_SUPABASE_KEY").value_or(""));
  apply_config_rules(*book, config_budget_rules());  // list what the next run will judge

  if (action == "list") {
    const auto rules = book->list();
    if (json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& r : rules)
        out.push_back({{"id", r.id},
                       {"name", r.name},
                       {"kind", r.kind},
                       {"scope", r.scope()},
                       {"period", r.period},
                       {"threshold_usd", to_decimal_string(r.threshold)},
                       {"warn_ratio", r.warn_permille / 1000.0},
                       {"channels", channel_types(r.channels)},
                       {"enabled", r.enabled}});
      std::cout << out.dump(2) << '\n';
      return exit_ok;
    }
    if (rules.empty())
      std::cout << "no budgets yet; add one with 'costs-sync budgets add'\n";
    else
      std::cout << std::setw(4) << "ID"
                << "  " << std::left << std::setw(11) << "Kind" << std::setw(26) << "Scope"
                << std::setw(6) << "Period" << std::right << std::setw(12) << "Limit"
                << "  Warn     Channels\n";
    for (const auto& r : rules)
      std::cout << std::setw(4) << r.id << "  " << std::left << std::setw(11) << r.kind
                << std::setw(26) << r.scope() << std::setw(6) << r.period << std::right
                << std::setw(12) << format_usd(r.threshold) << "  " << std::left << std::setw(9)
                << (std::to_string(r.warn_permille / 10) + "%") << std::right
                << channel_types(r.channels) << (r.name.empty() ? "" : "  (" + r.name + ")")
                << '\n';
    return exit_ok;
  }
  if (action == "rm") {
    if (id <= 0) throw config_error("cli.usage", "budgets rm wants the rule's id: budgets rm ID");
    if (!book->remove(id)) {
      std::cerr << "costs-sync: no budget " << id << "; see 'costs-sync budgets list'\n";
      return exit_failed;
    }
    std::cout << "removed budget " << id << '\n';
    return exit_ok;
  }

  if (threshold.empty()) throw config_error("cli.usage", "budgets add needs --threshold USD");
  budget_spec spec;
  spec.kind = kind;
  spec.scope = scope;
  spec.period = period;
  spec.threshold = threshold;
  spec.warn_ratio = ratio;
  spec.name = name;
  spec.channels = channels_from(webhooks, slacks, telegrams, ntfys);
  const budget_rule rule = make_rule(spec);

  std::vector<budget_rule> rules;
  if (split.empty()) {
    rules.push_back(rule);
  } else {
    std::stringstream parts(split);
    long long total_pct = 0;
    for (std::string part; std::getline(parts, part, ',');) {
      const auto eq = part.find('=');
      if (eq == std::string::npos || eq == 0)
        throw config_error("budgets.bad_split",
                           "--split wants AGENT=PERCENT,..., e.g. main=40,coder=25");
      budget_rule share = rule;
      share.scope_kind = "agent";
      share.scope_value = part.substr(0, eq);
      const long long pct = std::stoll(part.substr(eq + 1));
      total_pct += pct;
      share.threshold = {rule.threshold.value * pct / 100};
      share.name = (rule.name.empty() ? "share" : rule.name) + " " + std::to_string(pct) + "%";
      rules.push_back(share);
    }
    if (total_pct > 100)
      throw config_error("budgets.bad_split", "--split shares add up to more than 100%");
  }
  for (const auto& r : rules)
    std::cout << "added budget " << book->add(r) << ": " << r.scope() << " per " << r.period << ", "
              << format_usd(r.threshold) << '\n';
  return exit_ok;
}

}  // namespace costs::sync
