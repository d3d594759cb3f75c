// costs-sync status, burn and history over a real database, against figures worked by hand.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "costs/calendar.hpp"
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
  costs::test::process_result sync(std::vector<std::string> args) {
    args.insert(args.begin(), COSTS_SYNC_PATH);
    return costs::test::run_process(args, {{"HOME", home_.path().string()},
                                           {"COSTS_TARGET", db_.url()},
                                           {"COSTS_CONFIG", ""},
                                           {"XDG_CONFIG_HOME", ""},
                                           {"COSTS_TIMEZONE", "UTC"}});
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
  EXPECT_NE(chat.find("openrouter $6.00/day, 50.00 USD left (8.3 d left)"), std::string::npos)
      << chat;
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
