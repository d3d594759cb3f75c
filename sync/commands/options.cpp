#include "commands/options.hpp"

#include <cctype>
#include <filesystem>
#include <iostream>

#include "costs/error.hpp"
#include "costs/paths.hpp"

namespace costs::sync {

void add_target_option(po::options_description& options, std::string& target, bool reads) {
  options.add_options()(
      "target", po::value(&target)->value_name("URL"),
      reads ? "the database to read from: a postgres:// URL, or a Supabase / PostgREST https:// "
              "base URL with COSTS_SUPABASE_KEY (default: COSTS_TARGET, else the local database "
              "scripts/run made)"
            : "where to write: a postgres:// URL, or a Supabase / PostgREST https:// base URL "
              "with COSTS_SUPABASE_KEY (default: COSTS_TARGET, else the local database "
              "scripts/run made)");
}

namespace {

// A socket directory as a URL query value: a home such as "/Users/Jo Smith" must survive.
std::string query_encode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::filesystem::path local_cluster() {
  return costs::costs_home() / "pg";
}

bool local_cluster_listening() {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(local_cluster() / "sock", ec), end; !ec && it != end;
       it.increment(ec))
    if (it->path().filename().string().rfind(".s.PGSQL.", 0) == 0 &&
        it->path().extension() != ".lock")
      return true;
  return false;
}

}  // namespace

std::string local_target() {
  std::error_code ec;
  if (!std::filesystem::exists(local_cluster() / "data" / "PG_VERSION", ec)) return "";
  return "postgresql://postgres@/costs?host=" + query_encode((local_cluster() / "sock").string());
}

std::string resolve_target(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (auto set = costs::setting("COSTS_TARGET")) return *set;
  return local_target();
}

std::string require_target(const std::string& flag, bool reading) {
  std::string target = resolve_target(flag);
  if (target.empty())
    throw config_error(
        "cli.missing_target",
        "no target: pass --target postgres://..., set COSTS_TARGET (environment or " +
            costs::config_file().string() + "), or run scripts/run once to make a local database");
  if (reading && flag.empty() && !costs::setting("COSTS_TARGET") && !local_cluster_listening())
    throw config_error("cli.local_target_down",
                       "the local database in " + local_cluster().string() +
                           " is not running: start scripts/run (or scripts/local-postgres.sh "
                           "start " +
                           local_cluster().string() + "), or pass --target");
  return target;
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
