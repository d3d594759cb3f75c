// The /costs page in Debian's Chromium (driven by playwright-core from frontend/e2e), against the
// real costs-server serving the exported page and its API on one origin, over a real database
// filled by the real costs-sync from fixtures: Claude Code logs in a throwaway home, and
// OpenRouter and DeepSeek answered by a local server replaying their documented bodies. Then the
// page as Vercel serves it, on another origin than the API.
#include <csignal>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "costs/calendar.hpp"
#include "support/claude_log.hpp"
#include "support/fake_http.hpp"
#include "support/process.hpp"
#include "support/temp_home.hpp"
#include "support/test_db.hpp"

namespace {

using costs::test::as_role;
using costs::test::child_process;
using costs::test::run_process;
using costs::test::test_database;

std::string day_text(long long days_ago) {
  return costs::civil_day::from_days_since_epoch(costs::utc_day(costs::now()).days_since_epoch() -
                                                 days_ago)
      .to_string();
}

// A Claude Code assistant line (local-formats reference 2.4) at `time` with `model`.
std::string claude_line(const std::string& id, const std::string& time, const std::string& model,
                        int output) {
  return costs::test::claude_line(
      {id, time, "5b9c2f1e-7d4a-4c8e-9a61-2f0e8d3b7c45", model, 1200, output, 0, 25000});
}

class running_server {
 public:
  running_server(const std::string& url, std::vector<std::string> extra)
      : process_(args(url, extra)), base_(process_.announced_base()) {}
  static std::vector<std::string> args(const std::string& url, std::vector<std::string> extra) {
    std::vector<std::string> a = {COSTS_SERVER_PATH,
                                  "--listen",
                                  "127.0.0.1:0",
                                  "--database-url",
                                  url,
                                  "--static-dir",
                                  std::string(COSTS_FRONTEND_DIR) + "/out",
                                  "--cache-ms",
                                  "0"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
  const std::string& base() const { return base_; }
  child_process& process() { return process_; }

 private:
  child_process process_;
  std::string base_;
};

TEST(page_test, the_costs_page_shows_what_the_api_says_in_chromium) {
  ASSERT_TRUE(std::filesystem::exists(std::string(COSTS_FRONTEND_DIR) + "/out/costs/index.html"))
      << "build the page first: (cd frontend && npm install && npm run build); scripts/test does";
  test_database db;
  db.migrate();
  test_database empty;
  empty.migrate();

  costs::test::temp_home home;
  const std::string project = ".claude/projects/-home-dev-acme-api/";
  home.write(project + "s1.jsonl",
             // 40 days ago: in the all-time snapshot, not in a card's 30 days.
             claude_line("a0", day_text(40) + "T08:00:00.000Z", "claude-sonnet-4-6", 700) +
                 claude_line("a1", day_text(0) + "T08:00:00.000Z", "claude-sonnet-4-6", 900) +
                 claude_line("a2", day_text(1) + "T08:00:00.000Z", "claude-opus-4-6", 2000) +
                 claude_line("a3", day_text(0) + "T09:00:00.000Z", "my-local-model", 50));
  costs::test::fake_http_server providers;
  providers.on(
      "/openrouter/key",
      {{200,
        R"({"data":{"label":"sk-or-v1-7c2...e41","limit":50,"limit_remaining":31.4177,"usage":412.0913,"usage_daily":1.2731,"usage_weekly":9.8804,"usage_monthly":18.5823,"is_free_tier":false,"is_management_key":false}})"}});
  providers.on("/openrouter/credits",
               {{200, R"({"data":{"total_credits":250.0,"total_usage":187.42315}})"}});
  providers.on(
      "/openrouter/activity",
      {{200,
        R"({"data":[{"date":")" + day_text(1) +
            R"(","model":"anthropic/claude-sonnet-4.5","usage":3.41208,"requests":212,"prompt_tokens":884120,"completion_tokens":51377,"reasoning_tokens":0},{"date":")" +
            day_text(2) +
            R"(","model":"openai/gpt-4.1-mini","usage":0.18844,"requests":96,"prompt_tokens":301442,"completion_tokens":42019,"reasoning_tokens":0}]})"}});
  providers.on(
      "/deepseek/user/balance",
      {{200,
        R"({"is_available":true,"balance_infos":[{"currency":"USD","total_balance":"37.82","granted_balance":"0.00","topped_up_balance":"37.82"}]})"}});
  const auto sync =
      run_process({COSTS_SYNC_PATH, "run", "--target", db.url(), "--provider", "openrouter",
                   "--provider", "deepseek", "--provider", "claude_local"},
                  {{"HOME", home.path().string()},
                   {"COSTS_HOME", (home.path() / "costs").string()},
                   {"COSTS_TARGET", ""},
                   {"XDG_CONFIG_HOME", ""},
                   {"COSTS_CONFIG", ""},
                   {"COSTS_TIMEZONE", "UTC"},
                   {"OPENROUTER_API_KEY", "sk-or-v1-CANARY-PAGE"},
                   {"OPENROUTER_MANAGEMENT_KEY", "sk-or-v1-CANARY-PAGE-MGMT"},
                   {"DEEPSEEK_API_KEY", "sk-CANARY-PAGE-DS"},
                   {"COSTS_OPENROUTER_BASE_URL", providers.base() + "/openrouter"},
                   {"COSTS_DEEPSEEK_BASE_URL", providers.base() + "/deepseek"},
                   {"COSTS_HTTP_BACKOFF_MS", "1"}});
  ASSERT_EQ(sync.exit_code, 0) << sync.out << sync.err;
  {
    // The hours (kept for the last 8 days) add up to the days they fall in (the sync's zone is
    // UTC here).
    auto c = db.connect();
    pqxx::read_transaction tx(c);
    const auto sums = tx.exec1(
        "select (select sum(cost_usd) from public.cost_hourly where provider = 'claude_local'), "
        "(select sum(cost_usd) from public.cost_daily where provider = 'claude_local' "
        " and date > current_date - 8), "
        "(select count(*) from public.cost_hourly where provider = 'claude_local')");
    EXPECT_FALSE(sums[0].is_null());
    EXPECT_EQ(std::string(sums[0].c_str()), std::string(sums[1].c_str()));
    EXPECT_EQ(sums[2].as<int>(), 3) << "three calls in three different hours";
  }
  {
    // What a sync cannot make on cue: snapshots that are old, a failed run, and budgets.
    auto c = db.connect();
    pqxx::work tx(c);
    tx.exec(R"sql(
      insert into public.usage_snapshots (provider, source, host, fetched_at, units) values
        ('brave', 'api', '', now() - interval '30 hours', '{"queries_month": 1520}'),
        ('codex_local', 'local_session', 'mac', now() - interval '5 hours', '{}');
      insert into public.cost_sync_log (started_at, finished_at, provider, host, status, rows_written, error) values
        (now() - interval '30 hours', now() - interval '30 hours', 'brave', '', 'auth_failed', 0,
         'Brave rejected the credential (401): check BRAVE_API_KEY');
      insert into public.cost_daily (provider, date, source, cost_usd)
        values ('anthropic_api', current_date, 'admin_api', 0.050000),
               ('azure', current_date, 'api', 5.500000);
      insert into public.usage_daily (date, provider, host, model, project, calls, cost_usd) values
        (current_date, 'azure', '', 'Azure OpenAI', 'rg-api', 0, 4.000000),
        (current_date, 'azure', '', 'Storage', 'rg-web', 0, 1.500000);
      insert into public.subscriptions (provider, plan, monthly_fee_usd)
        values ('claude_local', 'Claude Max', 200);
      insert into public.budgets (name, scope_kind, scope_value, period, threshold_usd) values
        ('monthly', 'total', '', 'month', 100.00),
        ('openrouter daily', 'provider', 'openrouter', 'day', 5.00);
      insert into public.alert_events (budget_id, period_start, level, spent_usd, threshold_usd,
                                       delivery_error)
        select id, date_trunc('month', current_date)::date, 'warn', 81.00, 100.00,
               'ntfy answered 500'
          from public.budgets where name = 'monthly';)sql");
    tx.commit();
  }

  // The empty database has had one run that found nothing: it says what it looked for.
  const auto nothing = run_process({COSTS_SYNC_PATH, "run", "--target", empty.url(), "--provider",
                                    "openrouter", "--provider", "claude_local"},
                                   {{"HOME", (home.path() / "empty-home").string()},
                                    {"COSTS_HOME", (home.path() / "empty-costs").string()},
                                    {"COSTS_TARGET", ""},
                                    {"XDG_CONFIG_HOME", ""},
                                    {"COSTS_CONFIG", ""},
                                    {"CLAUDE_CONFIG_DIR", ""},
                                    {"OPENROUTER_API_KEY", ""},
                                    {"OPENROUTER_MANAGEMENT_KEY", ""}});
  ASSERT_EQ(nothing.exit_code, 0) << nothing.out << nothing.err;

  running_server server(as_role(db.url(), "costs_reader"),
                        {"--admin-token", "CANARY-PAGE-ADMIN", "--admin-database-url", db.url()});
  running_server no_data(as_role(empty.url(), "costs_reader"), {});
  running_server guarded(as_role(db.url(), "costs_reader"), {"--token", "CANARY-PAGE-TOKEN"});
  const auto shots = std::filesystem::path(COSTS_BINARY_DIR) / "screenshots";
  std::filesystem::create_directories(shots);
  const auto e2e =
      run_process({"/usr/bin/env", "node", std::string(COSTS_FRONTEND_DIR) + "/e2e/costs_page.mjs"},
                  {{"COSTS_PAGE_URL", server.base()},
                   {"COSTS_EMPTY_URL", no_data.base()},
                   {"COSTS_TOKEN_URL", guarded.base()},
                   {"COSTS_TOKEN", "CANARY-PAGE-TOKEN"},
                   {"COSTS_ADMIN_TOKEN", "CANARY-PAGE-ADMIN"},
                   {"COSTS_SERVER_PID", std::to_string(server.process().pid())},
                   {"COSTS_SCREENSHOT_DIR", shots.string()},
                   {"COSTS_VERCEL_JSON", std::string(COSTS_SOURCE_DIR) + "/vercel.json"}});
  std::cout << e2e.out;
  EXPECT_EQ(e2e.exit_code, 0) << e2e.out << e2e.err;
  EXPECT_NE(e2e.out.find(" passed, 0 failed"), std::string::npos) << e2e.out;
  // The script stopped the first server to see the error state; it exits 0 from SIGTERM. A script
  // that failed early may not have got there: stop it here rather than wait for ever.
  EXPECT_EQ(e2e.exit_code == 0 ? server.process().wait() : server.process().stop(SIGTERM), 0);
  EXPECT_TRUE(std::filesystem::exists(shots / "costs-desktop.png"));
  EXPECT_TRUE(std::filesystem::exists(shots / "costs-phone.png"));
}

// The page as deployed on Vercel with costs-server elsewhere: built with
// NEXT_PUBLIC_COSTS_API_URL=http://api.costs.test (scripts/test), served with vercel.json's
// headers from one origin, the API from another that allows only the page's and wants a token
// (COSTS_CORS_ORIGINS and COSTS_API_TOKEN, as a container or unit sets them).
TEST(page_test, the_page_on_another_origin_reads_the_api_that_allows_it_and_no_other) {
  const std::string built = std::string(COSTS_FRONTEND_DIR) + "/out-cross";
  ASSERT_TRUE(std::filesystem::exists(built + "/costs/index.html"))
      << "build the page for another origin first: (cd frontend && COSTS_PAGE_OUT=out-cross "
         "NEXT_PUBLIC_COSTS_API_URL=http://api.costs.test npm run build); scripts/test does";
  test_database db;
  db.migrate();
  {
    auto c = db.connect();
    pqxx::work tx(c);
    tx.exec_params(
        "insert into public.cost_daily (provider, date, source, cost_usd) values "
        "('openrouter', $1::date, 'api', 12.5), ('deepseek', $1::date, 'api', 0.75)",
        day_text(0));
    tx.exec(
        "insert into public.usage_snapshots (provider, source, balance_usd) values "
        "('openrouter', 'api', 40), ('deepseek', 'api', 8.1)");
    tx.commit();
  }
  child_process api({COSTS_SERVER_PATH, "--listen", "127.0.0.1:0", "--database-url",
                     as_role(db.url(), "costs_reader"), "--cache-ms", "0"},
                    {{"COSTS_CORS_ORIGINS", "https://costs.example.org,http://page.costs.test"},
                     {"COSTS_API_TOKEN", "CANARY-CROSS-TOKEN"}});
  const std::string base = api.announced_base();
  const auto e2e = run_process(
      {"/usr/bin/env", "node", std::string(COSTS_FRONTEND_DIR) + "/e2e/cross_origin.mjs"},
      {{"COSTS_API_URL", base},
       {"COSTS_PAGE_DIR", built},
       {"COSTS_TOKEN", "CANARY-CROSS-TOKEN"},
       {"COSTS_VERCEL_JSON", std::string(COSTS_SOURCE_DIR) + "/vercel.json"}});
  std::cout << e2e.out;
  EXPECT_EQ(e2e.exit_code, 0) << e2e.out << e2e.err;
  EXPECT_NE(e2e.out.find(" passed, 0 failed"), std::string::npos) << e2e.out;
  EXPECT_EQ(api.stop(SIGTERM), 0);
}

}  // namespace
