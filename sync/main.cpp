// costs-sync: collect AI spend and usage and push it to Postgres or Supabase.
//
// Every failure ends as one line on standard error saying what went wrong and what to do, and
// an exit status: 0 success, 1 a run-time failure, 2 bad usage or configuration.
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options/errors.hpp>

#include "commands/command.hpp"
#include "costs/error.hpp"

namespace {

using costs::sync::command;

const std::vector<command>& commands() {
  static const std::vector<command> all = {
      {"run", "collect every configured provider and push (the default)",
       &costs::sync::run_command},
      {"report", "daily|weekly|monthly|session|blocks: local agent usage, offline",
       &costs::sync::report_command},
      {"providers", "every provider: configured or not, and why", &costs::sync::providers_command},
      {"schedule", "install|remove|show: run by itself (launchd, systemd or cron)",
       &costs::sync::schedule_command},
      {"status", "today, this month and its forecast, spikes (--format text|json|chat)",
       &costs::sync::status_command},
      {"burn", "spend per hour, day and week, balances and runway", &costs::sync::burn_command},
      {"history", "spend per day over the last N days", &costs::sync::history_command},
      {"budgets", "list|add|rm: budget rules and where their alerts go",
       &costs::sync::budgets_command},
      {"plans", "list|set|clear: flat-fee plans whose usage is API-equivalent, not spend",
       &costs::sync::plans_command},
      {"notion", "setup|show: the Notion tracker's databases", &costs::sync::notion_command},
      {"db", "db migrate: apply supabase/migrations to a Postgres", &costs::sync::db_command},
      {"prices", "prices show: the price table in use", &costs::sync::prices_command},
  };
  return all;
}

void print_usage(std::ostream& out) {
  out << "usage: costs-sync [COMMAND] [OPTIONS]\n\n"
         "Collects AI spend and usage from provider APIs and agents' local logs and pushes it\n"
         "to a Postgres (postgres://...) or a Supabase project (https://<ref>.supabase.co).\n\n"
         "commands:\n";
  for (const auto& c : commands()) {
    out << "  " << c.name << std::string(10 - c.name.size(), ' ') << c.summary << '\n';
  }
  out << "\n'costs-sync COMMAND --help' describes each command's options.\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string name = "run";
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h" || args[0] == "help")) {
    print_usage(std::cout);
    return costs::sync::exit_ok;
  }
  if (!args.empty() && args[0] == "--version") {
    std::cout << "costs-sync " << COSTS_VERSION << '\n';
    return costs::sync::exit_ok;
  }
  if (!args.empty() && args[0].rfind('-', 0) != 0) {
    name = args[0];
    args.erase(args.begin());
  }
  for (const auto& c : commands()) {
    if (c.name != name) continue;
    try {
      return c.run(args);
    } catch (const boost::program_options::error& e) {
      std::cerr << "costs-sync " << name << ": " << e.what() << "; see 'costs-sync " << name
                << " --help'\n";
      return costs::sync::exit_usage;
    } catch (const costs::config_error& e) {
      std::cerr << "costs-sync " << name << ": " << e.message() << '\n';
      return costs::sync::exit_usage;
    } catch (const std::exception& e) {
      std::cerr << "costs-sync " << name << ": " << e.what() << '\n';
      return costs::sync::exit_failed;
    }
  }
  std::cerr << "costs-sync: unknown command '" << name << "'; see 'costs-sync --help'\n";
  return costs::sync::exit_usage;
}
