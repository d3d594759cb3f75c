// The dashboard's reads (costs::target) against a real, migrated database: each read returns
// the rows a sync wrote, by name, and a database that is gone or stuck is store.unavailable
// within the statement timeout, never a hang.
#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "costs/batch.hpp"
#include "costs/error.hpp"
#include "costs/target.hpp"
#include "support/test_db.hpp"

namespace {

costs::usage_filter claude_only() {
  costs::usage_filter f;
  f.provider = "claude_local";
  return f;
}

using costs::civil_day;
using costs::test::as_role;
using costs::test::test_database;

class target_test : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.migrate();
    costs::sync_batch batch;
    batch.run_id = "run-1";
    costs::daily_cost billed;
    billed.provider = "openrouter";
    billed.source = "api";
    billed.date = day_;
    billed.cost = costs::parse_usd("2.500000");
    billed.tokens.input = 100;
    costs::daily_cost unbilled = billed;
    unbilled.provider = "openai_api";
    unbilled.cost.reset();  // usage without a bill yet
    costs::daily_usage priced;
    priced.date = day_;
    priced.provider = "claude_local";
    priced.host = "laptop";
    priced.model = "claude-sonnet-4-6";
    priced.agent = "main";
    priced.tokens.output = 7;
    priced.calls = 3;
    priced.cost = costs::parse_usd("0.750000");
    costs::daily_usage unpriced = priced;
    unpriced.model = "mystery-model";
    unpriced.calls = 1;
    unpriced.cost.reset();
    costs::daily_cost local;
    local.provider = "claude_local";
    local.source = "local_session";
    local.host = "laptop";
    local.date = day_;
    local.cost = costs::parse_usd("0.750000");
    batch.daily_costs = {billed, unbilled, local};
    batch.daily_usage = {priced, unpriced};
    costs::snapshot balance;
    balance.provider = "openrouter";
    balance.source = "api";
    balance.fetched_at = costs::parse_timestamp("2026-11-20T12:00:00Z");
    balance.balance = costs::parse_usd("40.000000");
    batch.snapshots = {balance};
    // Written through the target as the sync writes; sent twice, as a resent run is, it
    // counts once.
    auto writer = costs::open_target(as_role(db_.url(), "service_role"));
    EXPECT_EQ(writer->write(batch).snapshots, 1);
    const auto again = writer->write(batch);
    EXPECT_EQ(again.daily_costs, 3);
    EXPECT_EQ(again.snapshots, 0) << "the resent run's snapshot is already there";
  }

  civil_day day_ = civil_day::parse("2026-11-20");
  test_database db_;
};

TEST_F(target_test, each_read_returns_what_the_sync_wrote_by_name) {
  auto t = costs::open_target(db_.url());
  t->ping();
  const auto by_provider = t->daily("provider", day_, day_, {});
  ASSERT_EQ(by_provider.size(), 3u);
  EXPECT_EQ(by_provider[0].key, "claude_local");
  EXPECT_EQ(by_provider[0].cost_micro_usd, 750'000);
  EXPECT_EQ(by_provider[1].key, "openai_api");
  EXPECT_FALSE(by_provider[1].cost_micro_usd) << "unbilled is null, never $0";
  EXPECT_EQ(by_provider[2].key, "openrouter");
  EXPECT_EQ(by_provider[2].tokens.input, 100);

  const auto models = t->breakdown("model", day_, day_, claude_only());
  ASSERT_EQ(models.size(), 2u);
  EXPECT_EQ(models[0].key, "claude-sonnet-4-6");
  EXPECT_EQ(models[0].calls, 3);
  EXPECT_EQ(models[0].tokens.output, 7);
  EXPECT_EQ(models[1].key, "mystery-model");
  EXPECT_FALSE(models[1].cost_micro_usd);

  std::int64_t billed = 0, estimated = 0, unpriced = 0;
  for (const auto& r : t->spend_by_day(day_, day_)) {
    EXPECT_EQ(r.date, "2026-11-20");
    (r.estimated ? estimated : billed) += r.cost_micro_usd.value_or(0);
    unpriced += r.unpriced_rows;
  }
  EXPECT_EQ(billed, 2'500'000);
  EXPECT_EQ(estimated, 750'000);
  EXPECT_EQ(unpriced, 2) << "OpenAI's unbilled day and the unpriced model";
  EXPECT_EQ(t->scope_spend_micro_usd("total", "", day_, day_), 3'250'000);
  EXPECT_EQ(t->scope_spend_micro_usd("agent", "main", day_, day_), 750'000);
  EXPECT_EQ(t->known_agents(), std::vector<std::string>{"main"});
  const auto balances = t->balances();
  ASSERT_EQ(balances.size(), 1u) << "one snapshot, though the run was written twice";
  EXPECT_EQ(balances[0].balance_micro_usd, 40'000'000);
}

TEST_F(target_test, a_row_the_table_refuses_is_a_bad_value_that_names_its_rule) {
  auto t = costs::open_target(db_.url());
  costs::budget_record b;
  b.threshold_micro_usd = 5'000'000;
  b.warn_permille = 0;  // warn_ratio > 0 is the table's rule
  try {
    t->add_budget(b);
    FAIL() << "a warn ratio of 0 was stored";
  } catch (const costs::store_error& e) {
    EXPECT_EQ(e.code(), "store.bad_value");
    EXPECT_NE(e.message().find("warn_ratio"), std::string::npos) << e.message();
  }
  b.warn_permille = 800;
  EXPECT_GT(t->add_budget(b), 0) << "the same target writes on afterwards";
}

// Retention nulls old raw responses a batch at a time, oldest first, through the partial index
// of snapshots that still have one; figures, newer snapshots and daily rows stay.
TEST_F(target_test, retention_prunes_old_raw_responses_in_batches_through_an_index) {
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    // 20,000 pruned long ago, 2,500 old ones still holding their answer, 10 recent ones.
    tx.exec(R"sql(
      insert into public.usage_snapshots (provider, source, fetched_at, total_cost_usd, raw_response)
      select 'openrouter', 'api', timestamptz '2025-01-01' + n * interval '1 minute', 1, null
        from generate_series(1, 20000) n;
      insert into public.usage_snapshots (provider, source, fetched_at, total_cost_usd, raw_response)
      select 'openrouter', 'api', timestamptz '2026-06-01' + n * interval '1 minute', 2,
             jsonb_build_object('n', n)
        from generate_series(1, 2500) n;
      insert into public.usage_snapshots (provider, source, fetched_at, total_cost_usd, raw_response)
      select 'deepseek', 'api', timestamptz '2026-11-30' + n * interval '1 hour', 3, '{"kept": true}'
        from generate_series(1, 10) n;
      analyze public.usage_snapshots;)sql");
    // The batch's query walks the index; it never reads the whole table.
    const std::string plan =
        tx.exec1(
              "explain (format json) select s.id from public.usage_snapshots s "
              "where s.raw_response is not null and s.fetched_at < '2026-09-01' "
              "order by s.fetched_at limit 1000")[0]
            .as<std::string>();
    EXPECT_NE(plan.find("usage_snapshots_raw_kept_idx"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("Seq Scan"), std::string::npos) << plan;
    tx.commit();
  }
  // As the sync writes (service_role): it may prune, through the function only.
  auto writer = costs::open_target(as_role(db_.url(), "service_role"));
  const auto cutoff = costs::parse_timestamp("2026-09-01T00:00:00Z");
  EXPECT_EQ(writer->prune_raw_responses(cutoff, 1000), 1000);
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    // Oldest first: the first 1,000 old ones went, the rest wait for the next batch.
    EXPECT_EQ(tx.exec1("select count(*) from public.usage_snapshots where raw_response is null "
                       "and fetched_at <= timestamptz '2026-06-01' + interval '1000 minutes' "
                       "and total_cost_usd = 2")[0]
                  .as<int>(),
              1000);
  }
  EXPECT_EQ(writer->prune_raw_responses(cutoff, 1000), 1000);
  EXPECT_EQ(writer->prune_raw_responses(cutoff, 1000), 500);
  EXPECT_EQ(writer->prune_raw_responses(cutoff, 1000), 0);
  auto c = db_.connect();
  pqxx::work tx(c);
  EXPECT_EQ(tx.exec1("select count(*) from public.usage_snapshots where raw_response is not null "
                     "and fetched_at < '2026-09-01'")[0]
                .as<int>(),
            0);
  EXPECT_EQ(tx.exec1("select count(*) from public.usage_snapshots "
                     "where raw_response = '{\"kept\": true}'")[0]
                .as<int>(),
            10)
      << "newer snapshots keep their answer";
  EXPECT_EQ(
      tx.exec1("select count(*) from public.usage_snapshots where total_cost_usd = 2")[0].as<int>(),
      2500)
      << "pruned snapshots keep their figures";
  EXPECT_EQ(tx.exec1("select count(*) from public.cost_daily")[0].as<int>(), 3)
      << "daily rows are never pruned";
  tx.abort();
  // The read-only role may not prune.
  EXPECT_THROW(
      costs::open_target(as_role(db_.url(), "costs_reader"))->prune_raw_responses(cutoff, 1000),
      costs::store_error);
}

TEST_F(target_test, a_query_stuck_behind_a_lock_ends_at_the_statement_timeout) {
  auto locker = db_.connect();
  pqxx::work hold(locker);
  hold.exec0("lock table public.cost_daily in access exclusive mode");
  costs::target_options options;
  options.statement_timeout = std::chrono::milliseconds(300);
  auto t = costs::open_target(db_.url(), options);
  try {
    t->spend_by_day(day_, day_);
    FAIL() << "a read behind an exclusive lock returned";
  } catch (const costs::store_error& e) {
    EXPECT_EQ(e.code(), "store.unavailable");
    EXPECT_NE(e.message().find("took too long"), std::string::npos) << e.message();
  }
  hold.abort();
  EXPECT_EQ(t->spend_by_day(day_, day_).size(), 3u) << "the same target reads on afterwards";
}

TEST(target_open_test, a_database_that_is_not_there_is_unavailable_and_other_urls_are_refused) {
  try {
    costs::open_target("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2");
    FAIL() << "opened a database that is not there";
  } catch (const costs::store_error& e) {
    EXPECT_EQ(e.code(), "store.unavailable");
  }
  EXPECT_THROW(costs::open_target("https://example.supabase.co"), costs::config_error);
}

}  // namespace
