// costs-sync status, burn and history over a real database, against figures worked by hand.
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "costs/calendar.hpp"
#include "costs/forecast.hpp"
#include "costs/money.hpp"
#include "costs/summary.hpp"
#include "costs/target.hpp"
#include "support/process.hpp"
#include "support/temp_home.hpp"
#include "support/test_db.hpp"

namespace {

std::string day_text(long long days_ago) {
  return costs::civil_day::from_days_since_epoch(costs::utc_day(costs::now()).days_since_epoch() -
                                                 days_ago)
      .to_string();
}

class summaries_test : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.migrate();
    auto c = db_.connect();
    pqxx::work tx(c);
    // openrouter (billed) $2 a day for 20 days and $30 three days ago; claude_local (estimated)
    // $1 today; openrouter's balance $50.
    for (int ago = 1; ago <= 20; ++ago)
      tx.exec_params(
          "insert into public.cost_daily (provider, date, source, cost_usd) values "
          "('openrouter', $1::date, 'api', $2::numeric)",
          day_text(ago), ago == 3 ? "30.00" : "2.00");
    tx.exec_params(
        "insert into public.cost_daily (provider, host, date, source, cost_usd) values "
        "('claude_local', 'mac', $1::date, 'local_session', 1.00)",
        day_text(0));
    tx.exec(
        "insert into public.usage_snapshots (provider, source, balance_usd) values "
        "('openrouter', 'api', 50.00)");
    tx.commit();
  }
  costs::test::process_result sync(std::vector<std::string> args,
                                   std::map<std::string, std::string> extra = {}) {
    args.insert(args.begin(), COSTS_SYNC_PATH);
    std::map<std::string, std::string> env = {{"HOME", home_.path().string()},
                                              {"COSTS_TARGET", db_.url()},
                                              {"COSTS_CONFIG", ""},
                                              {"XDG_CONFIG_HOME", ""},
                                              {"COSTS_TIMEZONE", "UTC"},
                                              {"COSTS_HTTP_BACKOFF_MS", "1"}};
    for (auto& [k, v] : extra) env[k] = v;
    return costs::test::run_process(args, env);
  }
  costs::test::test_database db_;
  costs::test::temp_home home_;
};

TEST_F(summaries_test, status_gives_today_the_change_and_a_spike_in_dollars) {
  const auto r = sync({"status", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto s = nlohmann::json::parse(r.out);
  EXPECT_EQ(s["today_usd"], "1.000000");
  EXPECT_EQ(s["estimated_usd"], "1.000000");
  EXPECT_EQ(s["billed_usd"], "0.000000");
  EXPECT_EQ(s["yesterday_usd"], "2.000000");
  EXPECT_EQ(s["change_usd"], "-1.000000");
  EXPECT_EQ(s["daily_rate_usd"], "6.000000");  // (6 x $2 + $30) / 7
  ASSERT_EQ(s["spikes"].size(), 1u);
  EXPECT_EQ(s["spikes"][0]["date"], day_text(3));
  EXPECT_EQ(s["spikes"][0]["median_usd"], "2.000000");
  const auto chat = sync({"status", "--format", "chat"}).out;
  EXPECT_NE(chat.find("Today $1.00"), std::string::npos) << chat;
  EXPECT_LT(chat.size(), 280u) << "a chat reply stays short: " << chat;
}

TEST_F(summaries_test, status_shows_each_budget_against_its_period_and_providers_by_label) {
  // This week so far: openrouter's days since Monday plus claude's $1 today.
  const costs::civil_day today = costs::utc_day(costs::now());
  const costs::civil_day monday = costs::period_start("week", today);
  long long week_micro = 1'000'000;
  for (long long ago = 1; ago <= 20; ++ago)
    if (today.days_since_epoch() - ago >= monday.days_since_epoch())
      week_micro += ago == 3 ? 30'000'000 : 2'000'000;
  ASSERT_EQ(sync({"budgets", "add", "--period", "day", "--threshold", "0.50"}).exit_code, 0);
  ASSERT_EQ(sync({"budgets", "add", "--period", "week", "--threshold", "1000", "--scope",
                  "provider:openrouter", "--name", "router"})
                .exit_code,
            0);
  const auto r = sync({"status", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto s = nlohmann::json::parse(r.out);
  ASSERT_EQ(s["budgets"].size(), 2u) << s.dump();
  EXPECT_EQ(s["budgets"][0]["scope"], "total");
  EXPECT_EQ(s["budgets"][0]["spent_usd"], "1.000000");
  EXPECT_DOUBLE_EQ(s["budgets"][0]["used_ratio"].get<double>(), 2.0);
  EXPECT_EQ(s["budgets"][0]["level"], "exceeded");
  EXPECT_EQ(s["budgets"][1]["scope"], "provider:openrouter");
  EXPECT_EQ(s["budgets"][1]["from"], monday.to_string());
  EXPECT_EQ(costs::parse_usd(s["budgets"][1]["spent_usd"].get<std::string>()).value,
            week_micro - 1'000'000)
      << "only OpenRouter's days this week";
  EXPECT_EQ(s["budgets"][1]["level"], "ok");
  EXPECT_EQ(s["top"][0]["label"], "Claude Code");

  const auto text = sync({"status"}).out;
  EXPECT_NE(text.find("Today by provider\n  Claude Code "), std::string::npos) << text;
  // Columns line up under their headings, whatever the names' lengths.
  auto line_with = [&](const std::string& start) {
    const auto at = text.find("\n  " + start);
    return at == std::string::npos ? std::string()
                                   : text.substr(at + 1, text.find('\n', at + 1) - at - 1);
  };
  const std::string heading = line_with("Budget "), total = line_with("total "),
                    router = line_with("router (provider:openrouter) ");
  ASSERT_FALSE(heading.empty() || total.empty() || router.empty()) << text;
  EXPECT_EQ(total.find("day"), heading.find("Period")) << text;
  EXPECT_EQ(router.find("week"), heading.find("Period")) << text;
  EXPECT_EQ(total.find("$0.50") + 5, heading.find("Limit") + 5) << "amounts end under Limit";
  EXPECT_EQ(total.find("200%") + 4, heading.find("Used") + 4) << text;
  EXPECT_NE(total.find("exceeded"), std::string::npos);
  const auto chat = sync({"status", "--format", "chat"}).out;
  EXPECT_NE(chat.find("🛑 total day budget 200% ($1.00 of $0.50)"), std::string::npos) << chat;
  EXPECT_LT(chat.size(), 280u) << chat;

  const auto list = sync({"budgets", "list"}).out;
  EXPECT_EQ(list.rfind("  ID  Kind", 0), 0u) << "the heading row comes first: " << list;
  const auto second = list.substr(list.find('\n') + 1);
  EXPECT_EQ(second.find("total"), list.find("Scope")) << list;
}

TEST_F(summaries_test, status_names_an_hour_far_above_a_typical_working_hour) {
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    // Every third hour from a day to a week ago: $1.20 (idle hours between); nothing in the last
    // 23 hours; then $5.00 in the current hour.
    tx.exec(R"sql(
      insert into public.cost_hourly (provider, host, hour, source, cost_usd, calls)
      select 'claude_local', 'mac', date_trunc('hour', now()) - make_interval(hours => n),
             'local_session', 1.20, 3
        from generate_series(24, 168) n where n % 3 = 0;
      insert into public.cost_hourly (provider, host, hour, source, cost_usd, calls)
      values ('claude_local', 'mac', date_trunc('hour', now()), 'local_session', 5.00, 9))sql");
    tx.commit();
  }
  const auto r = sync({"status", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto s = nlohmann::json::parse(r.out);
  ASSERT_EQ(s["hour_spikes"].size(), 1u) << s.dump();
  EXPECT_EQ(s["hour_spikes"][0]["usd"], "5.000000");
  EXPECT_EQ(s["hour_spikes"][0]["median_usd"], "1.200000");
  const auto chat = sync({"status", "--format", "chat"}).out;
  EXPECT_NE(chat.find("UTC $5.00 (usually $1.20/h)"), std::string::npos) << chat;
}

// status and the page's summary are one computation (costs::summarize_spend): the same figures,
// and usage with no price is said, never counted as $0.
TEST_F(summaries_test, status_agrees_with_the_summary_and_says_what_is_unpriced) {
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    tx.exec_params(
        "insert into public.usage_daily (date, provider, host, model, calls, cost_usd) values "
        "($1::date, 'claude_local', 'mac', 'claude-sonnet-4-6', 3, 1.00), "
        "($1::date, 'claude_local', 'mac', 'my-local-model', 2, null)",
        day_text(0));
    tx.commit();
  }
  const auto r = sync({"status", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto status = nlohmann::json::parse(r.out);
  auto t = costs::open_target(db_.url());
  const auto today = costs::utc_day(costs::now());
  const auto summary = costs::summarize_spend(*t, today, costs::now());
  EXPECT_EQ(status["today_usd"], costs::to_decimal_string(summary.today_spend.total()));
  EXPECT_EQ(status["billed_usd"], costs::to_decimal_string(summary.today_spend.billed));
  EXPECT_EQ(status["estimated_usd"], costs::to_decimal_string(summary.today_spend.estimated));
  EXPECT_EQ(status["change_usd"], costs::to_decimal_string(summary.change));
  EXPECT_EQ(status["projected_month_end_usd"],
            costs::to_decimal_string(summary.projection.projected));
  EXPECT_EQ(status["today_usd"], "1.000000");
  EXPECT_EQ(status["basis"], "estimated");
  EXPECT_EQ(status["unpriced_rows"], 1) << "my-local-model has no price";
  EXPECT_EQ(summary.today_spend.unpriced_rows, 1);
  const auto text = sync({"status"}).out;
  EXPECT_NE(text.find("1 row of usage with no price"), std::string::npos) << text;
  EXPECT_NE(sync({"status", "--format", "chat"}).out.find("$1.00 + unpriced"), std::string::npos);
}

TEST_F(summaries_test, burn_gives_rates_and_the_runway_of_a_balance) {
  const auto r = sync({"burn", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto b = nlohmann::json::parse(r.out);
  EXPECT_EQ(b["per_day_usd"], "6.000000");
  EXPECT_EQ(b["per_hour_usd"], "0.250000");
  EXPECT_EQ(b["per_week_usd"], "42.000000");
  const auto& openrouter = b["providers"][1];
  EXPECT_EQ(openrouter["provider"], "openrouter");
  EXPECT_EQ(openrouter["balance"], "50.000000");
  EXPECT_DOUBLE_EQ(openrouter["runway_days"].get<double>(), 8.3);  // 50 / 6
  const auto chat = sync({"burn", "--format", "chat"}).out;
  EXPECT_NE(chat.find("🔥 Burn $6.00/day ($0.25/h, $42.00/week)"), std::string::npos) << chat;
  EXPECT_NE(chat.find("OpenRouter $6.00/day, $50.00 left (8.3 d left)"), std::string::npos) << chat;
  const auto text = sync({"burn"}).out;
  EXPECT_NE(text.find("OpenRouter"), std::string::npos) << "labels, not keys, for people";
  EXPECT_NE(text.find("balance $50.00  8.3 d left"), std::string::npos) << text;
}

// burn and the page's /api/costs/burn are one computation (costs::summarize_burn).
TEST_F(summaries_test, burn_agrees_with_the_page_and_says_what_is_unpriced) {
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    tx.exec_params(
        "insert into public.cost_daily (provider, date, source, cost_usd) values "
        "('openai_api', $1::date, 'admin_api', null)",
        day_text(1));
    tx.commit();
  }
  ASSERT_EQ(sync({"budgets", "add", "--kind", "low_balance", "--scope", "provider:openrouter",
                  "--threshold", "60"})
                .exit_code,
            0);
  const auto r = sync({"burn", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto cli = nlohmann::json::parse(r.out);
  auto t = costs::open_target(db_.url());
  const auto lib = costs::summarize_burn(*t, costs::utc_day(costs::now()));
  EXPECT_EQ(cli["per_day_usd"], costs::to_decimal_string(lib.total.per_day));
  ASSERT_EQ(cli["providers"].size(), lib.providers.size());
  std::map<std::string, nlohmann::json> by_key;
  for (const auto& p : cli["providers"]) by_key[p["provider"]] = p;
  for (const auto& p : lib.providers) {
    EXPECT_EQ(by_key[p.provider]["per_day_usd"], costs::to_decimal_string(p.rate.per_day));
    EXPECT_EQ(by_key[p.provider]["basis"], p.basis);
  }
  EXPECT_EQ(by_key["openai_api"]["unpriced_rows"], 1) << "a day with usage and no bill yet";
  EXPECT_EQ(by_key["openrouter"]["low_balance"], "60.000000");
  EXPECT_EQ(by_key["openrouter"]["balance"], "50.000000");
  EXPECT_NE(sync({"burn"}).out.find("1 unpriced, not in the rate"), std::string::npos);
}

// A flat-fee plan (Claude Max over claude_local): its usage is API-equivalent, so it leaves
// today, the month, the forecast, total budgets and the total burn, keeping its own rate, until
// the plan is set to count it.
TEST_F(summaries_test, a_plans_usage_is_api_equivalent_and_out_of_spend_unless_opted_in) {
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    tx.exec_params(
        "insert into public.cost_daily (provider, host, date, source, cost_usd) values "
        "('claude_local', 'mac', $1::date, 'local_session', 7.00)",
        day_text(2));
    tx.commit();
  }
  auto status = [&] { return nlohmann::json::parse(sync({"status", "--format", "json"}).out); };
  auto burn = [&] { return nlohmann::json::parse(sync({"burn", "--format", "json"}).out); };
  EXPECT_EQ(status()["today_usd"], "1.000000");
  EXPECT_EQ(burn()["per_day_usd"], "7.000000") << "(42 + 7) / 7";
  const auto set = sync({"plans", "set", "claude_local", "Claude Max", "--fee", "200"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_NE(set.out.find("API-equivalent"), std::string::npos) << set.out;
  const auto listed = nlohmann::json::parse(sync({"plans", "--json"}).out);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["plan"], "Claude Max");
  EXPECT_EQ(listed[0]["monthly_fee_usd"], "200.000000");
  EXPECT_FALSE(listed[0]["counts_in_spend"].get<bool>());
  EXPECT_EQ(status()["today_usd"], "0.000000") << "Claude Code's $1 is API-equivalent";
  const auto covered = burn();
  EXPECT_EQ(covered["per_day_usd"], "6.000000") << "the total leaves the plan out";
  for (const auto& p : covered["providers"]) {
    if (p["provider"] == "claude_local") {
      EXPECT_EQ(p["per_day_usd"], "1.000000") << "its own rate stays";
    }
  }
  auto t = costs::open_target(db_.url());
  const auto today = costs::utc_day(costs::now());
  EXPECT_EQ(t->scope_spend_micro_usd("total", "", today, today), 0);
  EXPECT_EQ(t->scope_spend_micro_usd("provider", "claude_local", today, today), 1'000'000)
      << "a budget on the provider itself still sees its usage";
  ASSERT_EQ(sync({"plans", "set", "claude_local", "Claude Max", "--count-in-spend"}).exit_code, 0);
  EXPECT_EQ(status()["today_usd"], "1.000000") << "opted in: counted again";
  EXPECT_EQ(sync({"plans", "clear", "claude_local"}).exit_code, 0);
  EXPECT_EQ(sync({"plans", "clear", "claude_local"}).exit_code, 1) << "no plan left to clear";
  EXPECT_EQ(sync({"plans", "set", "claude-local", "x"}).exit_code, 2) << "not a provider key";
  EXPECT_EQ(sync({"plans", "set", "claude_local", "x", "--fee", "ten"}).exit_code, 2);
  EXPECT_NE(sync({"plans"}).out.find("no plans"), std::string::npos);
}

TEST_F(summaries_test, history_lists_every_day_including_quiet_ones) {
  const auto r = sync({"history", "--days", "4", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto h = nlohmann::json::parse(r.out);
  ASSERT_EQ(h["rows"].size(), 4u);
  EXPECT_EQ(h["rows"][0]["date"], day_text(3));
  EXPECT_EQ(h["rows"][0]["usd"], "30.000000");
  EXPECT_EQ(h["rows"][3]["usd"], "1.000000");
  EXPECT_EQ(h["total_usd"], "35.000000");
  EXPECT_EQ(sync({"history", "--format", "yaml"}).exit_code, 2);
  const auto none =
      costs::test::run_process({COSTS_SYNC_PATH, "burn"}, {{"HOME", home_.path().string()},
                                                           {"COSTS_TARGET", ""},
                                                           {"COSTS_CONFIG", ""},
                                                           {"XDG_CONFIG_HOME", ""}});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("COSTS_TARGET"), std::string::npos) << none.err;
}

}  // namespace
