// The deployments as far as this machine can run them (it has no Docker engine and no systemd
// as init): the Dockerfile and compose.yaml checked against the checkout (tests/deploy), the
// image's entrypoint run natively for each job compose starts, the database's first-start
// script, the systemd units verified by systemd-analyze and their commands run, and every shell
// script through shellcheck. No image is built here.
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/claude_log.hpp"
#include "support/http.hpp"
#include "support/process.hpp"
#include "support/temp_home.hpp"
#include "support/test_db.hpp"

namespace {

namespace fs = std::filesystem;
using costs::test::as_role;
using costs::test::child_process;
using costs::test::http_get;
using costs::test::run_process;
using costs::test::test_database;

const std::string source = COSTS_SOURCE_DIR;
const std::string entrypoint = source + "/deploy/costs-entrypoint";

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string claude_line(int n) {
  return costs::test::claude_line({std::to_string(n), "2026-11-20T09:12:11.377Z"});
}

class deploy_test : public ::testing::Test {
 protected:
  void SetUp() override {
    // The image holds both binaries in one folder, as COSTS_BIN_DIR names here.
    fs::create_directories(bin_);
    fs::create_symlink(COSTS_SERVER_PATH, bin_ / "costs-server");
    fs::create_symlink(COSTS_SYNC_PATH, bin_ / "costs-sync");
    home_.write(".claude/projects/-home-dev-acme-api/s.jsonl", claude_line(1) + claude_line(2));
  }

  // The environment the image's jobs see, plus `extra`.
  std::map<std::string, std::string> env(std::map<std::string, std::string> extra = {}) const {
    std::map<std::string, std::string> e = {{"COSTS_BIN_DIR", bin_.string()},
                                            {"HOME", home_.path().string()},
                                            {"COSTS_HOME", (home_.path() / "state").string()},
                                            {"COSTS_CONFIG", ""},
                                            {"XDG_CONFIG_HOME", ""},
                                            {"COSTS_TARGET", ""},
                                            {"DATABASE_URL", ""},
                                            {"COSTS_TIMEZONE", "UTC"}};
    for (auto& [k, v] : extra) e[k] = v;
    return e;
  }

  costs::test::process_result job(std::vector<std::string> args,
                                  std::map<std::string, std::string> extra = {}) const {
    args.insert(args.begin(), entrypoint);
    return run_process(args, env(std::move(extra)));
  }

  int count(const std::string& sql) {
    auto c = db_.connect();
    pqxx::read_transaction tx(c);
    return tx.exec1(sql)[0].as<int>();
  }

  costs::test::temp_home home_;
  fs::path bin_ = home_.path() / "bin";
  test_database db_;
};

TEST_F(deploy_test, the_dockerfile_and_compose_file_hold_against_the_checkout) {
  const auto r =
      run_process({"/usr/bin/env", "node", source + "/tests/deploy/check.mjs"},
                  {{"COSTS_SOURCE_DIR", source},
                   {"COSTS_BINARIES", std::string(COSTS_SERVER_PATH) + " " + COSTS_SYNC_PATH}});
  std::cout << r.out;
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(" passed, 0 failed"), std::string::npos) << r.out;
}

TEST_F(deploy_test, every_shell_script_passes_shellcheck) {
  std::vector<std::string> args = {"/usr/bin/env", "shellcheck", "--external-sources"};
  for (const char* script :
       {"deploy/costs-entrypoint", "deploy/docker/initdb/10-costs-reader.sh", "scripts/run",
        "scripts/test", "scripts/install-deps.sh", "scripts/local-postgres.sh",
        "scripts/bench-local", "scripts/bench-server", ".ci/run"})
    args.push_back(source + "/" + script);
  const auto r = run_process(args, {});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

// compose's jobs in order: the database's first start makes the reader, migrate, sync, server;
// the image's healthcheck asks the server.
TEST_F(deploy_test, the_entrypoint_runs_each_job_compose_starts) {
  const auto reader = run_process({"/bin/sh", source + "/deploy/docker/initdb/10-costs-reader.sh"},
                                  {{"POSTGRES_USER", "postgres"},
                                   {"POSTGRES_DB", db_.url()},
                                   {"COSTS_READER_PASSWORD", "CANARY-READER-PASS"}});
  EXPECT_EQ(reader.exit_code, 0) << reader.err;
  EXPECT_EQ((reader.out + reader.err).find("CANARY"), std::string::npos);
  EXPECT_EQ(count("select count(*) from pg_roles where rolname = 'costs_reader' and rolcanlogin"),
            1);

  const auto unset = job({"migrate"});
  EXPECT_EQ(unset.exit_code, 2);
  EXPECT_NE(unset.err.find("COSTS_TARGET is not set"), std::string::npos) << unset.err;
  const auto migrated = job({"migrate"}, {{"COSTS_TARGET", db_.url()}});
  ASSERT_EQ(migrated.exit_code, 0) << migrated.err;
  EXPECT_EQ(count("select count(*) from pg_views where viewname = 'usage_latest'"), 1);
  const auto synced = job({"sync", "--provider", "claude_local"}, {{"COSTS_TARGET", db_.url()}});
  ASSERT_EQ(synced.exit_code, 0) << synced.err;
  EXPECT_EQ(count("select count(*) from public.cost_daily where provider = 'claude_local'"), 1);

  // The image listens on 0.0.0.0: without a token the server refuses unless reads are public.
  const auto open = job({"server"}, {{"DATABASE_URL", as_role(db_.url(), "costs_reader")},
                                     {"COSTS_LISTEN", "0.0.0.0:0"}});
  EXPECT_NE(open.exit_code, 0);
  EXPECT_NE(open.err.find("COSTS_API_TOKEN"), std::string::npos) << open.err;

  std::map<std::string, std::string> serve =
      env({{"DATABASE_URL", as_role(db_.url(), "costs_reader")},
           {"COSTS_LISTEN", "127.0.0.1:0"},
           {"COSTS_PAGE_DIR", source + "/frontend/out"}});
  child_process server({entrypoint, "server"}, serve);
  const std::string base = server.announced_base();
  const auto page = http_get(base + "/costs/");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<html"), std::string::npos) << "the page is served beside the API";
  const auto latest = nlohmann::json::parse(http_get(base + "/api/costs/latest").body);
  ASSERT_EQ(latest["providers"].size(), 1u) << latest.dump();
  EXPECT_EQ(latest["providers"][0]["provider"], "claude_local");
  const std::string port = base.substr(base.rfind(':') + 1);
  EXPECT_EQ(job({"healthcheck"}, {{"COSTS_HEALTH_PORT", port}}).exit_code, 0);
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.err();
  const auto down = job({"healthcheck"}, {{"COSTS_HEALTH_PORT", port}});
  EXPECT_EQ(down.exit_code, 1) << "a server that stopped is unhealthy";

  const auto unknown = job({"sync-every", "soon"}, {{"COSTS_TARGET", db_.url()}});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("'soon' is not an interval"), std::string::npos) << unknown.err;
}

// compose's sync service: a run now and one each interval; docker stop (SIGTERM) ends the loop.
TEST_F(deploy_test, sync_every_runs_on_its_interval_and_sigterm_ends_it) {
  db_.migrate();
  child_process loop({entrypoint, "sync-every", "1s", "--provider", "claude_local"},
                     env({{"COSTS_TARGET", db_.url()}}));
  int runs = 0;
  for (int i = 0; i < 600 && runs < 3; ++i) {  // until three runs are logged (a minute at most)
    runs = count("select count(distinct run_id) from public.cost_sync_log");
    if (runs < 3) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_GE(runs, 3) << "runs every second";
  loop.signal(SIGTERM);
  auto exited = std::async(std::launch::async, [&] { return loop.wait(); });
  ASSERT_EQ(exited.wait_for(std::chrono::seconds(30)), std::future_status::ready)
      << "SIGTERM did not end the loop";
  EXPECT_EQ(exited.get(), 0) << loop.err();
  EXPECT_NE(loop.err().find("costs-entrypoint: stopped"), std::string::npos) << loop.err();
  EXPECT_EQ(count("select count(*) from public.cost_daily where provider = 'claude_local'"), 1)
      << "each run upserts the same day";
}

// The units as an operator installs them: systemd-analyze finds nothing, and the command each
// runs, with its environment, does what it says.
TEST_F(deploy_test, the_systemd_units_verify_and_their_commands_run) {
  const fs::path units = home_.path() / "units";
  fs::create_directories(units);
  std::vector<std::string> verify = {"/usr/bin/env", "systemd-analyze", "verify", "--man=no"};
  for (const char* name : {"costs-server.service", "costs-sync.service", "costs-sync.timer"}) {
    std::string text = read_text(source + "/deploy/systemd/" + name);
    // Installed as the README says: the launcher in /usr/local/bin. Here it is the checkout's.
    const std::string installed = "/usr/local/bin/costs-entrypoint";
    ASSERT_TRUE(name == std::string("costs-sync.timer") ||
                text.find(installed) != std::string::npos)
        << name;
    for (auto at = text.find(installed); at != std::string::npos; at = text.find(installed, at))
      text.replace(at, installed.size(), entrypoint);
    std::ofstream(units / name) << text;
    verify.push_back((units / name).string());
  }
  const auto verified = run_process(verify, {});
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_EQ(verified.err, "") << "a warning is a unit systemd would half-read";
  EXPECT_NE(read_text(units / "costs-sync.timer").find("Unit=costs-sync.service"),
            std::string::npos)
      << "the timer starts the sync unit";

  // Each unit's Environment= defaults, then what its EnvironmentFile would add.
  auto unit_env = [&](const std::string& name) {
    std::map<std::string, std::string> e;
    std::istringstream lines(read_text(units / name));
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("Environment=", 0) != 0) continue;
      std::istringstream words(line.substr(12));
      for (std::string w; words >> w;) e[w.substr(0, w.find('='))] = w.substr(w.find('=') + 1);
    }
    return e;
  };
  auto exec_of = [&](const std::string& name) {
    const std::string text = read_text(units / name);
    const auto at = text.find("\nExecStart=") + 11;
    std::istringstream words(text.substr(at, text.find('\n', at) - at));
    std::vector<std::string> argv;
    for (std::string w; words >> w;) argv.push_back(w);
    return argv;
  };
  db_.migrate();
  auto sync_env = unit_env("costs-sync.service");
  EXPECT_EQ(sync_env["COSTS_HOME"], "/var/lib/costs") << "the StateDirectory";
  sync_env = env({{"COSTS_TARGET", db_.url()}});  // as /etc/costs/sync.env would set it
  auto argv = exec_of("costs-sync.service");
  argv.insert(argv.end(), {"--provider", "claude_local"});
  const auto synced = run_process(argv, sync_env);
  EXPECT_EQ(synced.exit_code, 0) << synced.err;

  auto server_env = unit_env("costs-server.service");
  EXPECT_EQ(server_env["COSTS_LISTEN"], "127.0.0.1:8080") << "loopback unless the operator says";
  EXPECT_EQ(server_env["COSTS_PAGE_DIR"], "/usr/local/share/costs/page")
      << "where the README puts it";
  server_env = env({{"DATABASE_URL", as_role(db_.url(), "costs_reader")},
                    {"COSTS_LISTEN", "127.0.0.1:0"},
                    {"COSTS_PAGE_DIR", source + "/frontend/out"}});
  child_process server(exec_of("costs-server.service"), server_env);
  const std::string base = server.announced_base();
  EXPECT_EQ(http_get(base + "/healthz").status, 200);
  EXPECT_EQ(nlohmann::json::parse(http_get(base + "/api/costs/latest").body)["providers"].size(),
            1u);
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.err();
}

}  // namespace
