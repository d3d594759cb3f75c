// costs-sync writing through Supabase's REST API: the real binary against a PostgREST-protocol
// stand-in over the real database, where the key's role and row level security really apply.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>
#include <tuple>

#include "costs/calendar.hpp"
#include "costs/error.hpp"
#include "costs/target.hpp"
#include "support/claude_log.hpp"
#include "support/fake_http.hpp"

#include "support/postgrest.hpp"
#include "support/process.hpp"
#include "support/temp_home.hpp"
#include "support/test_db.hpp"

namespace {

using costs::test::postgrest_standin;
using costs::test::test_database;

const std::string service_key =
    "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.CANARY-SERVICE-SIG";
const std::string anon_key = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.CANARY-ANON-SIG";

std::string claude_line(int n, const std::string& time) {
  return costs::test::claude_line({std::to_string(n), time});
}

class rest_target_test : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.migrate();
    home_.write(
        ".claude/projects/-home-dev-acme-api/s.jsonl",
        claude_line(1, "2026-10-14T09:12:11.377Z") + claude_line(2, "2026-10-15T10:00:00.000Z"));
  }
  costs::test::process_result run(const std::string& key, const std::string& target = "") {
    return costs::test::run_process(
        {COSTS_SYNC_PATH, "run", "--target", target.empty() ? rest_.base() : target, "--provider",
         "claude_local", "--timezone", "UTC"},
        {{"HOME", home_.path().string()},
         {"COSTS_HOME", (home_.path() / "c").string()},
         {"COSTS_SUPABASE_KEY", key},
         {"COSTS_TARGET", ""},
         {"XDG_CONFIG_HOME", ""},
         {"COSTS_CONFIG", ""},
         {"COSTS_HTTP_BACKOFF_MS", "1"}});
  }
  std::string daily() {
    auto c = db_.connect();
    pqxx::read_transaction tx(c);
    std::string all;
    for (const auto& row :
         tx.exec("select t::text from (select date, provider, host, model, agent, project, calls,"
                 " input_tokens, cost_usd from public.usage_daily order by date) t"))
      all += std::string(row[0].c_str()) + "\n";
    for (const auto& row :
         tx.exec("select t::text from (select date, provider, cost_usd from public.cost_daily"
                 " order by date) t"))
      all += std::string(row[0].c_str()) + "\n";
    return all;
  }
  int count(const std::string& table) {
    auto c = db_.connect();
    pqxx::read_transaction tx(c);
    return tx.exec1("select count(*) from public." + table)[0].as<int>();
  }

  costs::test::temp_home home_;
  test_database db_;
  postgrest_standin rest_{db_.url(), service_key, anon_key};
};

TEST_F(rest_target_test, two_runs_through_rest_leave_the_daily_tables_as_one_run_does) {
  const auto first = run(service_key);
  ASSERT_EQ(first.exit_code, 0) << first.err << first.out;
  const std::string once = daily();
  EXPECT_NE(once.find("0.019750"), std::string::npos) << once;
  EXPECT_EQ(count("usage_daily"), 2);
  const auto second = run(service_key);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(daily(), once);
  EXPECT_EQ(count("usage_snapshots"), 2) << "one snapshot per provider per run";
  EXPECT_EQ(count("cost_sync_log"), 2);
  // The session, once, with its transcript and models, written through REST as through SQL.
  {
    auto c = db_.connect();
    pqxx::read_transaction tx(c);
    const auto s = tx.exec(
        "select session, transcript, models::text, calls, cost_usd::text "
        "from public.usage_sessions");
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(std::string(s[0][0].c_str()), "s");
    EXPECT_EQ(std::string(s[0][1].c_str()),
              (home_.path() / ".claude/projects/-home-dev-acme-api/s.jsonl").string());
    EXPECT_EQ(std::string(s[0][2].c_str()), "{claude-sonnet-4-6}");
    EXPECT_EQ(s[0][3].as<int>(), 2);
    // Priced whole and rounded once (2 x $0.0197496), where each day rounds on its own.
    EXPECT_EQ(std::string(s[0][4].c_str()), "0.039499");
  }
  EXPECT_EQ((first.out + first.err + second.out + second.err).find("CANARY"), std::string::npos);
}

// The sync prunes raw responses past the retention period through Supabase too (a function
// called over rpc/), and only those.
TEST_F(rest_target_test, a_run_through_rest_prunes_raw_responses_past_the_retention_period) {
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    tx.exec(R"sql(
      insert into public.usage_snapshots (provider, source, fetched_at, raw_response)
      select 'openrouter', 'api', now() - interval '100 days' - n * interval '1 minute',
             jsonb_build_object('n', n)
        from generate_series(1, 1500) n;
      insert into public.usage_snapshots (provider, source, fetched_at, raw_response)
        values ('openrouter', 'api', now() - interval '80 days', '{"recent": true}');)sql");
    tx.commit();
  }
  const auto r = run(service_key);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("nulled the raw responses of 1500 snapshot(s)"), std::string::npos) << r.out;
  auto c = db_.connect();
  pqxx::read_transaction tx(c);
  EXPECT_EQ(tx.exec1("select count(*) from public.usage_snapshots where raw_response is null")[0]
                .as<int>(),
            1500);
  EXPECT_EQ(tx.exec1("select count(*) from public.usage_snapshots "
                     "where raw_response = '{\"recent\": true}'")[0]
                .as<int>(),
            1)
      << "80 days old is inside the default 90";
  // The anon key may not call it.
  costs::target_options as_anon;
  as_anon.rest_key = anon_key;
  EXPECT_THROW(costs::open_target(rest_.base(), as_anon)->prune_raw_responses(costs::now(), 10),
               costs::store_error);
}

TEST_F(rest_target_test, the_anon_key_is_refused_by_row_level_security_and_nothing_is_lost) {
  const auto r = run(anon_key);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("42501"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("use the service key, not the anon key"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1 run(s) wait in"), std::string::npos) << r.err;
  EXPECT_EQ(count("usage_daily"), 0);
  // With the right key the waiting run goes first.
  const auto fixed = run(service_key);
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_NE(fixed.out.find("sent 1 earlier run(s)"), std::string::npos) << fixed.out;
  EXPECT_EQ(count("usage_snapshots"), 2);
}

TEST_F(rest_target_test, a_wrong_key_and_a_missing_table_say_what_to_do) {
  const auto wrong = run("sb_secret_CANARY-WRONG");
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("check COSTS_SUPABASE_KEY"), std::string::npos) << wrong.err;
  EXPECT_EQ(wrong.err.find("CANARY"), std::string::npos) << wrong.err;
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    tx.exec("drop table public.usage_daily");
    tx.commit();
  }
  const auto missing = run(service_key);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("PGRST205"), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find("run `supabase db push` or `costs-sync db migrate`"),
            std::string::npos)
      << missing.err;
}

TEST_F(rest_target_test, a_rest_target_that_is_down_keeps_the_run_for_later) {
  const auto r = run(service_key, "http://127.0.0.1:1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot reach the database through http://127.0.0.1:1"), std::string::npos)
      << r.err;
  const auto later = run(service_key);
  ASSERT_EQ(later.exit_code, 0) << later.err;
  EXPECT_NE(later.out.find("sent 1 earlier run(s)"), std::string::npos);
  EXPECT_EQ(count("usage_daily"), 2);
}

TEST_F(rest_target_test, a_new_style_secret_key_works_as_the_apikey_alone) {
  const std::string secret = "sb_secret_CANARY-NEW-STYLE-0b1c";
  postgrest_standin new_keys(db_.url(), secret, "sb_publishable_anon");
  const auto r = run(secret, new_keys.base());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(count("usage_daily"), 2);
  EXPECT_EQ((r.out + r.err).find("CANARY"), std::string::npos);
}

TEST_F(rest_target_test, the_official_supabase_client_agrees_with_the_stand_in) {
  const auto r = costs::test::run_process(
      {"/usr/bin/env", "node", COSTS_REST_CHECK, rest_.base(), service_key, anon_key});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err
                            << "\n(tests/rest needs `npm install`; scripts/test does it)";
  EXPECT_NE(
      r.out.find(
          "supabase-js: upsert, select, insert/update/delete with is(null), rpc, and the anon "
          "refusals"),
      std::string::npos)
      << r.out << r.err;
}

TEST_F(rest_target_test, budgets_alerts_and_summaries_work_through_rest_too) {
  costs::test::fake_http_server receiver;
  receiver.on("/hook", {{500, "down"}, {500, "down"}, {500, "down"}, {200, "ok"}});
  auto sync = [&](std::vector<std::string> args) {
    args.insert(args.begin(), COSTS_SYNC_PATH);
    return costs::test::run_process(args, {{"HOME", home_.path().string()},
                                           {"COSTS_HOME", (home_.path() / "c").string()},
                                           {"COSTS_SUPABASE_KEY", service_key},
                                           {"COSTS_TARGET", rest_.base()},
                                           {"XDG_CONFIG_HOME", ""},
                                           {"COSTS_CONFIG", ""},
                                           {"COSTS_TIMEZONE", "UTC"},
                                           {"COSTS_HTTP_BACKOFF_MS", "1"},
                                           {"COSTS_ALLOW_PRIVATE_CHANNELS", "1"}});
  };
  const auto added = sync({"budgets", "add", "--scope", "provider:openrouter", "--period", "day",
                           "--threshold", "10", "--webhook", receiver.base() + "/hook"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_NE(added.out.find("added budget 1"), std::string::npos) << added.out;
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    const std::string today = costs::utc_day(costs::now()).to_string();
    tx.exec_params(
        "insert into public.cost_daily (provider, date, source, cost_usd) values "
        "('openrouter', $1::date, 'api', 12.5), ('openrouter', $1::date - 1, 'api', 2.5)",
        today);
    tx.exec(
        "insert into public.usage_snapshots (provider, source, balance_usd) values "
        "('openrouter', 'api', 40)");
    tx.commit();
  }
  auto r = sync({"run", "--local-only"});
  EXPECT_EQ(r.exit_code, 1) << "the webhook is down: kept for the next run";
  EXPECT_NE(r.err.find("webhook channel answered 500"), std::string::npos) << r.err;
  r = sync({"run", "--local-only"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = sync({"run", "--local-only"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(receiver.requests().size(), 4u) << "three tries, one delivery, then nothing new";
  const auto hook = nlohmann::json::parse(receiver.requests()[3].body);
  EXPECT_EQ(hook["alert"]["level"], "exceeded");
  EXPECT_EQ(hook["alert"]["spent_usd"], "12.500000");
  EXPECT_EQ(count("alert_events"), 1);

  const auto status = nlohmann::json::parse(sync({"status", "--format", "json"}).out);
  EXPECT_EQ(status["today_usd"], "12.500000");
  EXPECT_EQ(status["change_usd"], "10.000000");
  const auto burn = nlohmann::json::parse(sync({"burn", "--format", "json"}).out);
  EXPECT_EQ(burn["providers"][0]["balance"], "40.000000");
  EXPECT_EQ(sync({"budgets", "rm", "1"}).exit_code, 0);
  EXPECT_EQ(count("budgets"), 0);
  for (const auto& out : {r.out, r.err}) EXPECT_EQ(out.find("CANARY"), std::string::npos);
}

// The command line's reads and the budget book through REST answer what the same target over
// Postgres does: one target, two ways to reach it.
TEST_F(rest_target_test, the_target_reads_and_keeps_budgets_through_rest_as_through_postgres) {
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    tx.exec(
        "insert into public.cost_daily (provider, host, date, source, cost_usd) values "
        "('openrouter', '', '2026-11-19', 'api', 1.25), ('openrouter', '', '2026-11-20', 'api', 2),"
        "('openai_api', '', '2026-11-20', 'admin_api', null),"
        "('claude_local', 'a', '2026-11-20', 'local_session', 0.5),"
        "('claude_local', 'b', '2026-11-20', 'local_session', 0.25)");
    tx.exec(
        "insert into public.usage_daily (provider, host, date, model, agent, calls, cost_usd) "
        "values ('claude_local', 'a', '2026-11-20', 'claude-sonnet-4-6', 'main', 2, 0.5),"
        "('claude_local', 'b', '2026-11-20', 'claude-sonnet-4-6', 'ops', 1, 0.25)");
    // Two hosts report a balance: the newer one is the provider's.
    tx.exec(
        "insert into public.usage_snapshots (provider, source, host, fetched_at, balance_usd) "
        "values ('openrouter', 'api', 'a', now() - interval '2 hours', 40),"
        "('openrouter', 'api', 'b', now() - interval '1 hour', 38.5)");
    tx.exec(
        "insert into public.cost_hourly (provider, host, hour, source, cost_usd) values "
        "('claude_local', 'a', date_trunc('hour', now()) - interval '1 hour', 'local_session', "
        "0.1),"
        "('claude_local', 'b', date_trunc('hour', now()) - interval '1 hour', 'local_session', "
        "0.2),"
        "('claude_local', 'a', date_trunc('hour', now()) - interval '30 days', 'local_session', "
        "9)");
    tx.commit();
  }
  costs::target_options rest_options;
  rest_options.rest_key = service_key;
  auto rest = costs::open_target(rest_.base(), rest_options);
  auto pg = costs::open_target(db_.url());
  rest->ping();
  const auto from = costs::civil_day::parse("2026-11-19");
  const auto to = costs::civil_day::parse("2026-11-20");

  const auto balances = rest->balances();
  ASSERT_EQ(balances.size(), 1u);
  EXPECT_EQ(balances[0].balance_micro_usd, 38'500'000) << "the newest host's balance";
  ASSERT_EQ(pg->balances().size(), 1u);
  EXPECT_EQ(pg->balances()[0].balance_micro_usd, 38'500'000);

  auto days_text = [](const std::vector<costs::provider_day_row>& rows) {
    std::string out;
    for (const auto& r : rows)
      out += r.provider + " " + r.date + " " +
             (r.cost_micro_usd ? std::to_string(*r.cost_micro_usd) : "null") + " " +
             (r.estimated ? "estimated" : "billed") + " " + std::to_string(r.unpriced_rows) + "\n";
    return out;
  };
  EXPECT_EQ(days_text(rest->spend_by_provider_day(from, to)),
            "claude_local 2026-11-20 750000 estimated 0\n"
            "openai_api 2026-11-20 null billed 1\n"
            "openrouter 2026-11-19 1250000 billed 0\n"
            "openrouter 2026-11-20 2000000 billed 0\n");
  EXPECT_EQ(days_text(rest->spend_by_provider_day(from, to)),
            days_text(pg->spend_by_provider_day(from, to)));

  // The summary's reads (status over REST): the same rows either way.
  auto spend_text = [](const std::vector<costs::spend_day_row>& rows) {
    std::multiset<std::string> out;
    for (const auto& r : rows)
      out.insert(r.date + (r.estimated ? " estimated " : " billed ") +
                 (r.cost_micro_usd ? std::to_string(*r.cost_micro_usd) : "null") + " " +
                 std::to_string(r.unpriced_rows));
    return out;
  };
  EXPECT_EQ(spend_text(rest->spend_by_day(from, to)), spend_text(pg->spend_by_day(from, to)));
  auto totals_text = [](const std::vector<costs::spend_total_row>& rows) {
    std::multiset<std::string> out;
    for (const auto& r : rows)
      out.insert(std::string(r.estimated ? "estimated " : "billed ") +
                 std::to_string(r.cost_micro_usd) + " " + std::to_string(r.unpriced_rows) + " " +
                 r.first_date);
    return out;
  };
  EXPECT_EQ(totals_text(rest->spend_all_time()), totals_text(pg->spend_all_time()));
  EXPECT_EQ(totals_text(rest->spend_all_time()).count("billed 3250000 1 2026-11-19"), 1u);

  const auto since = costs::now() - std::chrono::hours(8 * 24);
  const auto hours = rest->spend_by_hour(since);
  ASSERT_EQ(hours.size(), 1u) << "the 30-day-old hour is outside";
  EXPECT_EQ(hours[0].cost_micro_usd, 300'000);
  const auto pg_hours = pg->spend_by_hour(since);
  ASSERT_EQ(pg_hours.size(), 1u);
  EXPECT_EQ(costs::parse_timestamp(hours[0].hour), costs::parse_timestamp(pg_hours[0].hour));

  for (const auto& [kind, value, micro] :
       std::vector<std::tuple<std::string, std::string, std::int64_t>>{
           {"total", "", 4'000'000},
           {"provider", "openrouter", 3'250'000},
           {"agent", "ops", 250'000},
           {"model", "claude-sonnet-4-6", 750'000}}) {
    EXPECT_EQ(rest->scope_spend_micro_usd(kind, value, from, to), micro) << kind;
    EXPECT_EQ(pg->scope_spend_micro_usd(kind, value, from, to), micro) << kind;
  }

  // The timeline (budgets by agent, the Notion tracker's agents): the same rows either way, an
  // unpriced day as null, an itemised filter reading usage_daily.
  auto daily_text = [](const std::vector<costs::daily_row>& rows) {
    std::string out;
    for (const auto& r : rows)
      out += r.date + " " + r.key + " " +
             (r.cost_micro_usd ? std::to_string(*r.cost_micro_usd) : "null") + " " +
             std::to_string(r.tokens.input + r.tokens.output + r.tokens.cache_read +
                            r.tokens.cache_write) +
             "\n";
    return out;
  };
  EXPECT_EQ(daily_text(rest->daily("provider", from, to, {})),
            "2026-11-19 openrouter 1250000 0\n"
            "2026-11-20 claude_local 750000 0\n"
            "2026-11-20 openai_api null 0\n"
            "2026-11-20 openrouter 2000000 0\n");
  EXPECT_EQ(daily_text(rest->daily("agent", from, to, {})),
            "2026-11-20 main 500000 0\n"
            "2026-11-20 ops 250000 0\n");
  for (const auto& [group, filter] : std::vector<std::pair<std::string, costs::usage_filter>>{
           {"provider", {}},
           {"provider", {"openrouter", "", "", "", ""}},
           {"provider", {"", "", "main", "", ""}},
           {"model", {}},
           {"agent", {"claude_local", "claude-sonnet-4-6", "", "", ""}},
           {"agent", {"", "", "nobody", "", ""}}})
    EXPECT_EQ(daily_text(rest->daily(group, from, to, filter)),
              daily_text(pg->daily(group, from, to, filter)))
        << group << " " << filter.provider << filter.agent;
  EXPECT_EQ(rest->known_agents(), pg->known_agents());
  EXPECT_EQ(rest->known_agents(), (std::vector<std::string>{"main", "ops"}));

  // A plan set over REST covers Claude Code: both ways leave it out of the totals alike.
  costs::subscription max;
  max.provider = "claude_local";
  max.plan = "Claude Max";
  max.monthly_fee_micro_usd = 200'000'000;
  rest->set_subscription(max);
  rest->set_subscription(max);  // again: replaced, not added
  const auto plans = pg->subscriptions();
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0].plan, "Claude Max");
  EXPECT_EQ(plans[0].monthly_fee_micro_usd, 200'000'000);
  ASSERT_EQ(rest->subscriptions().size(), 1u);
  EXPECT_EQ(rest->subscriptions()[0].monthly_fee_micro_usd, 200'000'000);
  EXPECT_EQ(rest->scope_spend_micro_usd("total", "", from, to), 3'250'000);
  EXPECT_EQ(pg->scope_spend_micro_usd("total", "", from, to), 3'250'000);
  EXPECT_EQ(rest->scope_spend_micro_usd("provider", "claude_local", from, to), 750'000);
  EXPECT_EQ(spend_text(rest->spend_by_day(from, to)), spend_text(pg->spend_by_day(from, to)));
  EXPECT_EQ(totals_text(rest->spend_all_time()), totals_text(pg->spend_all_time()));
  EXPECT_EQ(totals_text(rest->spend_all_time()).count("estimated 0 0 "), 1u)
      << "no estimated spend left: all of it was Claude Code's";
  EXPECT_TRUE(rest->spend_by_hour(since).empty());
  EXPECT_TRUE(pg->spend_by_hour(since).empty());
  EXPECT_TRUE(rest->clear_subscription("claude_local"));
  EXPECT_FALSE(rest->clear_subscription("claude_local"));
  EXPECT_TRUE(pg->subscriptions().empty());

  // A budget added over REST is the database's, and its alert is recorded once.
  costs::budget_record b;
  b.name = "daily cap";
  b.scope_kind = "provider";
  b.scope_value = "openrouter";
  b.period = "day";
  b.threshold_micro_usd = 1'500'000;
  b.warn_permille = 750;
  b.channels_json = R"([{"channel":"ops"}])";
  const auto id = rest->add_budget(b);
  const auto stored = pg->budget_records();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].id, id);
  EXPECT_EQ(stored[0].threshold_micro_usd, 1'500'000);
  EXPECT_EQ(stored[0].warn_permille, 750);
  EXPECT_EQ(nlohmann::json::parse(stored[0].channels_json), nlohmann::json::parse(b.channels_json));
  EXPECT_EQ(nlohmann::json::parse(rest->budget_records()[0].channels_json),
            nlohmann::json::parse(stored[0].channels_json));
  costs::alert_record a;
  a.budget_id = id;
  a.period_start = to;
  a.level = "exceeded";
  a.spent_micro_usd = 2'000'000;
  a.threshold_micro_usd = 1'500'000;
  rest->record_alerts({a});
  pg->record_alerts({a});  // the same level in the same period: kept once
  auto pending = rest->undelivered_alerts();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].spent_micro_usd, 2'000'000);
  EXPECT_EQ(pg->undelivered_alerts()[0].id, pending[0].id);
  rest->record_delivery(pending[0].id, {"ops-1"}, false, "ntfy answered 500");
  EXPECT_EQ(pg->undelivered_alerts()[0].delivered_channels, std::vector<std::string>{"ops-1"});
  const auto history = pg->alert_history(10);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].budget_name, "daily cap");
  EXPECT_EQ(history[0].scope, "provider:openrouter");
  EXPECT_EQ(history[0].delivery_error, "ntfy answered 500");
  EXPECT_EQ(history[0].delivered_at, "") << "one channel of two took it";
  pg->record_delivery(pending[0].id, {"ops-1", "ops-2"}, true, "");
  EXPECT_TRUE(rest->undelivered_alerts().empty());
  EXPECT_NE(pg->alert_history(10)[0].delivered_at, "");
  // A rule changed over REST keeps its id and its alert.
  b.threshold_micro_usd = 2'500'000;
  b.period = "week";
  EXPECT_TRUE(rest->update_budget(id, b));
  EXPECT_EQ(pg->budget_records()[0].threshold_micro_usd, 2'500'000);
  EXPECT_EQ(pg->budget_records()[0].period, "week");
  EXPECT_EQ(pg->alert_history(10).size(), 1u);
  EXPECT_FALSE(rest->update_budget(id + 1000, b));
  EXPECT_TRUE(pg->update_budget(id, b));
  EXPECT_TRUE(rest->remove_budget(id));
  EXPECT_FALSE(pg->remove_budget(id)) << "already gone";

  // What needs SQL says where to get it.
  try {
    rest->breakdown("model", from, to, {});
    FAIL() << "a breakdown over REST";
  } catch (const costs::store_error& e) {
    EXPECT_NE(e.message().find("postgres://"), std::string::npos) << e.message();
  }
}

}  // namespace
