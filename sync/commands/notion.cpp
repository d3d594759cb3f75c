// costs-sync notion setup [--parent PAGE_ID] [--json] | show [--json]: the Notion tracker's
// three databases (Cost Log, Daily Costs, Agent Costs). setup makes the ones missing under the
// page (NOTION_PARENT_PAGE_ID by default) and prints their ids; each `costs-sync run` then
// writes the rows that changed. The token comes from NOTION_TOKEN and is never printed.
//
//   costs-sync notion setup --parent 1f2e3d4c5b6a79881726354433221100
//   costs-sync notion show --json
#include <iostream>

#include "commands/command.hpp"
#include "commands/options.hpp"
#include "costs/error.hpp"
#include "costs/notion.hpp"
#include "costs/paths.hpp"

namespace costs::sync {
namespace {

void print(const notion_databases& ids, bool json, int created, int updated) {
  if (json) {
    std::cout << nlohmann::json{{"parent_page_id", ids.parent},
                                {"cost_log", ids.cost_log},
                                {"daily_costs", ids.daily_costs},
                                {"agent_costs", ids.agent_costs},
                                {"created", created},
                                {"updated", updated}}
                     .dump(2)
              << '\n';
    return;
  }
  std::cout << "Notion tracker under page " << ids.parent << " (data source ids):\n"
            << "  Cost Log     " << ids.cost_log << "\n"
            << "  Daily Costs  " << ids.daily_costs << "\n"
            << "  Agent Costs  " << ids.agent_costs << "\n";
  if (created > 0)
    std::cout << "created " << created << " database(s); each 'costs-sync run' now fills them\n";
  if (updated > 0) std::cout << "added this version's columns to " << updated << " database(s)\n";
}

}  // namespace

int notion_command(const std::vector<std::string>& args) {
  std::string parent;
  bool json = false;
  po::options_description options("notion options");
  options.add_options()("parent", po::value(&parent)->value_name("PAGE_ID"),
                        "the page to make the databases under (default NOTION_PARENT_PAGE_ID)")(
      "json", po::bool_switch(&json), "print the ids as JSON");
  po::variables_map vm;
  const std::string action =
      parse_action(args, options, vm, "notion", {"setup", "show"},
                   "costs-sync notion setup [--parent PAGE_ID] [--json] | show [--json]");
  if (action.empty()) return exit_ok;
  const auto token = setting("NOTION_TOKEN");
  if (action == "show") {
    const auto ids = notion_tracker(token.value_or("")).remembered();
    if (!ids) {
      std::cerr << "costs-sync notion: not set up yet; run 'costs-sync notion setup --parent "
                   "PAGE_ID'\n";
      return exit_failed;
    }
    print(*ids, json, 0, 0);
    return exit_ok;
  }
  if (!token)
    throw config_error("notion.no_token",
                       "set NOTION_TOKEN to the integration's secret (notion.so/my-integrations)");
  if (parent.empty()) parent = setting("NOTION_PARENT_PAGE_ID").value_or("");
  const auto made = notion_tracker(*token).setup(parent);
  if (!made.error.empty()) {
    std::cerr << "costs-sync notion: " << made.error << '\n';
    return exit_failed;
  }
  print(made.ids, json, made.created, made.updated);
  return exit_ok;
}

}  // namespace costs::sync
