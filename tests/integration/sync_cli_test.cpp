// costs-sync as a user runs it: the real binary, a real database, exit codes and stderr lines.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "costs/batch.hpp"
#include "costs/migrations.hpp"
#include "costs/secrets.hpp"
#include "costs/spool.hpp"
#include "costs/target.hpp"
#include "support/process.hpp"
#include "support/temp_home.hpp"
#include "support/test_db.hpp"

namespace {

using costs::test::run_process;
using costs::test::test_database;

// Each run sees an empty home of its own unless the test gives one: no agent logs or state of
// the machine running the tests leak in.
costs::test::process_result sync(const std::vector<std::string>& args,
                                 std::map<std::string, std::string> env = {}) {
  static const costs::test::temp_home empty_home;
  std::vector<std::string> argv = {COSTS_SYNC_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  env.emplace("COSTS_TARGET", "");  // unset unless the test sets it
  env.emplace("HOME", empty_home.path().string());
  env.emplace("COSTS_HOME", (empty_home.path() / "costs").string());
  for (const char* v :
       {"CLAUDE_CONFIG_DIR", "CODEX_HOME", "OPENCLAW_STATE_DIR", "GEMINI_DATA_DIR", "TZ"})
    env.emplace(v, "");
  return run_process(argv, env);
}

const std::string claude_line(int n, const std::string& model, const std::string& time) {
  return nlohmann::json{{"type", "assistant"},
                        {"sessionId", "s"},
                        {"cwd", "/home/dev/acme-api"},
                        {"requestId", "req_" + std::to_string(n)},
                        {"timestamp", time},
                        {"message",
                         {{"id", "msg_" + std::to_string(n)},
                          {"model", model},
                          {"usage",
                           {{"input_tokens", 3},
                            {"output_tokens", 412},
                            {"cache_creation_input_tokens", 2140},
                            {"cache_read_input_tokens", 18452}}}}}}
             .dump() +
         "\n";
}

std::size_t lines(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

TEST(sync_cli_test, db_migrate_applies_once_then_reports_up_to_date) {
  test_database db;
  std::size_t files = 0;  // every .sql file in supabase/migrations
  for (const auto& f : std::filesystem::directory_iterator(COSTS_MIGRATIONS_SOURCE))
    files += f.path().extension() == ".sql";
  ASSERT_GE(files, 10u);
  const std::string n = std::to_string(files);
  const auto first = sync({"db", "migrate", "--target", db.url()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("applied " + n + " migration(s)"), std::string::npos) << first.out;
  const auto second = sync({"db", "migrate"}, {{"COSTS_TARGET", db.url()}});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("up to date (" + n + " migrations)"), std::string::npos) << second.out;
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

// After scripts/run, the CLI reads the cluster it made (COSTS_HOME/pg, database costs) with no
// flag, no environment and no config file. Here that cluster is the tests' own, reached through
// a COSTS_HOME laid out as scripts/run lays it out.
TEST(sync_cli_test, with_no_flags_the_cli_finds_the_local_database_scripts_run_made) {
  const std::string admin = costs::test::admin_url();
  const auto host_at = admin.find("host=");
  ASSERT_NE(host_at, std::string::npos) << "the tests' cluster listens on a socket";
  const std::string socket_dir = admin.substr(host_at + 5, admin.find('&', host_at) - host_at - 5);
  const costs::test::temp_home home;
  const auto pg = home.path() / "costs home" / "pg";  // a space, as in many macOS homes
  home.write("costs home/pg/data/PG_VERSION", "15\n");
  std::filesystem::create_directory_symlink(socket_dir, pg / "sock");
  {
    pqxx::connection c(admin);
    pqxx::nontransaction tx(c);
    tx.exec("drop database if exists costs with (force)");
    tx.exec("create database costs");
  }
  const std::string local = costs::test::with_database(admin, "costs");
  costs::apply_migrations(local, costs::load_migrations(COSTS_MIGRATIONS_SOURCE));
  {
    pqxx::connection c(local);
    pqxx::work tx(c);
    tx.exec(
        "insert into public.cost_daily (provider, date, source, cost_usd) values "
        "('openrouter', (now() at time zone 'utc')::date, 'api', 4.25)");
    tx.commit();
  }
  const std::map<std::string, std::string> env = {
      {"HOME", home.path().string()},
      {"COSTS_HOME", (home.path() / "costs home").string()},
      {"COSTS_TIMEZONE", "UTC"},
      {"COSTS_CONFIG", ""},
      {"XDG_CONFIG_HOME", ""}};
  const auto status = sync({"status", "--format", "json"}, env);
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_EQ(nlohmann::json::parse(status.out)["today_usd"], "4.250000") << status.out;
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"burn"}, {"history"}, {"budgets", "list"}}) {
    const auto r = sync(args, env);
    EXPECT_EQ(r.exit_code, 0) << args[0] << ": " << r.err;
  }
  const auto help = sync({"status", "--help"}, env);
  EXPECT_NE(help.out.find("the database to read from"), std::string::npos) << help.out;

  // The cluster stopped (no socket): one line saying how to start it.
  std::filesystem::remove(pg / "sock");
  std::filesystem::create_directory(pg / "sock");
  const auto down = sync({"status"}, env);
  EXPECT_EQ(down.exit_code, 2);
  EXPECT_NE(down.err.find("is not running: start scripts/run"), std::string::npos) << down.err;
  EXPECT_EQ(lines(down.err), 1u) << down.err;
  {
    pqxx::connection c(admin);
    pqxx::nontransaction tx(c);
    tx.exec("drop database if exists costs with (force)");
  }
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
  for (const char* name : {"run", "report", "db", "prices"})
    EXPECT_NE(top.out.find(name), std::string::npos);
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

TEST(sync_cli_test, report_daily_json_prints_rows_totals_and_unpriced_models) {
  costs::test::temp_home home;
  home.write(".claude/projects/-home-dev-acme-api/s.jsonl",
             claude_line(1, "claude-sonnet-4-6", "2026-10-14T09:12:11.377Z") +
                 claude_line(2, "claude-sonnet-4-6", "2026-10-14T23:30:00.000Z") +
                 claude_line(3, "my-local-model", "2026-10-15T08:00:00.000Z"));
  const std::map<std::string, std::string> env = {{"HOME", home.path().string()},
                                                  {"COSTS_HOME", (home.path() / "c").string()}};
  const auto r = sync({"report", "daily", "--json", "--timezone", "UTC"}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["rows"].size(), 2u);
  const auto& first = j["rows"][0];
  EXPECT_EQ(first["day"], "2026-10-14");
  EXPECT_EQ(first["source"], "claude");
  EXPECT_EQ(first["provider"], "anthropic");
  EXPECT_EQ(first["model"], "claude-sonnet-4-6");
  EXPECT_EQ(first["model_id"], "claude-sonnet-4-6");
  EXPECT_EQ(first["project"], "acme-api");
  EXPECT_EQ(first["calls"], 2);
  EXPECT_EQ(first["input"], 6);
  EXPECT_EQ(first["cache_write"], 4280);
  EXPECT_DOUBLE_EQ(first["cost_usd"].get<double>(), 0.039499);  // 2 x $0.0197496, rounded once
  EXPECT_TRUE(first["reported_cost_usd"].is_null());
  const auto& unpriced = j["rows"][1];
  EXPECT_EQ(unpriced["model"], "my-local-model");
  EXPECT_TRUE(unpriced["cost_usd"].is_null()) << "unpriced, never $0";
  EXPECT_EQ(j["unpriced_models"], nlohmann::json::array({"my-local-model"}));
  EXPECT_EQ(j["totals"]["calls"], 3);
  EXPECT_EQ(j["totals"]["unpriced_calls"], 1);
  // A total with unpriced usage is no dollar figure: null, with the priced part and the unpriced
  // tokens beside it (3 + 412 + 2140 + 18452).
  EXPECT_TRUE(j["totals"]["cost_usd"].is_null()) << j["totals"].dump();
  EXPECT_DOUBLE_EQ(j["totals"]["priced_cost_usd"].get<double>(), 0.039499);
  EXPECT_EQ(j["totals"]["unpriced_tokens"], 21007);
  // In New York the late call belongs to the 14th too, and the 08:00 UTC one to the 15th.
  const auto ny = nlohmann::json::parse(
      sync({"report", "daily", "--json", "--timezone", "America/New_York"}, env).out);
  EXPECT_EQ(ny["rows"][0]["day"], "2026-10-14");
  EXPECT_EQ(ny["rows"][1]["day"], "2026-10-15");
  // The text table says which models it could not price.
  const auto text = sync({"report", "daily", "--timezone", "UTC"}, env);
  EXPECT_NE(text.out.find("my-local-model"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("$0.00"), std::string::npos) << "unpriced is never $0: " << text.out;
  const auto day15 = text.out.substr(text.out.find("2026-10-15"));
  EXPECT_EQ(day15.substr(0, day15.find('\n')).rfind(" unpriced"), day15.find('\n') - 9)
      << "a day with only unpriced usage reads unpriced: " << text.out;
  EXPECT_NE(text.out.find("$0.04 + unpriced\n"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("unpriced: 1 call(s), 21,007 tokens"), std::string::npos) << text.out;
  // Only priced usage: a plain dollar total.
  const auto priced = nlohmann::json::parse(sync({"report", "daily", "--json", "--timezone", "UTC",
                                                  "--since", "2026-10-14", "--until", "2026-10-14"},
                                                 env)
                                                .out);
  EXPECT_DOUBLE_EQ(priced["totals"]["cost_usd"].get<double>(), 0.039499) << priced.dump();
  const auto bad_zone = sync({"report", "daily", "--timezone", "Nowhere/City"}, env);
  EXPECT_EQ(bad_zone.exit_code, 2);
}

TEST(sync_cli_test, run_writes_local_usage_and_a_second_run_changes_no_daily_row) {
  costs::test::temp_home home;
  home.write(".claude/projects/-home-dev-acme-api/s.jsonl",
             claude_line(1, "claude-sonnet-4-6", "2026-10-14T09:12:11.377Z") +
                 claude_line(2, "my-local-model", "2026-10-14T10:00:00.000Z"));
  test_database db;
  db.migrate();
  const std::map<std::string, std::string> env = {{"HOME", home.path().string()},
                                                  {"COSTS_HOME", (home.path() / "c").string()}};
  auto daily = [&] {
    auto c = db.connect();
    pqxx::read_transaction tx(c);
    std::string all;
    for (const auto& row :
         tx.exec("select date, provider, model, agent, project, calls, input_tokens,"
                 " cost_usd::text, cost_usd is null from public.usage_daily order by model"))
      for (const auto& f : row) all += std::string(f.is_null() ? "null" : f.c_str()) + "|";
    for (const auto& row : tx.exec("select date, provider, cost_usd::text from public.cost_daily"))
      for (const auto& f : row) all += std::string(f.c_str()) + "|";
    return all;
  };
  const auto first =
      sync({"run", "--target", db.url(), "--provider", "claude_local", "--timezone", "UTC"}, env);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::string once = daily();
  EXPECT_EQ(once,
            "2026-10-14|claude_local|claude-sonnet-4-6|claude|acme-api|1|3|0.019750|f|"
            "2026-10-14|claude_local|my-local-model|claude|acme-api|1|3|null|t|"
            "2026-10-14|claude_local|0.019750|");
  const auto second =
      sync({"run", "--target", db.url(), "--provider", "claude_local", "--timezone", "UTC"}, env);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(daily(), once);
  auto c = db.connect();
  pqxx::read_transaction tx(c);
  EXPECT_EQ(
      tx.exec1("select count(*) from public.usage_snapshots where provider = 'claude_local'")[0]
          .as<int>(),
      2);
  EXPECT_EQ(tx.exec1("select count(*) from public.cost_sync_log where provider = 'claude_local' "
                     "and status = 'ok'")[0]
                .as<int>(),
            2);
  EXPECT_EQ(std::string(tx.exec1("select total_cost_usd::text from public.usage_latest where "
                                 "provider = 'claude_local'")[0]
                            .c_str()),
            "0.019750");
}

TEST(sync_cli_test,
     a_target_that_is_down_keeps_the_run_in_the_spool_and_the_next_run_sends_it_first) {
  costs::test::temp_home home;
  home.write(".claude/projects/-home-dev-acme-api/s.jsonl",
             claude_line(1, "claude-sonnet-4-6", "2026-10-14T09:12:11.377Z"));
  const std::map<std::string, std::string> env = {{"HOME", home.path().string()},
                                                  {"COSTS_HOME", (home.path() / "c").string()}};
  const auto down =
      sync({"run", "--target", "postgresql://postgres@127.0.0.1:1/x?connect_timeout=3",
            "--provider", "claude_local", "--timezone", "UTC"},
           env);
  EXPECT_EQ(down.exit_code, 1);
  EXPECT_NE(down.err.find("1 run(s) wait in"), std::string::npos) << down.err;
  EXPECT_EQ(lines(down.err), 1u) << down.err;
  costs::spool waiting(home.path() / "c" / "spool");
  ASSERT_EQ(waiting.pending().size(), 1u);

  test_database db;
  db.migrate();
  const auto up =
      sync({"run", "--target", db.url(), "--provider", "claude_local", "--timezone", "UTC"}, env);
  ASSERT_EQ(up.exit_code, 0) << up.err;
  EXPECT_NE(up.out.find("sent 1 earlier run(s)"), std::string::npos) << up.out;
  EXPECT_TRUE(waiting.pending().empty());
  auto c = db.connect();
  pqxx::read_transaction tx(c);
  EXPECT_EQ(tx.exec1("select count(*) from public.usage_snapshots")[0].as<int>(), 2)
      << "both runs landed";
  EXPECT_EQ(tx.exec1("select count(distinct run_id) from public.cost_sync_log")[0].as<int>(), 2);
  EXPECT_EQ(tx.exec1("select count(*) from public.usage_daily")[0].as<int>(), 1);
}

// A run killed while writing its spool file leaves run-<id>.json.tmp: never a spooled run,
// removed by the next run, which sends nothing of it.
TEST(sync_cli_test, a_half_written_spool_file_of_a_killed_run_is_removed_by_the_next) {
  costs::test::temp_home home;
  test_database db;
  db.migrate();
  home.write("c/spool/run-20261204T000000000000Z-dead.json.tmp", "{\"run_id\": \"dead\", \"snap");
  home.write("c/spool/notes.txt", "not ours");
  const auto r =
      sync({"run", "--target", db.url(), "--provider", "brave"},
           {{"HOME", home.path().string()}, {"COSTS_HOME", (home.path() / "c").string()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> left;
  for (const auto& e : std::filesystem::directory_iterator(home.path() / "c" / "spool"))
    left.push_back(e.path().filename().string());
  EXPECT_EQ(left, std::vector<std::string>{"notes.txt"}) << "only what is not a run's stays";
  EXPECT_EQ(r.out.find("earlier run"), std::string::npos) << r.out;
}

TEST(sync_cli_test, a_run_resent_after_a_crash_adds_nothing_twice) {
  costs::test::temp_home home;
  test_database db;
  db.migrate();
  // As if a run had committed and then been killed before it cleared its spool file.
  costs::sync_batch batch;
  batch.run_id = costs::new_run_id();
  costs::snapshot s;
  s.provider = "openrouter";
  s.source = "api";
  s.fetched_at = costs::now();
  s.total_cost = costs::parse_usd("1.5");
  batch.snapshots = {s};
  batch.log = {{"openrouter", "", costs::now(), costs::now(), "ok", 1, ""}};
  costs::spool waiting(home.path() / "c" / "spool");
  waiting.put(batch);
  costs::open_target(db.url())->write(batch);

  const auto r =
      sync({"run", "--target", db.url(), "--provider", "brave"},
           {{"HOME", home.path().string()}, {"COSTS_HOME", (home.path() / "c").string()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("sent 1 earlier run(s)"), std::string::npos) << r.out;
  auto c = db.connect();
  pqxx::read_transaction tx(c);
  EXPECT_EQ(tx.exec1("select count(*) from public.usage_snapshots")[0].as<int>(), 1);
  EXPECT_EQ(tx.exec1("select count(*) from public.cost_sync_log where provider = 'openrouter'")[0]
                .as<int>(),
            1);
  EXPECT_TRUE(waiting.pending().empty());
}

TEST(sync_cli_test, a_second_run_waits_for_the_first_and_says_so_when_it_gives_up) {
  costs::test::temp_home home;
  const costs::file_lock held(home.path() / "c" / "run.lock", std::chrono::milliseconds(0));
  ASSERT_TRUE(held.held());
  const auto r = sync({"run", "--target", "postgresql://postgres@127.0.0.1:1/x"},
                      {{"HOME", home.path().string()},
                       {"COSTS_HOME", (home.path() / "c").string()},
                       {"COSTS_LOCK_WAIT_SECONDS", "1"}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("another run is in progress; waiting"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("try again when it has finished"), std::string::npos) << r.err;
}

TEST(sync_cli_test, the_config_file_fills_in_what_flags_and_environment_leave_out) {
  costs::test::temp_home home;
  test_database db;
  db.migrate();
  home.write(".config/costs/config",
             "# costs-sync settings: the environment's names, the environment wins\n"
             "COSTS_TARGET = \"" +
                 db.url() +
                 "\"\n"
                 "\n"
                 "OPENROUTER_API_KEY = sk-or-v1-CANARY-FROM-CONFIG   # a trailing comment\n"
                 "COSTS_TIMEZONE = UTC\n");
  const std::map<std::string, std::string> env = {{"HOME", home.path().string()},
                                                  {"COSTS_HOME", (home.path() / "c").string()},
                                                  {"XDG_CONFIG_HOME", ""}};
  const auto providers = sync({"providers", "--json"}, env);
  ASSERT_EQ(providers.exit_code, 0) << providers.err;
  const auto list = nlohmann::json::parse(providers.out);
  EXPECT_TRUE(list[0]["configured"].get<bool>());
  EXPECT_NE(list[0]["reason"].get<std::string>().find("OPENROUTER_API_KEY in "), std::string::npos);
  EXPECT_EQ(providers.out.find("CANARY"), std::string::npos);
  // No --target and no COSTS_TARGET: the config's target is used.
  const auto run = sync({"run", "--provider", "brave", "--json"}, env);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find(costs::redact_url(db.url())), std::string::npos) << run.out;
  // The environment wins over the file.
  auto with_env = env;
  with_env["COSTS_TARGET"] = "postgresql://postgres@127.0.0.1:1/nope?connect_timeout=2";
  EXPECT_EQ(sync({"run", "--provider", "brave"}, with_env).exit_code, 1);
  // A line that is not NAME = value is named, with its line number.
  home.write(".config/costs/config", "COSTS_TARGET = x\nthis is not a setting\n");
  const auto bad = sync({"run", "--provider", "brave"}, env);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("config:2: expected NAME = value"), std::string::npos) << bad.err;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
  return text;
}

TEST(sync_cli_test, schedule_files_for_every_platform_match_their_golden_files) {
  for (const std::string platform : {"launchd", "systemd", "cron"}) {
    const auto r = sync({"schedule", "install", "--dry-run", "--platform", platform},
                        {{"HOME", "/home/test"}, {"COSTS_HOME", ""}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(replace_all(r.out, COSTS_SYNC_PATH, "@COSTS_SYNC@"),
              read_text(std::string(COSTS_FIXTURES_DIR) + "/schedule/" + platform + ".txt"))
        << platform;
  }
  const auto hourly =
      sync({"schedule", "install", "--dry-run", "--platform", "launchd", "--api-every", "3"},
           {{"HOME", "/home/test"}, {"COSTS_HOME", ""}});
  EXPECT_NE(hourly.out.find("<integer>10800</integer>"), std::string::npos);
  EXPECT_EQ(sync({"schedule", "install", "--dry-run", "--platform", "windows"}).exit_code, 2);
}

// A scheduled job writes where the person who installed it meant, whatever its environment holds.
TEST(sync_cli_test, schedule_install_carries_the_target_and_never_a_password) {
  const std::string target =
      "postgresql://postgres@/costs?host=/home/test/.local/share/costs/pg/sock";
  const auto cron =
      sync({"schedule", "install", "--dry-run", "--platform", "cron", "--target", target},
           {{"HOME", "/home/test"}, {"COSTS_HOME", ""}});
  ASSERT_EQ(cron.exit_code, 0) << cron.err;
  EXPECT_NE(
      cron.out.find("'--local-only' '--log-file' '/home/test/.local/share/costs/logs/sync.log' "
                    "'--target' '" +
                    target + "'"),
      std::string::npos)
      << cron.out;
  const auto from_env =
      sync({"schedule", "install", "--dry-run", "--platform", "systemd"},
           {{"HOME", "/home/test"}, {"COSTS_HOME", ""}, {"COSTS_TARGET", target}});
  EXPECT_NE(from_env.out.find("'--target' '" + target + "'"), std::string::npos) << from_env.out;
  // The Mac's launchd agents name it too, one argument a <string>; a Supabase REST target's key
  // stays in the config file.
  const auto launchd = sync({"schedule", "install", "--dry-run", "--platform", "launchd"},
                            {{"HOME", "/home/test"},
                             {"COSTS_HOME", ""},
                             {"COSTS_TARGET", "https://abcd.supabase.co"},
                             {"COSTS_SUPABASE_KEY", "CANARY-SCHEDULE-KEY"}});
  ASSERT_EQ(launchd.exit_code, 0) << launchd.err;
  EXPECT_NE(launchd.out.find("    <string>--target</string>\n"
                             "    <string>https://abcd.supabase.co</string>\n"),
            std::string::npos)
      << launchd.out;
  EXPECT_EQ((launchd.out + launchd.err).find("CANARY"), std::string::npos);
  const auto secret = sync({"schedule", "install", "--dry-run", "--platform", "cron", "--target",
                            "postgresql://svc:CANARY-SCHEDULE-PASS@db.example/costs"},
                           {{"HOME", "/home/test"}, {"COSTS_HOME", ""}});
  EXPECT_EQ(secret.exit_code, 2);
  EXPECT_NE(secret.err.find("holds a password"), std::string::npos) << secret.err;
  EXPECT_EQ((secret.out + secret.err).find("CANARY-SCHEDULE-PASS"), std::string::npos);
}

TEST(sync_cli_test, scheduled_runs_log_to_a_file_rotated_at_a_mebibyte) {
  costs::test::temp_home home;
  const std::string log = (home.path() / "logs" / "sync.log").string();
  home.write("logs/sync.log", std::string((1 << 20) + 10, 'x'));
  const auto r = sync({"run", "--dry-run", "--provider", "brave", "--log-file", log},
                      {{"HOME", home.path().string()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::filesystem::file_size(log + ".1"), (1u << 20) + 10);
  const std::string fresh = read_text(log);
  EXPECT_NE(fresh.find("costs-sync run"), std::string::npos) << fresh;
  EXPECT_NE(fresh.find("dry run, nothing written"), std::string::npos) << fresh;
  EXPECT_TRUE(r.out.empty()) << "everything went to the log";
}

}  // namespace
