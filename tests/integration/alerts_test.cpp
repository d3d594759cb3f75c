// Budgets and alerts end to end: rules added with the real costs-sync, spend in the real
// database, alerts delivered over real HTTP to a local receiver standing in for a webhook,
// Slack, Telegram and ntfy (their documented request shapes).
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "costs/budgets.hpp"
#include "costs/calendar.hpp"
#include "support/fake_http.hpp"
#include "support/process.hpp"
#include "support/temp_home.hpp"
#include "support/test_db.hpp"

namespace {

using costs::test::fake_http_server;
using costs::test::run_process;
using costs::test::test_database;

const std::string telegram_token = "123456:CANARY-TELEGRAM-TOKEN";

class alerts_test : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.migrate();
    for (const char* path : {"/hook", "/slack", "/ntfy"}) receiver_.on(path, {{200, "ok"}});
    receiver_.on("/telegram/bot" + telegram_token + "/sendMessage", {{200, R"({"ok":true})"}});
  }

  // The receiver is on loopback, which only an operator's opt-in lets alerts reach.
  costs::test::process_result sync(std::vector<std::string> args,
                                   const std::string& allow_private = "1") {
    std::vector<std::string> argv = {COSTS_SYNC_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, {{"HOME", home_.path().string()},
                              {"COSTS_ALLOW_PRIVATE_CHANNELS", allow_private},
                              {"COSTS_HOME", (home_.path() / "costs").string()},
                              {"COSTS_TARGET", db_.url()},
                              {"XDG_CONFIG_HOME", ""},
                              {"COSTS_CONFIG", (home_.path() / "config").string()},
                              {"COSTS_TIMEZONE", "UTC"},
                              {"COSTS_PAGE_URL", "https://costs.example.app/costs/"},
                              {"COSTS_TELEGRAM_BASE_URL", receiver_.base() + "/telegram"},
                              {"COSTS_HTTP_BACKOFF_MS", "1"}});
  }
  // A run that collects nothing: only the budgets are judged.
  costs::test::process_result run() { return sync({"run", "--local-only"}); }

  void spend_today(const char* usd) {
    auto c = db_.connect();
    pqxx::work tx(c);
    tx.exec_params(
        "insert into public.cost_daily (provider, date, source, cost_usd) values "
        "('openrouter', $1::date, 'api', $2::numeric) on conflict (provider, host, date) do "
        "update set cost_usd = excluded.cost_usd",
        costs::utc_day(costs::now()).to_string(), usd);
    tx.commit();
  }
  std::vector<costs::test::recorded_request> to(const std::string& path) {
    std::vector<costs::test::recorded_request> out;
    for (const auto& r : receiver_.requests())
      if (r.path == path) out.push_back(r);
    return out;
  }
  std::string query(const std::string& sql) {
    auto c = db_.connect();
    pqxx::read_transaction tx(c);
    std::string all;
    for (const auto& row : tx.exec(sql)) {
      for (const auto& f : row) all += std::string(f.is_null() ? "null" : f.c_str()) + "|";
      all += "\n";
    }
    return all;
  }

  test_database db_;
  costs::test::temp_home home_;
  fake_http_server receiver_;
};

TEST_F(alerts_test, budgets_are_added_listed_and_removed_with_the_command_line) {
  auto added =
      sync({"budgets", "add", "--scope", "provider:openrouter", "--period", "week", "--threshold",
            "50", "--warn-ratio", "0.75", "--slack", receiver_.base() + "/slack"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_NE(added.out.find("added budget 1: provider:openrouter per week, $50.00"),
            std::string::npos)
      << added.out;
  const auto split = sync(
      {"budgets", "add", "--threshold", "500", "--split", "main=40,coder=25,researcher=20,ops=15"});
  ASSERT_EQ(split.exit_code, 0) << split.err;
  const auto list = nlohmann::json::parse(sync({"budgets", "list", "--json"}).out);
  ASSERT_EQ(list.size(), 5u);
  EXPECT_EQ(list[0]["warn_ratio"], 0.75);
  EXPECT_EQ(list[0]["channels"], "slack");
  EXPECT_EQ(list[1]["scope"], "agent:main");
  EXPECT_EQ(list[1]["threshold_usd"], "200.000000");
  EXPECT_EQ(list[4]["threshold_usd"], "75.000000");
  EXPECT_EQ(sync({"budgets", "rm", "1"}).exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(sync({"budgets", "list", "--json"}).out).size(), 4u);
  const auto missing = sync({"budgets", "rm", "99"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no budget 99"), std::string::npos);
  const auto bad = sync({"budgets", "add", "--scope", "planet:mars", "--threshold", "5"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("provider:KEY"), std::string::npos) << bad.err;
}

TEST_F(alerts_test, a_threshold_fires_once_per_period_and_level_on_every_channel) {
  ASSERT_EQ(sync({"budgets", "add", "--name", "daily", "--period", "day", "--threshold", "10",
                  "--webhook", receiver_.base() + "/hook", "--slack", receiver_.base() + "/slack",
                  "--telegram", telegram_token + ":42", "--ntfy", receiver_.base() + "/ntfy"})
                .exit_code,
            0);
  spend_today("7.00");
  auto r = run();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(receiver_.requests().empty()) << "70% is under the 80% warning";

  spend_today("8.50");
  r = run();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("alert: ⚠ costs: daily (total) day budget at 85%: $8.50 of $10.00"),
            std::string::npos)
      << r.out;
  ASSERT_EQ(to("/hook").size(), 1u);
  const auto hook = nlohmann::json::parse(to("/hook")[0].body);
  EXPECT_EQ(hook["alert"]["level"], "warn");
  EXPECT_EQ(hook["alert"]["spent_usd"], "8.500000");
  EXPECT_EQ(hook["alert"]["threshold_usd"], "10.000000");
  EXPECT_EQ(hook["page_url"], "https://costs.example.app/costs/");
  ASSERT_EQ(to("/slack").size(), 1u);
  EXPECT_NE(nlohmann::json::parse(to("/slack")[0].body)["text"].get<std::string>().find("85%"),
            std::string::npos);
  const auto telegram = to("/telegram/bot" + telegram_token + "/sendMessage");
  ASSERT_EQ(telegram.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(telegram[0].body)["chat_id"], "42");
  ASSERT_EQ(to("/ntfy").size(), 1u);
  EXPECT_EQ(to("/ntfy")[0].headers.at("priority"), "default");
  const std::string text = to("/ntfy")[0].body;
  EXPECT_LT(text.size(), 160u) << "short enough for a chat line: " << text;

  r = run();  // nothing new
  EXPECT_EQ(receiver_.requests().size(), 4u);
  EXPECT_EQ(query("select level, delivered_at is not null from public.alert_events"), "warn|t|\n");

  spend_today("12.00");
  r = run();
  EXPECT_EQ(to("/hook").size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(to("/hook")[1].body)["alert"]["level"], "exceeded");
  EXPECT_EQ(to("/ntfy")[1].headers.at("priority"), "high");
  r = run();
  EXPECT_EQ(receiver_.requests().size(), 8u) << "each level once";
  EXPECT_EQ(query("select level from public.alert_events order by id"), "warn|\nexceeded|\n");
  for (const auto& out : {r.out, r.err, query("select t::text from public.alert_events t")})
    EXPECT_EQ(out.find("CANARY-TELEGRAM"), std::string::npos) << out;
}

TEST_F(alerts_test, a_failed_delivery_is_kept_and_retried_only_where_it_failed) {
  receiver_.on("/slack", {{500, "down"}, {500, "down"}, {500, "down"}, {200, "ok"}});
  ASSERT_EQ(sync({"budgets", "add", "--period", "month", "--threshold", "5", "--webhook",
                  receiver_.base() + "/hook", "--slack", receiver_.base() + "/slack"})
                .exit_code,
            0);
  spend_today("6.00");
  auto r = run();
  EXPECT_EQ(r.exit_code, 1) << "a delivery failed";
  EXPECT_NE(r.err.find("slack channel answered 500"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("retried next run"), std::string::npos);
  EXPECT_EQ(r.err.find(receiver_.base()), std::string::npos) << "webhook URLs are secrets";
  EXPECT_EQ(to("/hook").size(), 1u);
  EXPECT_EQ(query("select delivered_at is null, delivery_error from public.alert_events"),
            "t|slack channel answered 500|\n");

  r = run();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(to("/slack").size(), 4u);  // three tries, then the retry that worked
  EXPECT_EQ(to("/hook").size(), 1u) << "the webhook had it already";
  EXPECT_EQ(query("select delivered_at is not null, delivery_error from public.alert_events"),
            "t|null|\n");
}

TEST_F(alerts_test, a_channel_on_a_private_address_is_refused_unless_the_operator_allows_it) {
  ASSERT_EQ(sync({"budgets", "add", "--period", "day", "--threshold", "5", "--webhook",
                  receiver_.base() + "/hook"})
                .exit_code,
            0);
  spend_today("6.00");
  auto r = sync({"run", "--local-only", "--json"}, "");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["failed_providers"], 0) << "a channel that failed is not a provider that did";
  EXPECT_EQ(summary["alert_failures"], 1);
  EXPECT_NE(r.err.find("private or loopback address, refused"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("COSTS_ALLOW_PRIVATE_CHANNELS=1"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(receiver_.base()), std::string::npos) << "webhook URLs are secrets";
  EXPECT_TRUE(to("/hook").empty()) << "nothing reached the loopback host";
  EXPECT_EQ(query("select delivered_at is null from public.alert_events"), "t|\n")
      << "the alert is kept for a later run";
  r = run();  // the operator allows it: the kept alert goes out
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(to("/hook").size(), 1u);
}

TEST_F(alerts_test, a_rule_names_a_channel_the_operator_configured) {
  home_.write("config", "COSTS_CHANNEL_OPS = webhook=" + receiver_.base() + "/hook\n" +
                            "COSTS_BUDGET_DAY = scope=total period=day threshold=5 channel=ops\n");
  spend_today("6.00");
  auto r = run();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(to("/hook").size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(to("/hook")[0].body)["alert"]["level"], "exceeded");
  // A rule naming a channel nobody configured says which variable to set.
  home_.write("config", "COSTS_BUDGET_WEEK = scope=total period=week threshold=5 channel=pager\n");
  r = run();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("set COSTS_CHANNEL_PAGER"), std::string::npos) << r.err;
}

TEST_F(alerts_test, rules_in_the_config_file_are_kept_in_step_with_the_database) {
  home_.write("config",
              "# budgets\nCOSTS_BUDGET_DAILY = scope=total period=day threshold=10 webhook=" +
                  receiver_.base() + "/hook\n");
  auto list = nlohmann::json::parse(sync({"budgets", "list", "--json"}).out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["name"], "config:daily");
  EXPECT_EQ(list[0]["threshold_usd"], "10.000000");
  spend_today("9.00");
  auto r = run();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(to("/hook").size(), 1u);
  r = run();
  EXPECT_EQ(to("/hook").size(), 1u) << "an unchanged rule is the same rule: no second alert";

  home_.write("config", "COSTS_BUDGET_DAILY = scope=total period=day threshold=20\n");
  list = nlohmann::json::parse(sync({"budgets", "list", "--json"}).out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["threshold_usd"], "20.000000");
  EXPECT_EQ(list[0]["channels"], "stdout");
  EXPECT_EQ(sync({"budgets", "add", "--threshold", "99"}).exit_code, 0);
  home_.write("config", "");
  list = nlohmann::json::parse(sync({"budgets", "list", "--json"}).out);
  ASSERT_EQ(list.size(), 1u) << "gone from the file, gone from the database; others stay";
  EXPECT_EQ(list[0]["threshold_usd"], "99.000000");

  home_.write("config", "COSTS_BUDGET_BAD = scope=total threshold=ten\n");
  r = run();
  EXPECT_EQ(r.exit_code, 1) << "the sync is written; the budgets could not be checked";
  EXPECT_NE(r.err.find("COSTS_BUDGET_BAD"), std::string::npos) << r.err;
  EXPECT_EQ(sync({"budgets", "list"}).exit_code, 2) << "bad configuration, for the command";
}

TEST_F(alerts_test, a_low_balance_rule_fires_under_its_threshold) {
  ASSERT_EQ(sync({"budgets", "add", "--kind", "low_balance", "--scope", "provider:openrouter",
                  "--threshold", "10", "--webhook", receiver_.base() + "/hook"})
                .exit_code,
            0);
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    tx.exec(
        "insert into public.usage_snapshots (provider, source, balance_usd) values "
        "('openrouter', 'api', 8.25)");
    tx.commit();
  }
  const auto r = run();
  ASSERT_EQ(to("/hook").size(), 1u) << r.out << r.err;
  const auto hook = nlohmann::json::parse(to("/hook")[0].body);
  EXPECT_EQ(hook["alert"]["level"], "exceeded");
  EXPECT_EQ(hook["alert"]["spent_usd"], "8.250000");
  EXPECT_NE(hook["text"].get<std::string>().find("balance $8.25"), std::string::npos);
}

// A rule stored with a channel of the wrong shape (by hand, or by an older version) fails
// alone: one line says which budget and what to do, and every other budget's alert still goes.
TEST_F(alerts_test, one_malformed_rule_is_skipped_and_every_other_alert_still_goes) {
  for (const char* period : {"day", "week", "month"})
    ASSERT_EQ(sync({"budgets", "add", "--period", period, "--threshold", "5", "--webhook",
                    receiver_.base() + "/hook"})
                  .exit_code,
              0);
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    tx.exec0(
        "update public.budgets set channels = '[{\"channel\": 5}, {\"type\": \"slack\","
        " \"url\": 7}]'::jsonb where period = 'day'");
    tx.exec0("update public.budgets set channels = '{\"x\": 1}'::jsonb where period = 'week'");
    tx.commit();
  }
  spend_today("6.00");
  const auto r = sync({"run", "--local-only", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto summary = nlohmann::json::parse(r.out);  // the report is printed all the same
  EXPECT_EQ(summary["alert_failures"], 3);
  EXPECT_EQ(to("/hook").size(), 1u) << "the month budget's alert went out";
  EXPECT_NE(r.err.find("names no channel"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("malformed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("fix or remove the rule"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("alert for budget 2 skipped (its channels are not a list)"),
            std::string::npos)
      << r.err;
  // The skipped rule is in the sync log too, where the page shows failures.
  auto c = db_.connect();
  pqxx::read_transaction tx(c);
  const auto logged =
      tx.exec("select status, error from public.cost_sync_log where provider = 'alerts'");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(std::string(logged[0][0].c_str()), "failed");
  EXPECT_NE(std::string(logged[0][1].c_str()).find("budget 2 skipped"), std::string::npos)
      << logged[0][1].c_str();
}

// Only http:// and https:// leave the machine: other schemes are refused when a rule or a
// channel is written, and never sent even when a stored rule holds one.
TEST_F(alerts_test, only_http_and_https_urls_are_accepted_or_sent_to) {
  for (const std::string& url :
       std::vector<std::string>{"gopher://127.0.0.1:70/x", "dict://127.0.0.1:2628/d",
                                "file:///etc/passwd", "https://a.example/\x01"}) {
    const auto r =
        sync({"budgets", "add", "--period", "day", "--threshold", "5", "--webhook", url});
    EXPECT_EQ(r.exit_code, 2) << url;
    EXPECT_NE(r.err.find("http:// or https://"), std::string::npos) << r.err;
  }
  spend_today("6.00");
  home_.write("config",
              "COSTS_CHANNEL_OPS = webhook=gopher://127.0.0.1/x\n"
              "COSTS_BUDGET_DAY = scope=total period=day threshold=5 channel=ops\n");
  const auto bad_channel = run();
  EXPECT_EQ(bad_channel.exit_code, 1);
  EXPECT_NE(bad_channel.err.find("COSTS_CHANNEL_OPS: a channel is one of"), std::string::npos)
      << bad_channel.err;
  EXPECT_NE(bad_channel.err.find("http:// or https://"), std::string::npos) << bad_channel.err;
  home_.write("config", "");
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    tx.exec0("delete from public.alert_events");
    tx.exec0("delete from public.budgets");
    tx.commit();
  }

  // A rule stored by hand pointing gopher:// at the receiver's port: nothing reaches it.
  ASSERT_EQ(sync({"budgets", "add", "--period", "day", "--threshold", "5", "--webhook",
                  receiver_.base() + "/hook"})
                .exit_code,
            0);
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    const std::string gopher = "gopher://" + receiver_.base().substr(7) + "/_POST%20/hook";
    tx.exec_params0(
        "update public.budgets set channels = jsonb_build_array(jsonb_build_object("
        "'type', 'webhook', 'url', $1::text))",
        gopher);
    tx.commit();
  }
  spend_today("6.00");
  const auto r = run();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("only http:// and https:// URLs are sent to"), std::string::npos) << r.err;
  EXPECT_TRUE(receiver_.requests().empty()) << "not one byte reached the local port";
}

// A channel that never answers holds nobody up: a few seconds, one retry, and the alert is
// kept for the next run (COSTS_ALERT_TIMEOUT_MS shortens the wait for this test).
TEST_F(alerts_test, a_channel_that_never_answers_is_given_up_on_and_the_alert_kept) {
  receiver_.on("/slow", {{200, "ok", {}, 60'000}});
  ASSERT_EQ(sync({"budgets", "add", "--period", "day", "--threshold", "5", "--webhook",
                  receiver_.base() + "/slow", "--webhook", receiver_.base() + "/hook"})
                .exit_code,
            0);
  spend_today("6.00");
  home_.write("config", "COSTS_ALERT_TIMEOUT_MS = 300\n");
  const auto r = run();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("webhook channel: timed out"), std::string::npos) << r.err;
  EXPECT_EQ(to("/slow").size(), 2u) << "one try and one retry";
  EXPECT_EQ(to("/hook").size(), 1u) << "the other channel took it";
  EXPECT_EQ(query("select delivered_at is null from public.alert_events"), "t|\n");
}

}  // namespace
