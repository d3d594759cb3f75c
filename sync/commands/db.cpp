// costs-sync db migrate: apply supabase/migrations to a Postgres, once each.
#include <iostream>

#include "commands/command.hpp"
#include "commands/options.hpp"
#include "costs/error.hpp"
#include "costs/migrations.hpp"
#include "costs/paths.hpp"
#include "costs/secrets.hpp"

namespace costs::sync {

int db_command(const std::vector<std::string>& args) {
  std::string target_flag;
  std::string dir_flag;
  po::options_description options("db options");
  add_target_option(options, target_flag);
  options.add_options()("migrations-dir", po::value(&dir_flag)->value_name("DIR"),
                        "the migrations to apply (default: the installed supabase/migrations)");
  po::variables_map vm;
  if (parse_action(args, options, vm, "db", {"migrate"}, "costs-sync db migrate [--target URL]")
          .empty())
    return exit_ok;

  const std::string target = require_target(target_flag);
  if (!is_postgres_url(target))
    throw config_error("cli.not_postgres",
                       "db migrate needs a postgres:// URL; for a Supabase project run "
                       "`supabase db push` or pass its database URL");

  // The binary's own migrations, unless told otherwise: a moved checkout must not apply
  // another tree's files.
  std::vector<migration> migrations;
  if (!dir_flag.empty())
    migrations = load_migrations(dir_flag);
  else if (auto dir = migrations_dir())
    migrations = load_migrations(*dir);
  else
    migrations = shipped_migrations();
  const auto result = apply_migrations(target, migrations);
  if (result.applied.empty()) {
    std::cout << "database is up to date (" << result.already_applied << " migrations) at "
              << redact_url(target) << '\n';
  } else {
    std::cout << "applied " << result.applied.size() << " migration(s) to " << redact_url(target)
              << ":";
    for (const auto& v : result.applied) std::cout << ' ' << v;
    std::cout << '\n';
  }
  return exit_ok;
}

}  // namespace costs::sync
