// costs-sync plans [list] | set PROVIDER PLAN [--fee USD] [--count-in-spend] | clear PROVIDER:
// the flat-fee plans (Claude Max, ChatGPT Pro, ...) that cover an agent's usage. That usage,
// priced at list prices, shows as "API-equivalent" and stays out of spend, the forecast and
// total budgets unless --count-in-spend.
//
//   costs-sync plans set claude_local "Claude Max 20x" --fee 200
//   costs-sync plans set codex_local "ChatGPT Pro" --fee 200 --count-in-spend
//   costs-sync plans clear codex_local
#include <iostream>

#include "commands/command.hpp"
#include "commands/options.hpp"
#include "costs/error.hpp"
#include "costs/money.hpp"
#include "costs/paths.hpp"
#include "costs/registry.hpp"
#include "costs/target.hpp"

namespace costs::sync {

int plans_command(const std::vector<std::string>& raw_args) {
  std::vector<std::string> args = raw_args;
  // "plans" and "plans --json" list.
  if (args.empty() || (args[0].rfind("--", 0) == 0 && args[0] != "--help" && args[0] != "-h"))
    args.insert(args.begin(), "list");
  // "plans set KEY PLAN" and "plans clear KEY": the words become options.
  if (args.size() >= 2 && (args[0] == "set" || args[0] == "clear") && args[1].rfind("--", 0) != 0) {
    args.insert(args.begin() + 1, "--provider");
    if (args[0] == "set" && args.size() >= 4 && args[3].rfind("--", 0) != 0)
      args.insert(args.begin() + 3, "--plan");
  }
  std::string target_flag, provider, plan, fee;
  bool counts = false, json = false;
  po::options_description options("plans options");
  add_target_option(options, target_flag);
  options.add_options()("provider", po::value(&provider)->value_name("KEY"),
                        "the provider the plan covers, e.g. claude_local")(
      "plan", po::value(&plan)->value_name("NAME"), "the plan's name, e.g. \"Claude Max\"")(
      "fee", po::value(&fee)->value_name("USD"), "what the plan costs a month")(
      "count-in-spend", po::bool_switch(&counts),
      "count its usage in spend and the forecast anyway")("json", po::bool_switch(&json),
                                                          "list as JSON");
  po::variables_map vm;
  const std::string action = parse_action(
      args, options, vm, "plans", {"list", "set", "clear"},
      "costs-sync plans [list] | set PROVIDER PLAN [--fee USD] [--count-in-spend] | clear "
      "PROVIDER [--target URL]");
  if (action.empty()) return exit_ok;
  target_options how;
  how.rest_key = setting("COSTS_SUPABASE_KEY").value_or("");
  const auto db = open_target(require_target(target_flag, action == "list"), how);

  if (action == "list") {
    const auto plans = db->subscriptions();
    if (json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& p : plans)
        out.push_back({{"provider", p.provider},
                       {"plan", p.plan},
                       {"monthly_fee_usd",
                        p.monthly_fee_micro_usd
                            ? nlohmann::json(to_decimal_string(micro_usd{*p.monthly_fee_micro_usd}))
                            : nlohmann::json()},
                       {"counts_in_spend", p.counts_in_spend}});
      std::cout << out.dump(2) << '\n';
      return exit_ok;
    }
    if (plans.empty())
      std::cout << "no plans; a flat-fee plan is set with 'costs-sync plans set claude_local "
                   "\"Claude Max\" --fee 200'\n";
    for (const auto& p : plans)
      std::cout << p.provider << ": " << p.plan
                << (p.monthly_fee_micro_usd
                        ? ", " + format_usd(micro_usd{*p.monthly_fee_micro_usd}) + "/month"
                        : std::string())
                << (p.counts_in_spend ? " (counted in spend)"
                                      : " (API-equivalent, not counted in spend)")
                << '\n';
    return exit_ok;
  }
  if (provider.empty())
    throw config_error("cli.usage",
                       "name the provider: costs-sync plans " + action + " claude_local ...");
  if (find_provider(provider) == nullptr)
    throw config_error("plans.bad_provider",
                       "'" + provider + "' is not a provider key; see 'costs-sync providers'");
  if (action == "clear") {
    if (!db->clear_subscription(provider)) {
      std::cerr << "costs-sync: " << provider << " has no plan; see 'costs-sync plans'\n";
      return exit_failed;
    }
    std::cout << "cleared the plan of " << provider << ": its usage counts in spend again\n";
    return exit_ok;
  }
  if (plan.empty() || plan.size() > 100)
    throw config_error("cli.usage", "name the plan (1-100 characters): costs-sync plans set " +
                                        provider + " \"Claude Max\"");
  subscription s;
  s.provider = provider;
  s.plan = plan;
  s.counts_in_spend = counts;
  if (!fee.empty()) {
    const auto amount = try_parse_usd(fee);
    if (!amount || amount->value < 0)
      throw config_error("plans.bad_fee", "--fee wants dollars, e.g. 200 or 19.99");
    s.monthly_fee_micro_usd = amount->value;
  }
  db->set_subscription(s);
  std::cout << provider << " is on " << plan
            << (counts ? ": its usage counts in spend"
                       : ": its usage shows as API-equivalent, not in spend or the forecast")
            << '\n';
  return exit_ok;
}

}  // namespace costs::sync
