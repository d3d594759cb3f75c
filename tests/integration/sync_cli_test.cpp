// costs-sync as a user runs it: the real binary, a real database, exit codes and stderr lines.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/test_db.hpp"

namespace {

using costs::test::run_process;
using costs::test::test_database;

costs::test::process_result sync(const std::vector<std::string>& args,
                                 std::map<std::string, std::string> env = {}) {
  std::vector<std::string> argv = {COSTS_SYNC_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  env.emplace("COSTS_TARGET", "");  // unset unless the test sets it
  return run_process(argv, env);
}

std::size_t lines(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

TEST(sync_cli_test, db_migrate_applies_once_then_reports_up_to_date) {
  test_database db;
  const auto first = sync({"db", "migrate", "--target", db.url()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("applied 8 migration(s)"), std::string::npos) << first.out;
  const auto second = sync({"db", "migrate"}, {{"COSTS_TARGET", db.url()}});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("up to date (8 migrations)"), std::string::npos) << second.out;
}

TEST(sync_cli_test, run_against_a_migrated_database_succeeds) {
  test_database db;
  db.migrate();
  const auto r = sync({"run", "--target", db.url(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["providers"].size(), 14u);
  EXPECT_EQ(summary["dry_run"], false);
}

TEST(sync_cli_test, an_unreachable_target_fails_with_one_line_and_no_password) {
  const auto r = sync({"run", "--target", "postgresql://svc:CANARY-SYNC-PASS@127.0.0.1:1/x"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.find("CANARY-SYNC-PASS"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("CANARY-SYNC-PASS"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("cannot reach the database"), std::string::npos) << r.err;
  EXPECT_EQ(lines(r.err), 1u) << r.err;
}

TEST(sync_cli_test, bad_usage_exits_2_with_one_line_saying_what_to_do) {
  const auto unknown_provider = sync({"run", "--dry-run", "--provider", "nope"});
  EXPECT_EQ(unknown_provider.exit_code, 2);
  EXPECT_NE(unknown_provider.err.find("unknown provider 'nope'"), std::string::npos);
  EXPECT_EQ(lines(unknown_provider.err), 1u) << unknown_provider.err;

  const auto no_target = sync({"run"});
  EXPECT_EQ(no_target.exit_code, 2);
  EXPECT_NE(no_target.err.find("COSTS_TARGET"), std::string::npos) << no_target.err;

  const auto unknown_option = sync({"run", "--bogus"});
  EXPECT_EQ(unknown_option.exit_code, 2);
  EXPECT_NE(unknown_option.err.find("--help"), std::string::npos) << unknown_option.err;

  const auto unknown_command = sync({"frobnicate"});
  EXPECT_EQ(unknown_command.exit_code, 2);

  const auto rest = sync({"db", "migrate", "--target", "https://abc.supabase.co"});
  EXPECT_EQ(rest.exit_code, 2);
  EXPECT_NE(rest.err.find("supabase db push"), std::string::npos) << rest.err;
}

TEST(sync_cli_test, help_lists_the_commands_and_each_command_has_help) {
  const auto top = sync({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  for (const char* name : {"run", "db", "prices"}) EXPECT_NE(top.out.find(name), std::string::npos);
  const auto run_help = sync({"run", "--help"});
  EXPECT_EQ(run_help.exit_code, 0);
  EXPECT_NE(run_help.out.find("--target"), std::string::npos);
}

TEST(sync_cli_test, prices_show_prints_the_table_in_use) {
  const auto r = sync({"prices", "show"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("claude-sonnet-4-6"), std::string::npos);
  EXPECT_NE(r.out.find("3.00"), std::string::npos);
  const auto j = sync({"prices", "show", "--json"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(j.out)["gpt-5.5"]["input_cost_per_token"].get<double>(),
                   5e-06);
}

}  // namespace
