// costs-sync providers: every provider, whether it is configured here, and why. Never prints
// a credential: only where one was found.
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands/command.hpp"
#include "commands/options.hpp"
#include "costs/provider.hpp"
#include "costs/registry.hpp"
#include "output.hpp"

namespace costs::sync {

int providers_command(const std::vector<std::string>& args) {
  bool as_json = false;
  po::options_description options("providers options");
  options.add_options()("json", po::bool_switch(&as_json), "print JSON");
  po::variables_map vm;
  if (!parse_options(args, options, vm, "costs-sync providers [--json]")) return exit_ok;

  nlohmann::json out = nlohmann::json::array();
  table t({"provider", "source", "configured", "why"});
  for (const auto& info : all_providers()) {
    const auto p = make_provider(info.key);
    detection found{false, "no collector in this build yet"};
    if (p) found = p->detect();
    if (!info.collected)
      found = {true, "agents send their calls to costs-server: POST /api/costs/llm"};
    out.push_back({{"provider", info.key},
                   {"label", info.label},
                   {"source", to_string(info.source)},
                   {"collector", p != nullptr},
                   {"configured", found.configured},
                   {"reason", found.reason}});
    t.row({std::string(info.key), to_string(info.source), found.configured ? "yes" : "no",
           found.reason});
  }
  if (as_json)
    std::cout << out.dump(1) << '\n';
  else
    t.print(std::cout);
  return exit_ok;
}

}  // namespace costs::sync
