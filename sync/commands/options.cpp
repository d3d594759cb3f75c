#include "commands/options.hpp"

#include <iostream>

#include "costs/error.hpp"
#include "costs/paths.hpp"

namespace costs::sync {

void add_target_option(po::options_description& options, std::string& target) {
  options.add_options()("target", po::value(&target)->value_name("URL"),
                        "where to write: a postgres:// URL, or a Supabase / PostgREST https:// "
                        "base URL with COSTS_SUPABASE_KEY (env or config COSTS_TARGET)");
}

std::string resolve_target(const std::string& flag) {
  if (!flag.empty()) return flag;
  return costs::setting("COSTS_TARGET").value_or("");
}

bool is_postgres_url(const std::string& target) {
  return target.rfind("postgres://", 0) == 0 || target.rfind("postgresql://", 0) == 0;
}

bool parse_options(const std::vector<std::string>& args, const po::options_description& options,
                   po::variables_map& vm, const std::string& usage,
                   const po::positional_options_description* positional,
                   const po::options_description* hidden) {
  po::options_description shown(options);
  shown.add_options()("help,h", "show this help");
  po::options_description all(shown);
  if (hidden != nullptr) all.add(*hidden);
  auto parser = po::command_line_parser(args).options(all);
  if (positional != nullptr) parser.positional(*positional);
  po::store(parser.run(), vm);
  if (vm.count("help") != 0) {
    std::cout << "usage: " << usage << "\n\n" << shown << '\n';
    return false;
  }
  po::notify(vm);
  return true;
}

std::string parse_action(const std::vector<std::string>& args,
                         const po::options_description& options, po::variables_map& vm,
                         const std::string& command, const std::vector<std::string>& actions,
                         const std::string& usage) {
  std::string action;
  po::options_description hidden;
  hidden.add_options()("action", po::value(&action));
  po::positional_options_description positional;
  positional.add("action", 1);
  if (!parse_options(args, options, vm, usage, &positional, &hidden)) return "";
  for (const auto& known : actions)
    if (action == known) return action;
  std::string list;
  for (const auto& known : actions) list += (list.empty() ? "'" : ", '") + known + "'";
  throw config_error("cli.usage",
                     "expected an action: " + list + "; see 'costs-sync " + command + " --help'");
}

}  // namespace costs::sync
