// A sync run written through costs::target into a real, migrated database, as the service role.
#include <string>

#include <gtest/gtest.h>

#include "costs/batch.hpp"
#include "costs/error.hpp"
#include "costs/target.hpp"
#include "support/test_db.hpp"

namespace {

using costs::test::as_role;
using costs::test::test_database;

costs::snapshot make_snapshot(const std::string& provider, const std::string& host,
                              const std::string& at, const std::string& cost) {
  costs::snapshot s;
  s.provider = provider;
  s.source = provider.size() > 6 && provider.substr(provider.size() - 6) == "_local"
                 ? "local_session"
                 : "api";
  s.host = host;
  s.fetched_at = costs::parse_timestamp(at);
  s.total_cost = costs::parse_usd(cost);
  s.tokens.input = 10;
  s.tokens.output = 20;
  s.tokens.cache_write_5m = 3;
  s.tokens.cache_write_1h = 4;
  s.tokens.cache_read = 5;
  return s;
}

costs::daily_cost make_day(const std::string& date, const std::string& cost, std::int64_t input) {
  costs::daily_cost d;
  d.provider = "openrouter";
  d.date = costs::civil_day::parse(date);
  d.source = "api";
  d.cost = costs::parse_usd(cost);
  d.tokens.input = input;
  return d;
}

class batch_write_test : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.migrate();
    db_target_ = costs::open_target(as_role(db_.url(), "service_role"));
  }
  pqxx::result query(const std::string& sql) {
    auto c = db_.connect();
    pqxx::read_transaction tx(c);
    return tx.exec(sql);
  }
  test_database db_;
  std::unique_ptr<costs::target> db_target_;
};

TEST_F(batch_write_test, upserting_the_same_daily_row_twice_leaves_one_row) {
  costs::sync_batch first;
  first.daily_costs = {make_day("2026-11-20", "1.250000", 100)};
  db_target_->write(first);
  costs::sync_batch second;
  second.daily_costs = {make_day("2026-11-20", "2.500001", 200)};
  db_target_->write(second);
  db_target_->write(second);
  const auto rows = query("select cost_usd::text, input_tokens from public.cost_daily");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(std::string(rows[0][0].c_str()), "2.500001");
  EXPECT_EQ(rows[0][1].as<long long>(), 200);
}

TEST_F(batch_write_test, usage_daily_upserts_on_its_whole_key_and_keeps_unpriced_null) {
  costs::daily_usage u;
  u.date = costs::civil_day::parse("2026-11-21");
  u.provider = "claude_local";
  u.host = "mac";
  u.model = "claude-sonnet-4-6";
  u.agent = "claude";
  u.project = "acme-api";
  u.tokens.input = 3;
  u.tokens.output = 412;
  u.calls = 1;
  u.cost = costs::micro_usd{19'750};
  costs::daily_usage unpriced = u;
  unpriced.model = "my-local-model";
  unpriced.cost.reset();
  costs::sync_batch batch;
  batch.daily_usage = {u, unpriced};
  db_target_->write(batch);
  u.calls = 2;
  batch.daily_usage = {u};
  db_target_->write(batch);
  const auto rows = query(
      "select model, calls, cost_usd::text, cost_usd is null from public.usage_daily order by "
      "model");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(std::string(rows[0][0].c_str()), "claude-sonnet-4-6");
  EXPECT_EQ(rows[0][1].as<int>(), 2);
  EXPECT_EQ(std::string(rows[0][2].c_str()), "0.019750");
  EXPECT_EQ(std::string(rows[1][0].c_str()), "my-local-model");
  EXPECT_TRUE(rows[1][3].as<bool>()) << "an unpriced cost must stay null, never 0";
}

TEST_F(batch_write_test, usage_latest_returns_the_newest_snapshot_per_provider_and_host) {
  costs::sync_batch batch;
  batch.snapshots = {
      make_snapshot("openrouter", "", "2026-11-20T10:00:00Z", "1.000000"),
      make_snapshot("openrouter", "", "2026-11-22T10:00:00Z", "3.000000"),
      make_snapshot("openrouter", "", "2026-11-21T10:00:00Z", "2.000000"),
      make_snapshot("claude_local", "mac", "2026-11-22T08:00:00Z", "0.500000"),
      make_snapshot("claude_local", "mac", "2026-11-22T09:00:00Z", "0.750000"),
      make_snapshot("claude_local", "linux-box", "2026-11-19T09:00:00Z", "0.125000"),
  };
  db_target_->write(batch);
  const auto rows = query(
      "select provider, host, total_cost_usd::text from public.usage_latest order by provider, "
      "host");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(std::string(rows[0][1].c_str()), "linux-box");
  EXPECT_EQ(std::string(rows[0][2].c_str()), "0.125000");
  EXPECT_EQ(std::string(rows[1][1].c_str()), "mac");
  EXPECT_EQ(std::string(rows[1][2].c_str()), "0.750000");
  EXPECT_EQ(std::string(rows[2][0].c_str()), "openrouter");
  EXPECT_EQ(std::string(rows[2][2].c_str()), "3.000000");
  // The view is the DISTINCT ON query of the design, row for row.
  const auto reference = query(
      "select distinct on (provider, host) id from public.usage_snapshots "
      "order by provider, host, fetched_at desc, id desc");
  const auto view = query("select id from public.usage_latest order by provider, host");
  ASSERT_EQ(reference.size(), view.size());
  for (std::size_t i = 0; i < view.size(); ++i)
    EXPECT_EQ(view[i][0].as<long long>(), reference[i][0].as<long long>());
}

TEST_F(batch_write_test, snapshot_fields_are_stored_exactly) {
  auto s = make_snapshot("openrouter", "", "2026-11-22T10:00:00.123456Z", "12345.678901");
  s.balance = costs::parse_usd("0.000001");
  s.units = {{"characters", 1200}};
  s.model_breakdown = nlohmann::json::array({{{"model", "gpt-5.5"}, {"cost_micro_usd", 5}}});
  costs::sync_batch batch;
  batch.snapshots = {s};
  db_target_->write(batch);
  const auto r = query(
      "select total_cost_usd::text, balance_usd::text, credit_limit_usd is null, "
      "cache_write_tokens,"
      " total_tokens, units->>'characters', model_breakdown->0->>'model',"
      " to_char(fetched_at at time zone 'utc', 'HH24:MI:SS.US') from public.usage_snapshots");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(std::string(r[0][0].c_str()), "12345.678901");
  EXPECT_EQ(std::string(r[0][1].c_str()), "0.000001");
  EXPECT_TRUE(r[0][2].as<bool>());
  EXPECT_EQ(r[0][3].as<long long>(), 7);
  EXPECT_EQ(r[0][4].as<long long>(), 42);
  EXPECT_EQ(std::string(r[0][5].c_str()), "1200");
  EXPECT_EQ(std::string(r[0][6].c_str()), "gpt-5.5");
  EXPECT_EQ(std::string(r[0][7].c_str()), "10:00:00.123456");
}

TEST_F(batch_write_test, a_run_is_one_transaction_all_or_nothing) {
  costs::sync_batch batch;
  batch.snapshots = {make_snapshot("openrouter", "", "2026-11-22T10:00:00Z", "1.000000")};
  batch.daily_costs = {make_day("2026-11-22", "1.000000", 1)};
  batch.log = {{"openrouter", "", costs::now(), costs::now(), "ok", 2, ""}};
  auto bad = make_snapshot("openrouter", "", "2026-11-22T11:00:00Z", "1.000000");
  bad.source = "not_a_source";  // violates the table's check constraint
  batch.snapshots.push_back(bad);
  EXPECT_THROW(db_target_->write(batch), costs::store_error);
  EXPECT_EQ(query("select count(*) from public.usage_snapshots")[0][0].as<int>(), 0);
  EXPECT_EQ(query("select count(*) from public.cost_daily")[0][0].as<int>(), 0);
  EXPECT_EQ(query("select count(*) from public.cost_sync_log")[0][0].as<int>(), 0);
  // The same store works for the next run.
  batch.snapshots.pop_back();
  const auto written = db_target_->write(batch);
  EXPECT_EQ(written.snapshots, 1);
  EXPECT_EQ(written.daily_costs, 1);
  EXPECT_EQ(written.log, 1);
  EXPECT_EQ(query("select count(*) from public.cost_sync_log where error is null")[0][0].as<int>(),
            1);
}

TEST_F(batch_write_test, a_missing_table_says_to_run_the_migrations) {
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    tx.exec("drop table public.cost_daily");
    tx.commit();
  }
  costs::sync_batch batch;
  batch.daily_costs = {make_day("2026-11-22", "1.000000", 1)};
  try {
    costs::open_target(db_.url())->write(batch);
    FAIL() << "expected a store_error";
  } catch (const costs::store_error& e) {
    EXPECT_EQ(e.code(), "store.query");
    EXPECT_NE(std::string(e.what()).find("costs-sync db migrate"), std::string::npos) << e.what();
  }
}

TEST(batch_write_connect_test, an_unreachable_database_is_a_store_error_without_the_password) {
  try {
    costs::open_target(
        "postgresql://someone:CANARY-PASSWORD-9f2@127.0.0.1:1/none?connect_timeout=5");
    FAIL() << "expected a store_error";
  } catch (const costs::store_error& e) {
    EXPECT_EQ(e.code(), "store.unavailable");
    EXPECT_EQ(std::string(e.what()).find("CANARY-PASSWORD-9f2"), std::string::npos) << e.what();
  }
}

}  // namespace
