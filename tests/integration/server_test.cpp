// costs-server as deployed: the real binary on a real port, over real HTTP, on a real database.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "costs/batch.hpp"
#include "costs/forecast.hpp"
#include "costs/migrations.hpp"
#include "costs/spool.hpp"
#include "costs/target.hpp"
#include "support/http.hpp"
#include "support/json_schema.hpp"
#include "support/process.hpp"
#include "support/temp_home.hpp"
#include "support/test_db.hpp"

namespace {

using costs::test::as_role;
using costs::test::child_process;
using costs::test::http_get;
using costs::test::test_database;

// Starts the server on a free port; the first stdout line names it.
class running_server {
 public:
  explicit running_server(const std::string& database_url, std::vector<std::string> extra = {},
                          const std::map<std::string, std::string>& env = {})
      : process_(args(database_url, std::move(extra)), env), base_(process_.announced_base()) {}
  const std::string& base() const { return base_; }
  int stop() { return process_.stop(SIGTERM); }
  child_process& process() { return process_; }
  static std::vector<std::string> args(const std::string& url, std::vector<std::string> extra) {
    std::vector<std::string> a = {COSTS_SERVER_PATH, "--listen", "127.0.0.1:0", "--database-url",
                                  url};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
  const std::string& err() const { return process_.err(); }

 private:
  child_process process_;
  std::string base_;
};

class server_test : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.migrate();
    costs::snapshot old_one;
    old_one.provider = "openrouter";
    old_one.source = "api";
    old_one.fetched_at = costs::parse_timestamp("2026-11-01T00:00:00Z");
    old_one.total_cost = costs::parse_usd("1.000000");
    costs::snapshot newest = old_one;
    newest.fetched_at = costs::now();
    newest.total_cost = costs::parse_usd("12.345678");
    newest.balance = costs::parse_usd("87.654322");
    costs::snapshot local;
    local.provider = "claude_local";
    local.source = "local_session";
    local.host = "mac";
    local.fetched_at = costs::now();
    local.tokens.input = 3;
    local.tokens.output = 412;
    costs::sync_batch batch;
    batch.snapshots = {old_one, newest, local};
    costs::open_target(db_.url())->write(batch);
  }
  test_database db_;
};

TEST_F(server_test, healthz_answers_from_the_database) {
  running_server server(as_role(db_.url(), "costs_reader"));
  const auto r = http_get(server.base() + "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(nlohmann::json::parse(r.body)["database"], "ok");
  EXPECT_EQ(server.stop(), 0) << server.err();
}

TEST_F(server_test, latest_costs_serve_the_newest_snapshot_per_provider_as_the_reader) {
  running_server server(as_role(db_.url(), "costs_reader"));
  const auto r = http_get(server.base() + "/api/costs/latest");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.at("content-type"), "application/json");
  const auto body = nlohmann::json::parse(r.body);
  const auto& providers = body["providers"];
  ASSERT_EQ(providers.size(), 2u);
  EXPECT_EQ(providers[0]["provider"], "claude_local");
  EXPECT_EQ(providers[0]["label"], "Claude Code");
  EXPECT_EQ(providers[0]["host"], "mac");
  EXPECT_TRUE(providers[0]["total_cost_micro_usd"].is_null()) << "no cost must stay null, not 0";
  EXPECT_EQ(providers[0]["tokens"]["total"], 415);
  EXPECT_EQ(providers[1]["provider"], "openrouter");
  EXPECT_EQ(providers[1]["total_cost_micro_usd"], 12'345'678);
  EXPECT_EQ(providers[1]["balance_micro_usd"], 87'654'322);
  EXPECT_EQ(providers[1]["source"], "api");
  EXPECT_GE(providers[1]["age_seconds"].get<long long>(), 0);
  EXPECT_LT(providers[1]["age_seconds"].get<long long>(), 600);
  EXPECT_EQ(providers[1]["freshness"], "fresh");
  EXPECT_EQ(providers[1]["expected_interval_seconds"], 6 * 3600);
  EXPECT_EQ(providers[0]["expected_interval_seconds"], 2 * 3600);
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(server_test, unknown_routes_get_the_json_error_envelope) {
  running_server server(db_.url());
  const auto r = http_get(server.base() + "/api/nope");
  EXPECT_EQ(r.status, 404);
  const auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["error"]["code"], "not_found");
  EXPECT_TRUE(body["error"]["message"].is_string());
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(server_test, a_database_that_is_down_is_a_503_with_retry_after_and_no_secrets) {
  running_server server(
      "postgresql://costs_reader:CANARY-SERVER-PASS@127.0.0.1:1/none?connect_timeout=5");
  for (const char* path : {"/healthz", "/api/costs/latest"}) {
    const auto r = http_get(server.base() + path);
    EXPECT_EQ(r.status, 503) << path;
    EXPECT_EQ(r.headers.count("retry-after"), 1u) << path;
    EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["code"], "database_unavailable");
    EXPECT_EQ(r.body.find("CANARY"), std::string::npos);
  }
  EXPECT_EQ(server.stop(), 0);
  EXPECT_EQ(server.err().find("CANARY-SERVER-PASS"), std::string::npos) << server.err();
}

TEST_F(server_test, recovers_without_a_restart_when_the_database_drops_its_connections) {
  running_server server(as_role(db_.url(), "costs_reader"));
  for (int i = 0; i < 4; ++i) ASSERT_EQ(http_get(server.base() + "/healthz").status, 200);
  {
    auto admin = db_.connect();
    pqxx::nontransaction tx(admin);
    const auto killed = tx.exec_params(
        "select pg_terminate_backend(pid) from pg_stat_activity "
        "where datname = $1 and pid <> pg_backend_pid() and usename = 'postgres'",
        db_.name());
    ASSERT_GE(killed.size(), 1u);
  }
  // Each worker thread may answer 503 once for its dropped connection, then reconnects: with
  // two workers the third request is answered from the database again.
  std::vector<long> statuses;
  for (int i = 0; i < 3; ++i) {
    const auto r = http_get(server.base() + "/api/costs/latest");
    statuses.push_back(r.status);
    if (r.status != 200) {
      EXPECT_EQ(r.status, 503) << r.body;
      EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["code"], "database_unavailable");
    }
  }
  EXPECT_EQ(statuses.back(), 200);
  EXPECT_EQ(server.stop(), 0) << server.err();
}

// Daily rows for yesterday and today, as the sync writes them, and two sync-log rows.
void seed_history(test_database& db) {
  auto c = db.connect();
  pqxx::work tx(c);
  tx.exec(R"sql(
    insert into public.cost_daily (provider, host, date, source, cost_usd, input_tokens) values
      ('openrouter', '', current_date - 1, 'api', 1.250000, 100),
      ('openrouter', '', current_date, 'api', 2.000000, 200),
      ('claude_local', 'mac', current_date, 'local_session', 0.019750, 3);
    insert into public.usage_daily (date, provider, host, model, agent, project, calls, input_tokens, cost_usd) values
      (current_date, 'claude_local', 'mac', 'claude-sonnet-4-6', 'claude', 'acme-api', 1, 3, 0.019750),
      (current_date, 'claude_local', 'mac', 'my-local-model', 'claude', 'acme-api', 2, 7, null),
      (current_date - 40, 'claude_local', 'mac', 'claude-sonnet-4-6', 'claude', 'old', 1, 1, 1.000000);
    insert into public.cost_sync_log (started_at, finished_at, provider, host, status, rows_written, error, run_id) values
      (now() - interval '2 hours', now() - interval '2 hours', 'openrouter', '', 'auth_failed', 0, 'OpenRouter rejected the credential (401)', null),
      (now() - interval '1 hour', now() - interval '1 hour', 'openrouter', '', 'ok', 4, null, 'run-seeded-1');)sql");
  tx.commit();
}

TEST_F(server_test, daily_and_breakdown_answer_from_the_tables_and_keep_unpriced_null) {
  seed_history(db_);
  running_server server(as_role(db_.url(), "costs_reader"));
  const auto daily =
      nlohmann::json::parse(http_get(server.base() + "/api/costs/daily?days=2").body);
  ASSERT_EQ(daily["rows"].size(), 3u) << daily.dump();
  EXPECT_EQ(daily["rows"][0]["key"], "openrouter");
  EXPECT_EQ(daily["rows"][0]["cost_micro_usd"], 1'250'000);
  const auto one = nlohmann::json::parse(
      http_get(server.base() + "/api/costs/daily?days=1&provider=openrouter").body);
  ASSERT_EQ(one["rows"].size(), 1u);
  EXPECT_EQ(one["rows"][0]["cost_micro_usd"], 2'000'000);
  const auto models =
      nlohmann::json::parse(http_get(server.base() + "/api/costs/daily?days=7&group=model").body);
  ASSERT_EQ(models["rows"].size(), 2u);
  EXPECT_EQ(models["rows"][0]["key"], "claude-sonnet-4-6");
  EXPECT_TRUE(models["rows"][1]["cost_micro_usd"].is_null()) << "unpriced stays null";
  // A breakdown covers every dollar the chart does: OpenRouter's billed days (no itemised rows)
  // come under '' (not itemised), beside the agents' own rows.
  const auto agents =
      nlohmann::json::parse(http_get(server.base() + "/api/costs/breakdown?by=agent").body);
  ASSERT_EQ(agents["rows"].size(), 2u) << agents.dump();
  EXPECT_EQ(agents["rows"][0]["key"], "");
  EXPECT_EQ(agents["rows"][0]["cost_micro_usd"], 3'250'000) << "1.25 + 2.00 billed";
  EXPECT_EQ(agents["rows"][1]["key"], "claude");
  EXPECT_TRUE(agents["rows"][1]["cost_micro_usd"].is_null())
      << "a group with an unpriced model has no whole cost";
  EXPECT_EQ(agents["rows"][1]["priced_cost_micro_usd"], 19'750);
  EXPECT_EQ(agents["rows"][1]["calls"], 3);
  // By provider, the breakdown adds up to the chart's days (3.25 billed + 0.01975 estimated).
  const auto by_provider =
      nlohmann::json::parse(http_get(server.base() + "/api/costs/breakdown?by=provider").body);
  ASSERT_EQ(by_provider["rows"].size(), 2u) << by_provider.dump();
  EXPECT_EQ(by_provider["rows"][0]["key"], "openrouter");
  EXPECT_EQ(by_provider["rows"][0]["cost_micro_usd"], 3'250'000);
  EXPECT_EQ(by_provider["rows"][1]["key"], "claude_local");
  EXPECT_EQ(by_provider["rows"][1]["priced_cost_micro_usd"], 19'750);
  // provider= narrows every breakdown to one provider.
  const auto openrouter_models = nlohmann::json::parse(
      http_get(server.base() + "/api/costs/breakdown?by=model&provider=openrouter").body);
  EXPECT_EQ(openrouter_models["provider"], "openrouter");
  ASSERT_EQ(openrouter_models["rows"].size(), 1u) << openrouter_models.dump();
  EXPECT_EQ(openrouter_models["rows"][0]["key"], "");
  EXPECT_EQ(openrouter_models["rows"][0]["cost_micro_usd"], 3'250'000);
  const auto claude_models = nlohmann::json::parse(
      http_get(server.base() + "/api/costs/breakdown?by=model&provider=claude_local").body);
  ASSERT_EQ(claude_models["rows"].size(), 2u) << claude_models.dump();
  EXPECT_EQ(claude_models["rows"][0]["key"], "claude-sonnet-4-6");
  EXPECT_EQ(claude_models["rows"][1]["key"], "my-local-model");
  const auto projects = nlohmann::json::parse(
      http_get(server.base() + "/api/costs/breakdown?by=project&from=2000-01-01").body);
  EXPECT_EQ(projects["rows"].size(), 3u) << "acme-api, old, and the billed days not itemised";
  EXPECT_EQ(server.stop(), 0);
}

// Filters narrow the timeline and the breakdowns to one provider, model, agent, project or
// task; a billed day with no itemised rows has no model or agent, so an itemised filter leaves
// it out, and by=date gives a provider's days.
TEST_F(server_test, filters_narrow_the_timeline_and_the_breakdowns_and_by_date_gives_the_days) {
  seed_history(db_);
  running_server server(as_role(db_.url(), "costs_reader"), {"--cache-ms", "0"});
  auto get = [&](const std::string& path) {
    const auto r = http_get(server.base() + path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return nlohmann::json::parse(r.body);
  };
  const auto sonnet =
      get("/api/costs/breakdown?by=project&from=2000-01-01&model=claude-sonnet-4-6");
  ASSERT_EQ(sonnet["rows"].size(), 2u) << sonnet.dump();
  EXPECT_EQ(sonnet["filters"]["model"], "claude-sonnet-4-6");
  EXPECT_EQ(sonnet["rows"][0]["key"], "old") << "1.00 before 0.01975";
  EXPECT_EQ(sonnet["rows"][1]["key"], "acme-api");
  EXPECT_EQ(sonnet["rows"][1]["cost_micro_usd"], 19'750) << "the unpriced model is filtered out";
  const auto two =
      get("/api/costs/breakdown?by=model&provider=claude_local&agent=claude&project=acme-api");
  ASSERT_EQ(two["rows"].size(), 2u) << two.dump();
  EXPECT_EQ(get("/api/costs/breakdown?by=model&agent=nobody")["rows"].size(), 0u)
      << "no billed day slips in under an agent filter";
  // The chart under an itemised filter: usage_daily per provider, not cost_daily.
  const auto chart = get("/api/costs/daily?days=7&model=my-local-model");
  ASSERT_EQ(chart["rows"].size(), 1u) << chart.dump();
  EXPECT_EQ(chart["rows"][0]["key"], "claude_local");
  EXPECT_TRUE(chart["rows"][0]["cost_micro_usd"].is_null()) << "unpriced stays null";
  EXPECT_EQ(chart["filters"]["model"], "my-local-model");
  EXPECT_EQ(get("/api/costs/daily?days=7&group=model&agent=claude")["rows"].size(), 2u);
  // By day: billed days and itemised days alike, one row each.
  const auto days = get("/api/costs/breakdown?by=date&days=2");
  ASSERT_EQ(days["rows"].size(), 2u) << days.dump();
  std::int64_t sum = 0;
  for (const auto& r : days["rows"]) sum += r["priced_cost_micro_usd"].get<std::int64_t>();
  EXPECT_EQ(sum, 1'250'000 + 2'000'000 + 19'750);
  const auto openrouter_days = get("/api/costs/breakdown?by=date&days=2&provider=openrouter");
  ASSERT_EQ(openrouter_days["rows"].size(), 2u);
  EXPECT_EQ(openrouter_days["rows"][0]["cost_micro_usd"], 2'000'000);
  // A name with characters a URL escapes is matched as sent.
  EXPECT_EQ(get("/api/costs/breakdown?by=agent&project=acme%2Dapi")["rows"].size(), 1u);
  EXPECT_EQ(http_get(server.base() + "/api/costs/breakdown?model=" + std::string(501, 'm')).status,
            400);
  EXPECT_EQ(server.stop(), 0);
}

// Sessions: an agent's, newest first, each with its transcript and id; filtered like the
// breakdowns (not by task: sessions are not kept per task), and limited with `more` said.
TEST_F(server_test, sessions_list_the_agents_sessions_newest_first_with_their_transcripts) {
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    tx.exec(R"sql(
      insert into public.usage_sessions (provider, host, session, agent, project, transcript,
          models, first_at, last_at, input_tokens, calls, cost_usd, priced_cost_usd) values
        ('claude_local', 'mac', 's-old', 'claude', 'acme-api', '/home/dev/.claude/projects/p/s-old.jsonl',
         '{claude-sonnet-4-6}', now() - interval '3 days', now() - interval '3 days' + interval '1 hour',
         10, 2, 0.500000, 0.500000),
        ('claude_local', 'mac', 's-new', 'claude', 'acme-api', '/home/dev/.claude/projects/p/s-new.jsonl',
         '{claude-opus-4-6,my-local-model}', now() - interval '2 hours', now() - interval '1 hour',
         20, 3, null, 0.250000),
        ('codex_local', 'mac', 'c-1', 'codex', 'w', '', '{gpt-5.5}', now() - interval '40 days',
         now() - interval '40 days', 5, 1, 0.100000, 0.100000);)sql");
    tx.commit();
  }
  running_server server(as_role(db_.url(), "costs_reader"), {"--cache-ms", "0"});
  auto get = [&](const std::string& path) {
    const auto r = http_get(server.base() + path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return nlohmann::json::parse(r.body);
  };
  const auto recent = get("/api/costs/sessions?tz=Asia%2FTokyo");
  ASSERT_EQ(recent["rows"].size(), 2u) << recent.dump();
  const auto& newest = recent["rows"][0];
  EXPECT_EQ(newest["session"], "s-new");
  EXPECT_EQ(newest["transcript"], "/home/dev/.claude/projects/p/s-new.jsonl");
  EXPECT_EQ(newest["models"], nlohmann::json({"claude-opus-4-6", "my-local-model"}));
  EXPECT_TRUE(newest["cost_micro_usd"].is_null()) << "an unpriced call leaves no whole cost";
  EXPECT_EQ(newest["priced_cost_micro_usd"], 250'000);
  EXPECT_EQ(newest["calls"], 3);
  EXPECT_EQ(recent["rows"][1]["session"], "s-old");
  EXPECT_EQ(recent["rows"][1]["cost_micro_usd"], 500'000);
  EXPECT_EQ(recent["time_zone"], "Asia/Tokyo");
  EXPECT_FALSE(recent["more"].get<bool>());
  EXPECT_EQ(get("/api/costs/sessions?agent=codex")["rows"].size(), 0u) << "40 days ago";
  EXPECT_EQ(get("/api/costs/sessions?agent=codex&from=2000-01-01")["rows"].size(), 1u);
  const auto by_model = get("/api/costs/sessions?model=my-local-model&provider=claude_local");
  ASSERT_EQ(by_model["rows"].size(), 1u);
  EXPECT_EQ(by_model["rows"][0]["session"], "s-new");
  const auto one = get("/api/costs/sessions?limit=1");
  EXPECT_EQ(one["rows"].size(), 1u);
  EXPECT_TRUE(one["more"].get<bool>());
  EXPECT_EQ(http_get(server.base() + "/api/costs/sessions?task=x").status, 400);
  EXPECT_EQ(server.stop(), 0);
}

// format=csv: a table for a spreadsheet, the same rows as the JSON, money in exact dollars.
TEST_F(server_test, format_csv_gives_each_table_with_dollars_and_unpriced_left_empty) {
  seed_history(db_);
  running_server server(as_role(db_.url(), "costs_reader"), {"--cache-ms", "0"});
  const auto agents = http_get(server.base() + "/api/costs/breakdown?by=agent&format=csv");
  ASSERT_EQ(agents.status, 200) << agents.body;
  EXPECT_EQ(agents.headers.at("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(agents.headers.at("content-disposition"),
            R"(attachment; filename="costs-breakdown.csv")");
  EXPECT_EQ(agents.body,
            "key,calls,cost_usd,priced_cost_usd,tokens_cache_read,tokens_cache_write,"
            "tokens_input,tokens_output\r\n"
            ",0,3.250000,3.250000,0,0,300,0\r\n"
            "claude,3,,0.019750,0,0,10,0\r\n")
      << "the unpriced group's cost is empty, never 0";
  const auto json = nlohmann::json::parse(http_get(server.base() + "/api/costs/daily?days=2").body);
  const auto daily = http_get(server.base() + "/api/costs/daily?days=2&format=csv");
  ASSERT_EQ(daily.status, 200);
  EXPECT_EQ(std::count(daily.body.begin(), daily.body.end(), '\n'),
            static_cast<long>(json["rows"].size()) + 1)
      << daily.body;
  EXPECT_EQ(daily.body.rfind("date,key,cost_usd,", 0), 0u) << daily.body;
  EXPECT_EQ(http_get(server.base() + "/api/costs/summary?format=csv").status, 400)
      << "the summary has no one table";
  EXPECT_EQ(http_get(server.base() + "/api/costs/daily?format=xml").status, 400);
  EXPECT_EQ(server.stop(), 0);
}

// The Azure financial spec's and the OpenClaw dashboard's names answer from the same reads.
TEST_F(server_test, each_specs_routes_answer_from_the_same_reads) {
  seed_history(db_);
  running_server server(as_role(db_.url(), "costs_reader"));
  auto get = [&](const std::string& path) {
    const auto r = http_get(server.base() + path);
    EXPECT_EQ(r.status, 200) << path << ' ' << r.body;
    return nlohmann::json::parse(r.body);
  };
  for (const auto& [route, by] :
       std::vector<std::pair<std::string, std::string>>{{"/api/costs/by-agent", "agent"},
                                                        {"/api/costs/by-model", "model"},
                                                        {"/api/costs/by-task", "task"},
                                                        {"/api/usage/by-model", "model"}}) {
    const auto fixed = get(route + "?from=2000-01-01");
    EXPECT_EQ(fixed["by"], by);
    EXPECT_EQ(fixed["rows"], get("/api/costs/breakdown?from=2000-01-01&by=" + by)["rows"]) << route;
  }
  const auto agents = get("/api/costs/by-agent?days=7");
  ASSERT_EQ(agents["rows"].size(), 2u) << agents.dump();
  EXPECT_EQ(agents["rows"][1]["key"], "claude");
  EXPECT_EQ(agents["rows"][1]["priced_cost_micro_usd"], 19'750);
  const auto providers = get("/api/usage/by-provider");
  ASSERT_EQ(providers["rows"].size(), 2u) << providers.dump();
  EXPECT_EQ(providers["rows"][0]["label"], "OpenRouter");
  EXPECT_EQ(providers["rows"][0]["estimated"], false);
  EXPECT_EQ(providers["rows"][1]["label"], "Claude Code");
  EXPECT_EQ(providers["rows"][1]["estimated"], true) << "local logs are priced by us";

  // Billed and estimated stay apart in every window; the 40-day-old row is in all time only.
  const auto summary = get("/api/usage/summary");
  EXPECT_EQ(summary["last_7_days"]["billed"]["cost_micro_usd"], 3'250'000);
  EXPECT_TRUE(summary["last_7_days"]["estimated"]["cost_micro_usd"].is_null())
      << "an unpriced model leaves the estimate without a whole figure";
  EXPECT_EQ(summary["last_7_days"]["estimated"]["priced_cost_micro_usd"], 19'750);
  EXPECT_EQ(summary["last_30_days"]["estimated"]["calls"], 3);
  EXPECT_EQ(summary["all_time"]["estimated"]["priced_cost_micro_usd"], 1'019'750);
  EXPECT_EQ(summary["all_time"]["estimated"]["calls"], 4);
  EXPECT_EQ(summary["all_time"]["estimated"]["tokens"]["input"], 11);
  EXPECT_EQ(summary["all_time"]["billed"]["providers"], nlohmann::json::array({"openrouter"}));
  EXPECT_EQ(summary["all_time"]["from"], "1970-01-01");

  // The timeline takes a range and adds days up into weeks (from Monday) or months.
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    tx.exec(R"sql(
      insert into public.cost_daily (provider, host, date, source, cost_usd, input_tokens) values
        ('deepseek', '', '2026-10-30', 'api', 1.000000, 10),
        ('deepseek', '', '2026-11-02', 'api', 2.000000, 20),
        ('deepseek', '', '2026-11-03', 'api', 4.000000, 40);
      insert into public.usage_daily (date, provider, host, model, project, calls, cost_usd) values
        (current_date - 1, 'azure', '', 'Azure OpenAI', 'rg-api', 0, 4.000000),
        (current_date - 1, 'azure', '', 'Storage', 'rg-api', 0, 1.500000),
        (current_date, 'azure', '', 'Azure OpenAI', 'rg-batch', 0, 2.250000),
        (current_date - 45, 'azure', '', 'Storage', 'rg-old', 0, 9.000000);)sql");
    tx.commit();
  }
  const std::string deepseek = "?provider=deepseek&from=2026-10-26&to=2026-11-08";
  const auto days = get("/api/costs/timeline" + deepseek);
  EXPECT_EQ(days["rows"].size(), 3u);
  EXPECT_EQ(days["days"], 14);
  const auto weeks = get("/api/costs/timeline" + deepseek + "&interval=week");
  ASSERT_EQ(weeks["rows"].size(), 2u) << weeks.dump();
  EXPECT_EQ(weeks["rows"][0]["date"], "2026-10-26");
  EXPECT_EQ(weeks["rows"][0]["cost_micro_usd"], 1'000'000);
  EXPECT_EQ(weeks["rows"][1]["date"], "2026-11-02");
  EXPECT_EQ(weeks["rows"][1]["cost_micro_usd"], 6'000'000);
  EXPECT_EQ(weeks["rows"][1]["tokens"]["input"], 60);
  const auto months = get("/api/usage/timeline" + deepseek + "&interval=month");
  ASSERT_EQ(months["rows"].size(), 2u) << months.dump();
  EXPECT_EQ(months["rows"][0]["date"], "2026-10-01");
  EXPECT_EQ(months["rows"][1]["date"], "2026-11-01");
  EXPECT_EQ(months["rows"][1]["cost_micro_usd"], 6'000'000);

  // Azure by service and resource group, over the days asked for.
  const auto azure = get("/api/costs/azure?days=30");
  EXPECT_EQ(azure["total_micro_usd"], 7'750'000) << azure.dump();
  ASSERT_EQ(azure["rows"].size(), 3u);
  EXPECT_EQ(azure["rows"][0]["resource_group"], "rg-api");
  EXPECT_EQ(azure["by_service"],
            nlohmann::json::parse(R"([{"service":"Azure OpenAI","cost_micro_usd":6250000},
                                      {"service":"Storage","cost_micro_usd":1500000}])"));
  EXPECT_EQ(azure["by_resource_group"],
            nlohmann::json::parse(R"([{"resource_group":"rg-api","cost_micro_usd":5500000},
                                      {"resource_group":"rg-batch","cost_micro_usd":2250000}])"));
  EXPECT_EQ(get("/api/costs/azure?from=2000-01-01")["total_micro_usd"], 16'750'000);
  for (const char* bad : {"/api/costs/timeline?interval=year", "/api/costs/by-agent?days=0",
                          "/api/costs/azure?from=2026-11-02&to=2026-11-01",
                          "/api/usage/summary?tz=Mars/Olympus", "/api/usage/by-model?to=tomorrow"})
    EXPECT_EQ(http_get(server.base() + bad).status, 400) << bad;
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(server_test, an_old_snapshot_is_stale_then_dead_by_its_sources_interval) {
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    tx.exec(
        "insert into public.usage_snapshots (provider, source, host, fetched_at) values "
        "('codex_local', 'local_session', 'mac', now() - interval '5 hours'), "
        "('deepseek', 'api', '', now() - interval '30 hours')");
    tx.commit();
  }
  running_server server(db_.url());
  const auto body = nlohmann::json::parse(http_get(server.base() + "/api/costs/latest").body);
  std::map<std::string, std::string> freshness;
  for (const auto& p : body["providers"]) freshness[p["provider"]] = p["freshness"];
  EXPECT_EQ(freshness["codex_local"], "stale");  // 5 h against a 2 h interval
  EXPECT_EQ(freshness["deepseek"], "dead");      // 30 h against a 6 h interval
  EXPECT_EQ(freshness["openrouter"], "fresh");
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(server_test, openapi_describes_every_route_and_metrics_count_what_was_answered) {
  running_server server(db_.url(), {"--cache-ms", "0"});
  const auto spec = nlohmann::json::parse(http_get(server.base() + "/openapi.json").body);
  for (const char* path : {"/healthz", "/metrics", "/api/costs/latest", "/api/costs/summary",
                           "/api/costs/burn", "/api/costs/daily", "/api/costs/breakdown",
                           "/api/providers", "/api/sync", "/api/sync/log", "/openapi.json"})
    EXPECT_TRUE(spec["paths"].contains(path)) << path;
  http_get(server.base() + "/api/costs/latest");
  http_get(server.base() + "/api/costs/daily?days=0");
  const auto m = http_get(server.base() + "/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_NE(m.headers.at("content-type").find("text/plain"), std::string::npos);
  EXPECT_NE(m.body.find("costs_http_requests_total{route=\"/api/costs/latest\",status=\"200\"} 1"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("costs_http_requests_total{route=\"/api/costs/daily\",status=\"400\"} 1"),
            std::string::npos);
  EXPECT_NE(m.body.find("costs_http_request_duration_seconds_count{route=\"/api/costs/latest\"} 1"),
            std::string::npos);
  EXPECT_NE(m.body.find("costs_database_errors_total 0"), std::string::npos);
  EXPECT_EQ(server.stop(), 0);
}

// /docs is /openapi.json made readable: every operation in it, escaped, with nothing fetched
// from elsewhere (a server on a laptop on a plane still documents itself).
TEST_F(server_test, docs_render_every_route_of_the_openapi_document_offline) {
  running_server server(db_.url());
  const auto spec = nlohmann::json::parse(http_get(server.base() + "/openapi.json").body);
  const auto docs = http_get(server.base() + "/docs");
  ASSERT_EQ(docs.status, 200);
  EXPECT_EQ(docs.headers.at("content-type"), "text/html; charset=utf-8");
  const std::string& html = docs.body;
  std::size_t operations = 0;
  for (const auto& [path, item] : spec["paths"].items()) {
    EXPECT_NE(html.find("<code>" + path + "</code>"), std::string::npos) << path;
    for (const auto& [method, op] : item.items()) {
      ++operations;
      std::string summary;
      for (char c : op["summary"].get<std::string>()) {
        const std::map<char, std::string> entity = {
            {'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}, {'"', "&quot;"}, {'\'', "&#39;"}};
        summary += entity.count(c) ? entity.at(c) : std::string(1, c);
      }
      EXPECT_NE(html.find(summary), std::string::npos) << method << ' ' << path;
    }
  }
  EXPECT_GE(operations, 27u);
  std::size_t sections = 0;
  for (std::size_t at = 0; (at = html.find("<section id=", at)) != std::string::npos; ++at)
    ++sections;
  EXPECT_EQ(sections, operations);
  EXPECT_NE(html.find("id=\"delete-api-budgets-id\""), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#post-api-sync\">"), std::string::npos);
  EXPECT_NE(html.find("Bearer &lt;token&gt;"), std::string::npos) << "text is escaped";
  for (const char* remote : {"http://", "https://", "src=", "//cdn", "@import"})
    EXPECT_EQ(html.find(remote), std::string::npos) << remote << " in an offline page";
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(server_test, bad_parameters_are_400s_that_say_what_is_wanted) {
  running_server server(db_.url());
  for (const char* path :
       {"/api/costs/daily?days=0", "/api/costs/daily?days=ten", "/api/costs/daily?group=color",
        "/api/costs/daily?provider=nope", "/api/costs/breakdown?by=moon",
        "/api/costs/breakdown?from=2026-13-01", "/api/costs/breakdown?provider=openruoter",
        "/api/costs/summary?tz=%ZZ", "/api/costs/summary?tz=Europe%2F..%2F..%2Fetc%2Fpasswd",
        "/api/costs/breakdown?from=2026-11-02&to=2026-11-01", "/api/sync/log?limit=0",
        "/api/sync/log?limit=100000", "/api/costs/summary?tz=Mars/Olympus",
        "/api/costs/burn?tz=..%2Fetc", "/api/costs/breakdown?from=0000-01-01",
        "/api/costs/breakdown?from=0001-01-01&to=9999-12-31",
        "/api/costs/breakdown?to=99999-01-01"}) {
    const auto r = http_get(server.base() + path);
    EXPECT_EQ(r.status, 400) << path;
    const auto body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body["error"]["code"], "bad_parameter") << path;
    EXPECT_FALSE(body["error"]["message"].get<std::string>().empty()) << path;
  }
  EXPECT_EQ(server.stop(), 0);
}

// Browsers percent-encode the zone (encodeURIComponent("Europe/Berlin") is "Europe%2FBerlin").
TEST_F(server_test, a_percent_encoded_time_zone_is_the_browsers_zone_east_and_west) {
  seed_history(db_);
  running_server server(as_role(db_.url(), "costs_reader"));
  for (const char* zone : {"Europe/Berlin", "America/Los_Angeles", "Asia/Tokyo"}) {
    std::string encoded = zone;
    encoded.replace(encoded.find('/'), 1, "%2F");
    const auto today = costs::time_zone::named(zone).day_of(costs::now()).to_string();
    for (const char* route : {"/api/costs/summary", "/api/costs/burn", "/api/costs/breakdown",
                              "/api/costs/reconcile"}) {
      const auto r = http_get(server.base() + route + "?tz=" + encoded);
      ASSERT_EQ(r.status, 200) << route << " " << zone << ": " << r.body;
      EXPECT_EQ(nlohmann::json::parse(r.body)["time_zone"], zone) << route;
    }
    const auto breakdown =
        nlohmann::json::parse(http_get(server.base() + "/api/costs/breakdown?tz=" + encoded).body);
    EXPECT_EQ(breakdown["to"], today) << "the breakdown ends on the caller's today";
    const auto summary =
        nlohmann::json::parse(http_get(server.base() + "/api/costs/summary?tz=" + encoded).body);
    EXPECT_EQ(summary["periods"]["today"]["from"], today) << zone;
  }
  // '+' is a space in a query value, as a form would send it; a name with one is still no zone.
  EXPECT_EQ(http_get(server.base() + "/api/costs/summary?tz=Europe+Berlin").status, 400);
  EXPECT_EQ(server.stop(), 0);
}

// The daily timeline ends on the caller's today, as every route does: in a zone whose date is
// not UTC's right now (Kiritimati, UTC+14, or Pago Pago, UTC-11), days=1 is that zone's day.
TEST_F(server_test, the_daily_timeline_ends_on_the_callers_today) {
  const auto utc_today = costs::utc_day(costs::now());
  std::string zone = "Pacific/Kiritimati";
  if (costs::time_zone::named(zone).day_of(costs::now()) == utc_today) zone = "Pacific/Pago_Pago";
  const auto their_today = costs::time_zone::named(zone).day_of(costs::now());
  ASSERT_NE(their_today, utc_today) << "one of the two zones is always on another date";
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    tx.exec_params(
        "insert into public.cost_daily (provider, date, source, cost_usd) values "
        "('deepseek', $1::date, 'api', 1.500000), ('deepseek', $2::date, 'api', 2.500000)",
        utc_today.to_string(), their_today.to_string());
    tx.commit();
  }
  running_server server(as_role(db_.url(), "costs_reader"));
  std::string encoded = zone;
  encoded.replace(encoded.find('/'), 1, "%2F");
  const auto theirs = nlohmann::json::parse(
      http_get(server.base() + "/api/costs/daily?days=1&provider=deepseek&tz=" + encoded).body);
  ASSERT_EQ(theirs["rows"].size(), 1u) << theirs.dump();
  EXPECT_EQ(theirs["rows"][0]["date"], their_today.to_string());
  EXPECT_EQ(theirs["rows"][0]["cost_micro_usd"], 2'500'000);
  EXPECT_EQ(theirs["to"], their_today.to_string());
  EXPECT_EQ(theirs["time_zone"], zone);
  const auto utc = nlohmann::json::parse(
      http_get(server.base() + "/api/costs/daily?days=1&provider=deepseek").body);
  ASSERT_EQ(utc["rows"].size(), 1u) << utc.dump();
  EXPECT_EQ(utc["rows"][0]["date"], utc_today.to_string());
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(server_test, providers_and_the_sync_log_show_how_syncs_went) {
  seed_history(db_);
  running_server server(as_role(db_.url(), "costs_reader"));
  const auto providers = nlohmann::json::parse(http_get(server.base() + "/api/providers").body);
  ASSERT_EQ(providers["providers"].size(), 15u);
  EXPECT_EQ(providers["providers"][0]["provider"], "openrouter");
  EXPECT_EQ(providers["providers"][0]["last_sync"]["status"], "ok");
  EXPECT_TRUE(providers["providers"][1]["last_sync"].is_null());
  const auto log = nlohmann::json::parse(http_get(server.base() + "/api/sync/log?limit=1").body);
  ASSERT_EQ(log["rows"].size(), 1u);
  EXPECT_EQ(log["rows"][0]["status"], "ok");
  EXPECT_EQ(log["rows"][0]["run_id"], "run-seeded-1");  // which run wrote it
  const auto both = nlohmann::json::parse(http_get(server.base() + "/api/sync/log").body);
  ASSERT_EQ(both["rows"].size(), 2u);
  EXPECT_TRUE(both["rows"][1]["run_id"].is_null());  // a row from before run ids
  EXPECT_EQ(server.stop(), 0);
}

// The server's environment with every setting a provider could find removed, and `home` as
// HOME: what detection sees is only what a test puts there.
std::map<std::string, std::string> bare_environment(const std::filesystem::path& home) {
  std::map<std::string, std::string> env = {
      {"HOME", home.string()},    {"XDG_CONFIG_HOME", ""},
      {"COSTS_CONFIG", ""},       {"COSTS_HOME", (home / "costs").string()},
      {"CLAUDE_CONFIG_DIR", ""},  {"CODEX_HOME", ""},
      {"OPENCLAW_STATE_DIR", ""}, {"GEMINI_DATA_DIR", ""}};
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e), name = entry.substr(0, entry.find('='));
    for (const char* part : {"_KEY", "_TOKEN", "_SECRET", "AZURE_", "GOOGLE_", "COSTS_GCP"})
      if (name.find(part) != std::string::npos && !env.count(name)) env[name] = "";
  }
  return env;
}

TEST_F(server_test, providers_say_whether_they_are_configured_and_where_that_was_found) {
  costs::test::temp_home home;
  home.write(".openclaw/credentials/deepseek-api-key", "CANARY-DEEPSEEK-FILE\n");
  home.write(".claude/projects/-home-dev-app/s1.jsonl", "\n");
  home.write("costs.conf", "ELEVENLABS_API_KEY = CANARY-ELEVENLABS-CONFIG\n");
  auto env = bare_environment(home.path());
  env["COSTS_CONFIG"] = (home.path() / "costs.conf").string();
  env["OPENROUTER_API_KEY"] = "CANARY-OPENROUTER-ENV";
  env["ANTHROPIC_API_KEY"] = "CANARY-ANTHROPIC-INFERENCE";  // calls only: cannot read usage
  env["GEMINI_API_KEY"] = "CANARY-GEMINI";
  running_server server(as_role(db_.url(), "costs_reader"), {}, env);
  const auto answer = http_get(server.base() + "/api/providers");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.body.find("CANARY"), std::string::npos) << answer.body;
  const auto body = nlohmann::json::parse(answer.body);
  std::map<std::string, nlohmann::json> by_key;
  for (const auto& p : body["providers"]) by_key[p["provider"]] = p;
  const std::map<std::string, std::string> found = {{"openrouter", "environment"},
                                                    {"deepseek", "credential_file"},
                                                    {"elevenlabs", "config_file"},
                                                    {"claude_local", "local_logs"},
                                                    {"agent_reports", "reported"}};
  for (const auto& [key, by] : found) {
    EXPECT_EQ(by_key[key]["status"], "configured") << key << ": " << by_key[key].dump();
    EXPECT_EQ(by_key[key]["detected_by"], by) << key;
    EXPECT_TRUE(by_key[key]["hint"].is_null()) << key;
  }
  EXPECT_EQ(body["configured"], found.size()) << body.dump();
  EXPECT_EQ(by_key["deepseek"]["detail"], "~/.openclaw/credentials/deepseek-api-key found");
  for (const char* key :
       {"anthropic_api", "gcp_billing", "openai_api", "moonshot", "codex_local"}) {
    EXPECT_EQ(by_key[key]["status"], "not_configured") << key;
    EXPECT_TRUE(by_key[key]["detected_by"].is_null()) << key;
  }
  // A key that makes calls but cannot read usage is named, with the one that can.
  EXPECT_NE(by_key["anthropic_api"]["hint"].get<std::string>().find("ANTHROPIC_ADMIN_KEY"),
            std::string::npos);
  EXPECT_NE(by_key["gcp_billing"]["hint"].get<std::string>().find("GEMINI_API_KEY"),
            std::string::npos);
  EXPECT_TRUE(by_key["openai_api"]["hint"].is_null());  // OPENAI_API_KEY is not set
  EXPECT_EQ(by_key["moonshot"]["detail"], "set MOONSHOT_API_KEY");
  EXPECT_EQ(server.stop(), 0);
}

// POST /api/sync runs the library's sync in the server, one at a time, and its rows carry the
// run id it answered. The test holds the run lock a scheduled costs-sync would hold, so the run
// is certainly still going when the second request comes.
TEST_F(server_test, a_sync_started_over_http_answers_its_run_id_and_runs_one_at_a_time) {
  costs::test::temp_home home;
  const std::string when = costs::format_timestamp(costs::now());
  home.write(".claude/projects/-home-dev-acme-api/s.jsonl",
             nlohmann::json{{"type", "assistant"},
                            {"sessionId", "s"},
                            {"cwd", "/home/dev/acme-api"},
                            {"requestId", "req_1"},
                            {"timestamp", when},
                            {"message",
                             {{"id", "msg_1"},
                              {"model", "claude-sonnet-4-6"},
                              {"usage", {{"input_tokens", 3}, {"output_tokens", 412}}}}}}
                     .dump() +
                 "\n");
  const auto env = bare_environment(home.path());
  const std::map<std::string, std::string> admin = {{"Authorization", "Bearer CANARY-ADMIN-TOKEN"}};
  {
    running_server reads_only(as_role(db_.url(), "costs_reader"),
                              {"--admin-token", "CANARY-ADMIN-TOKEN"}, env);
    const auto refused = costs::test::http_send("POST", reads_only.base() + "/api/sync", "", admin);
    EXPECT_EQ(refused.status, 403) << refused.body;
    EXPECT_EQ(nlohmann::json::parse(http_get(reads_only.base() + "/api/sync").body)["enabled"],
              false);
    EXPECT_EQ(reads_only.stop(), 0);
  }
  running_server server(as_role(db_.url(), "costs_reader"),
                        {"--admin-token", "CANARY-ADMIN-TOKEN", "--admin-database-url", db_.url(),
                         "--timezone", "Europe/Berlin"},
                        env);
  auto post = [&](const std::string& body, const std::map<std::string, std::string>& headers) {
    return costs::test::http_send("POST", server.base() + "/api/sync", body, headers);
  };
  EXPECT_EQ(post("", {}).status, 401);
  EXPECT_EQ(post("", {{"x-auth-token", "CANARY-ADMIN-TOKEX"}}).status, 401);
  EXPECT_EQ(post(R"({"scope": "everything"})", admin).status, 400);
  EXPECT_EQ(post(R"({"providers": ["openrouter"]})", admin).status, 400);
  const auto idle = nlohmann::json::parse(http_get(server.base() + "/api/sync").body);
  EXPECT_EQ(idle["enabled"], true);
  EXPECT_TRUE(idle["latest"].is_null());

  std::filesystem::create_directories(home.path() / "costs");
  auto held = std::make_unique<costs::file_lock>(home.path() / "costs" / "run.lock",
                                                 std::chrono::milliseconds(0));
  ASSERT_TRUE(held->held());
  const auto started = post(R"({"scope": "local"})", admin);
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string run_id = nlohmann::json::parse(started.body)["run_id"];
  EXPECT_FALSE(run_id.empty());
  const auto again = post("", admin);
  EXPECT_EQ(again.status, 409) << "one at a time";
  EXPECT_NE(again.body.find(run_id), std::string::npos) << again.body;
  const auto running = nlohmann::json::parse(http_get(server.base() + "/api/sync").body);
  EXPECT_EQ(running["latest"]["run_id"], run_id);
  EXPECT_EQ(running["latest"]["status"], "running");
  held.reset();  // the "scheduled run" ends; the server's run goes on

  nlohmann::json latest;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  do {  // polls the state the route reports; the deadline only bounds a hang
    latest = nlohmann::json::parse(http_get(server.base() + "/api/sync").body)["latest"];
    if (latest["status"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  } while (std::chrono::steady_clock::now() < deadline);
  ASSERT_EQ(latest["status"], "finished") << latest.dump();
  EXPECT_FALSE(latest["finished_at"].is_null());
  EXPECT_EQ(latest["failed"], 0) << latest.dump();
  std::map<std::string, nlohmann::json> outcome;
  for (const auto& p : latest["providers"]) outcome[p["provider"]] = p;
  EXPECT_EQ(outcome["claude_local"]["status"], "ok") << latest.dump();
  EXPECT_EQ(outcome.count("openrouter"), 0u) << "scope local: no billing API was asked";
  EXPECT_EQ(latest.dump().find("CANARY"), std::string::npos);

  const auto log = nlohmann::json::parse(http_get(server.base() + "/api/sync/log").body);
  bool logged = false;
  for (const auto& row : log["rows"])
    if (row["run_id"] == run_id && row["provider"] == "claude_local")
      logged = row["status"] == "ok";
  EXPECT_TRUE(logged) << log.dump();
  // What it wrote is what the reads now answer: 415 tokens of today's Claude Code use.
  const auto providers = nlohmann::json::parse(http_get(server.base() + "/api/costs/latest").body);
  bool counted = false;
  for (const auto& p : providers["providers"])
    if (p["provider"] == "claude_local" && p["host"] != "mac")
      counted = p["tokens"]["output"] == 412;
  EXPECT_TRUE(counted) << providers.dump();
  // A second run may start once the first has finished.
  EXPECT_EQ(post(R"({"scope": "local"})", admin).status, 202);
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(server_test, a_provider_whose_last_sync_failed_says_so_and_comes_first) {
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    tx.exec(R"sql(
      insert into public.cost_sync_log (started_at, finished_at, provider, host, status, rows_written, error) values
        (now() - interval '3 hours', now() - interval '3 hours', 'openrouter', 'mac', 'ok', 4, null),
        (now() - interval '1 hour', now() - interval '1 hour', 'openrouter', 'mac', 'auth_failed', 0,
         'OpenRouter rejected the credential (401); check OPENROUTER_API_KEY'),
        (now() - interval '1 hour', now() - interval '1 hour', 'brave', 'mac', 'http_error', 0,
         'Brave answered 503; retried 3 times'),
        (now() - interval '1 hour', now() - interval '1 hour', 'deepseek', 'mac', 'not_configured', 0,
         'DEEPSEEK_API_KEY is not set'),
        (now() - interval '2 hours', now() - interval '2 hours', 'claude_local', 'mac', 'ok', 2, null),
        (now() - interval '1 hour', now() - interval '1 hour', 'claude_local', 'laptop', 'failed', 0,
         'a log could not be read');)sql");
    tx.commit();
  }
  running_server server(as_role(db_.url(), "costs_reader"));
  const auto latest = nlohmann::json::parse(http_get(server.base() + "/api/costs/latest").body);
  const auto& p = latest["providers"];
  ASSERT_EQ(p.size(), 4u) << latest.dump();
  // The log names the machine that synced; API figures are account-wide (host ''), so any
  // machine's sync of an API speaks for its card, while a local source's is its machine's own.
  // Failed first (then by provider and host): Brave (no snapshot yet, so never fetched), Claude
  // Code on the laptop (its own machine's failure), OpenRouter (its old figures stay).
  auto find = [&](const std::string& key, const std::string& host) {
    for (std::size_t i = 0; i < p.size(); ++i)
      if (p[i]["provider"] == key && p[i]["host"] == host) return i;
    return p.size();
  };
  const auto brave = find("brave", ""), laptop = find("claude_local", "laptop"),
             openrouter = find("openrouter", ""), mac = find("claude_local", "mac");
  EXPECT_EQ(std::vector<std::size_t>({brave, laptop, openrouter, mac}),
            std::vector<std::size_t>({0, 1, 2, 3}))
      << latest.dump();
  ASSERT_LT(std::max({brave, laptop, openrouter, mac}), p.size());
  EXPECT_TRUE(p[brave]["sync_failed"].get<bool>());
  EXPECT_TRUE(p[brave]["fetched_at"].is_null());
  EXPECT_EQ(p[brave]["freshness"], "never");
  EXPECT_EQ(p[brave]["source"], "api");
  EXPECT_EQ(p[brave]["last_sync"]["error"], "Brave answered 503; retried 3 times");
  EXPECT_TRUE(p[laptop]["sync_failed"].get<bool>());
  EXPECT_EQ(p[laptop]["source"], "local_session");
  EXPECT_EQ(p[laptop]["last_sync"]["error"], "a log could not be read");
  EXPECT_TRUE(p[openrouter]["sync_failed"].get<bool>());
  EXPECT_EQ(p[openrouter]["freshness"], "fresh") << "the snapshot is fresh; the sync after failed";
  EXPECT_EQ(p[openrouter]["last_sync"]["status"], "auth_failed");
  EXPECT_EQ(p[openrouter]["last_sync"]["error"],
            "OpenRouter rejected the credential (401); check OPENROUTER_API_KEY");
  EXPECT_EQ(p[openrouter]["total_cost_micro_usd"], 12'345'678);
  EXPECT_FALSE(p[mac]["sync_failed"].get<bool>()) << "the laptop's failure is not the mac's";
  EXPECT_EQ(p[mac]["last_sync"]["status"], "ok");
  // Not configured is no failure and no card; the log keeps it for whoever asks.
  const auto log = nlohmann::json::parse(http_get(server.base() + "/api/sync/log").body);
  for (const auto& row : log["rows"]) EXPECT_NE(row["status"], "not_configured");
  const auto all = nlohmann::json::parse(http_get(server.base() + "/api/sync/log?all=true").body);
  bool kept = false;
  for (const auto& row : all["rows"])
    kept = kept || (row["provider"] == "deepseek" && row["error"] == "DEEPSEEK_API_KEY is not set");
  EXPECT_TRUE(kept) << all.dump();
  EXPECT_EQ(http_get(server.base() + "/api/sync/log?all=maybe").status, 400);
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(server_test, a_token_guards_the_api_and_cors_answers_only_the_configured_origin) {
  running_server server(
      as_role(db_.url(), "costs_reader"),
      {"--token", "CANARY-API-TOKEN", "--cors-origin", "https://costs.example.app"});
  EXPECT_EQ(http_get(server.base() + "/api/costs/latest").status, 401);
  EXPECT_EQ(
      http_get(server.base() + "/api/costs/latest", {{"Authorization", "Bearer wrong"}}).status,
      401);
  // Refused requests are counted as what they were answered, never as 200s.
  const std::string metrics = http_get(server.base() + "/metrics").body;
  EXPECT_NE(metrics.find("costs_http_requests_total{route=\"/api/costs/latest\",status=\"401\"} 2"),
            std::string::npos)
      << metrics;
  EXPECT_EQ(metrics.find("route=\"/api/costs/latest\",status=\"200\""), std::string::npos);
  const auto ok = http_get(
      server.base() + "/api/costs/latest",
      {{"Authorization", "Bearer CANARY-API-TOKEN"}, {"Origin", "https://costs.example.app"}});
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.headers.at("access-control-allow-origin"), "https://costs.example.app");
  const auto other =
      http_get(server.base() + "/api/costs/latest",
               {{"Authorization", "Bearer CANARY-API-TOKEN"}, {"Origin", "https://evil.example"}});
  EXPECT_EQ(other.headers.count("access-control-allow-origin"), 0u);
  EXPECT_EQ(http_get(server.base() + "/healthz").status, 200) << "health stays open for probes";
  // x-auth-token carries the same token; a wrong one in either header is refused, and the
  // refusal says which headers are read.
  EXPECT_EQ(
      http_get(server.base() + "/api/usage/summary", {{"X-Auth-Token", "CANARY-API-TOKEN"}}).status,
      200);
  const auto wrong =
      http_get(server.base() + "/api/usage/summary", {{"x-auth-token", "CANARY-API-TOKEX"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_NE(wrong.body.find("x-auth-token"), std::string::npos) << wrong.body;
  EXPECT_EQ(wrong.body.find("CANARY"), std::string::npos);
  EXPECT_EQ(http_get(server.base() + "/api/usage/summary", {{"Authorization", "CANARY-API-TOKEN"}})
                .status,
            401)
      << "Authorization names its scheme";
  EXPECT_EQ(server.stop(), 0);
  EXPECT_EQ(server.err().find("CANARY"), std::string::npos);
}

TEST_F(server_test, a_non_loopback_address_serves_reads_only_with_a_token_or_public_reads) {
  const std::string url = as_role(db_.url(), "costs_reader");
  auto start = [&](std::vector<std::string> extra) {
    std::vector<std::string> argv = {COSTS_SERVER_PATH, "--listen", "0.0.0.0:0", "--database-url",
                                     url};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return std::make_unique<child_process>(argv);
  };
  // The port it picked, from "listening on http://0.0.0.0:PORT (...)", reached over loopback.
  auto local_base = [](const child_process& p) {
    const std::string& line = p.first_line();
    const auto colon = line.find(':', line.find("0.0.0.0"));
    if (colon == std::string::npos) throw std::runtime_error("did not start: '" + line + "'");
    return "http://127.0.0.1" + line.substr(colon, line.find(' ', colon) - colon);
  };
  auto open_to_all = start({});
  EXPECT_EQ(open_to_all->wait(), 2);
  EXPECT_NE(open_to_all->err().find("--public-reads"), std::string::npos) << open_to_all->err();
  auto with_token = start({"--token", "CANARY-API-TOKEN"});
  EXPECT_EQ(http_get(local_base(*with_token) + "/api/costs/latest").status, 401);
  EXPECT_EQ(with_token->stop(SIGTERM), 0);
  auto public_reads = start({"--public-reads"});
  EXPECT_EQ(http_get(local_base(*public_reads) + "/api/costs/latest").status, 200);
  EXPECT_EQ(public_reads->stop(SIGTERM), 0);
}

TEST_F(server_test, the_exported_page_is_served_with_its_content_types_and_nothing_outside_it) {
  costs::test::temp_home files;
  files.write("out/costs/index.html", "<html>costs</html>");
  files.write("out/_next/static/app.js", "console.log(1)");
  files.write("out/_next/static/app.css", "body{}");
  files.write("secret.txt", "outside");
  running_server server(db_.url(), {"--static-dir", (files.path() / "out").string()});
  const auto page = http_get(server.base() + "/costs/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.headers.at("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(page.body, "<html>costs</html>");
  EXPECT_EQ(http_get(server.base() + "/costs").status, 200);
  EXPECT_EQ(http_get(server.base() + "/_next/static/app.js").headers.at("content-type"),
            "application/javascript; charset=utf-8");
  EXPECT_EQ(http_get(server.base() + "/_next/static/app.css").headers.at("content-type"),
            "text/css; charset=utf-8");
  EXPECT_EQ(http_get(server.base() + "/../secret.txt").status, 404);
  EXPECT_EQ(http_get(server.base() + "/%2e%2e/secret.txt").status, 404);
  EXPECT_EQ(http_get(server.base() + "/api/nope").status, 404);
  EXPECT_EQ(server.stop(), 0);
}

// --- summary and burn: figures computed by hand from the rows below ---------------------------

std::string day_text(long long days_ago) {
  return costs::civil_day::from_days_since_epoch(costs::utc_day(costs::now()).days_since_epoch() -
                                                 days_ago)
      .to_string();
}

// openrouter (billed): $2 today, $1.25 yesterday, $7 three days ago; balance $87.654322 (from
// SetUp). claude_local (estimated): $0.50 today, an unpriced day two days ago.
void seed_spend(test_database& db) {
  auto c = db.connect();
  pqxx::work tx(c);
  tx.exec_params(R"sql(
    insert into public.cost_daily (provider, host, date, source, cost_usd) values
      ('openrouter', '', $1::date, 'api', 2.000000),
      ('openrouter', '', $2::date, 'api', 1.250000),
      ('openrouter', '', $3::date, 'api', 7.000000),
      ('claude_local', 'mac', $1::date, 'local_session', 0.500000),
      ('claude_local', 'mac', $4::date, 'local_session', null))sql",
                 day_text(0), day_text(1), day_text(3), day_text(2));
  tx.exec_params(R"sql(
    insert into public.usage_daily (date, provider, host, model, agent, calls, cost_usd) values
      ($1::date, 'claude_local', 'mac', 'claude-sonnet-4-6', 'claude', 1, 0.500000),
      ($2::date, 'claude_local', 'mac', 'my-local-model', 'claude', 4, null))sql",
                 day_text(0), day_text(2));
  tx.exec(R"sql(
    insert into public.budgets (name, scope_kind, scope_value, period, threshold_usd, warn_ratio) values
      ('daily total', 'total', '', 'day', 3.00, 0.8),
      ('openrouter today', 'provider', 'openrouter', 'day', 2.00, 0.8),
      ('sonnet today', 'model', 'claude-sonnet-4-6', 'day', 100.00, 0.8),
      ('claude today', 'agent', 'claude', 'day', 0.60, 0.8),
      ('monthly', 'total', '', 'month', 500.00, 0.8);
    insert into public.budgets (name, kind, scope_kind, scope_value, threshold_usd) values
      ('openrouter low', 'low_balance', 'provider', 'openrouter', 100.00))sql");
  tx.commit();
}

// Every route's real answer, on a database with something in every table, against the schema
// /openapi.json gives for it: a field added, renamed, retyped or made nullable without the
// document saying so fails here.
TEST_F(server_test, every_answer_fits_the_schema_openapi_gives_for_it) {
  seed_spend(db_);
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    tx.exec(R"sql(
      insert into public.cost_daily (provider, host, date, source, cost_usd) values
        ('anthropic_api', '', current_date, 'api', 0.010000);
      insert into public.usage_daily (date, provider, host, model, project, calls, cost_usd) values
        (current_date, 'azure', '', 'Azure OpenAI', 'rg-api', 0, 4.000000);
      insert into public.usage_sessions (provider, host, session, agent, project, transcript,
          models, first_at, last_at, calls, cost_usd, priced_cost_usd) values
        ('claude_local', 'mac', 's1', 'claude', 'acme-api', '/home/dev/.claude/projects/p/s1.jsonl',
         '{claude-sonnet-4-6}', now() - interval '1 hour', now(), 2, null, 0.100000);
      insert into public.subscriptions (provider, plan, monthly_fee_usd) values
        ('claude_local', 'Claude Max', 200);)sql");
    tx.commit();
  }
  costs::test::temp_home home;
  running_server server(as_role(db_.url(), "costs_reader"),
                        {"--admin-token", "CANARY-ADMIN-TOKEN", "--admin-database-url", db_.url()},
                        bare_environment(home.path()));
  const auto spec = nlohmann::json::parse(http_get(server.base() + "/openapi.json").body);
  const std::map<std::string, std::string> admin = {{"Authorization", "Bearer CANARY-ADMIN-TOKEN"},
                                                    {"Content-Type", "application/json"}};
  auto schema_of = [&](const std::string& path, const std::string& method, long status) {
    return spec["paths"][path][method]["responses"][std::to_string(status)]["content"]
               ["application/json"]["schema"];
  };
  std::size_t checked = 0;
  auto fits = [&](const std::string& path, const std::string& method,
                  const costs::test::http_response& r) {
    const auto schema = schema_of(path, method, r.status);
    ASSERT_TRUE(schema.is_object()) << method << ' ' << path << ": no schema for " << r.status;
    const auto errors = costs::test::schema_errors(schema, nlohmann::json::parse(r.body));
    std::string all;
    for (const auto& e : errors) all += "\n  " + e;
    EXPECT_TRUE(errors.empty()) << method << ' ' << path << ':' << all;
    ++checked;
  };
  // Writes first, so the reads have a reported call, a rule of each kind and a finished sync.
  const auto llm = costs::test::http_send(
      "POST", server.base() + "/api/costs/llm",
      R"({"calls": [{"id": "c1", "model": "claude-sonnet-4-6", "input_tokens": 10,
                     "output_tokens": 5}, {"id": "c2", "model": "my-own-model"}]})",
      admin);
  ASSERT_EQ(llm.status, 200) << llm.body;
  fits("/api/costs/llm", "post", llm);
  const auto rule = costs::test::http_send("POST", server.base() + "/api/budgets",
                                           R"({"period": "week", "threshold_usd": 9})", admin);
  ASSERT_EQ(rule.status, 201) << rule.body;
  fits("/api/budgets", "post", rule);
  const std::string rule_url =
      server.base() + "/api/budgets/" +
      std::to_string(nlohmann::json::parse(rule.body)["id"].get<long long>());
  const auto changed =
      costs::test::http_send("PUT", rule_url, R"({"period": "week", "threshold_usd": 10})", admin);
  ASSERT_EQ(changed.status, 200) << changed.body;
  fits("/api/budgets/{id}", "put", changed);
  {  // an alert the rule fired, whose delivery failed
    auto c = db_.connect();
    pqxx::work tx(c);
    tx.exec_params(R"sql(
      insert into public.alert_events (budget_id, period_start, level, spent_usd, threshold_usd,
                                       delivery_error)
      values ($1, current_date, 'warn', 8.5, 10, 'webhook answered 500'))sql",
                   nlohmann::json::parse(rule.body)["id"].get<long long>());
    tx.commit();
  }
  const auto started =
      costs::test::http_send("POST", server.base() + "/api/sync", R"({"scope": "local"})", admin);
  ASSERT_EQ(started.status, 202) << started.body;
  fits("/api/sync", "post", started);
  fits("/api/sync", "get", http_get(server.base() + "/api/sync"));  // while it runs
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (nlohmann::json::parse(http_get(server.base() + "/api/sync").body)["latest"]["status"] ==
             "running" &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));

  // Each read, with a range wide enough to hold every seeded row.
  const std::map<std::string, std::string> queries = {{"/api/costs/reconcile", "?days=366"},
                                                      {"/api/sync/log", "?all=true"}};
  for (const auto& [path, item] : spec["paths"].items()) {
    if (!item.contains("get") || path == "/metrics" || path == "/docs") continue;
    std::string query;
    for (const auto& p : item["get"]["parameters"])
      if (p["name"] == "days") query = "?days=366";
    if (queries.count(path)) query = queries.at(path);
    const auto r = http_get(server.base() + path + query);
    ASSERT_EQ(r.status, 200) << path << ": " << r.body;
    fits(path, "get", r);
    // Not a vacuous pass: the lists the schema describes have rows to check.
    const auto body = nlohmann::json::parse(r.body);
    for (const char* list : {"rows", "providers", "budgets", "pairs"}) {
      if (body.contains(list) && body[list].is_array()) {
        EXPECT_FALSE(body[list].empty()) << path << ' ' << list;
      }
    }
  }
  const auto removed = costs::test::http_send("DELETE", rule_url, "", admin);
  ASSERT_EQ(removed.status, 200);
  fits("/api/budgets/{id}", "delete", removed);
  // Errors have one envelope, whatever the route.
  const auto bad = http_get(server.base() + "/api/costs/daily?days=0");
  ASSERT_EQ(bad.status, 400);
  fits("/api/costs/daily", "get", bad);
  const auto refused = costs::test::http_send("POST", server.base() + "/api/sync", "", {});
  ASSERT_EQ(refused.status, 401);
  fits("/api/sync", "post", refused);
  EXPECT_GE(checked, 30u);
  // The check has teeth: a field missing, one extra, a wrong type, a null where none may be.
  const auto health = schema_of("/healthz", "get", 200);
  const nlohmann::json good = {
      {"status", "ok"}, {"database", "ok"}, {"database_checked_ms_ago", 3}};
  EXPECT_TRUE(costs::test::schema_errors(health, good).empty());
  for (const auto& [field, value] :
       std::map<std::string, nlohmann::json>{{"database_checked_ms_ago", "3"},
                                             {"database", nullptr},
                                             {"status", "fine"},
                                             {"extra", 1}}) {
    auto bad_one = good;
    bad_one[field] = value;
    EXPECT_EQ(costs::test::schema_errors(health, bad_one).size(), 1u) << bad_one.dump();
  }
  auto missing = good;
  missing.erase("database");
  EXPECT_EQ(costs::test::schema_errors(health, missing).size(), 1u);
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(server_test, summary_splits_billed_from_estimated_and_forecasts_the_month) {
  seed_spend(db_);
  running_server server(as_role(db_.url(), "costs_reader"), {"--cache-ms", "0"});
  const auto r = http_get(server.base() + "/api/costs/summary");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["time_zone"], "UTC");
  EXPECT_EQ(body["today"], day_text(0));
  const auto& today = body["periods"]["today"];
  EXPECT_EQ(today["billed_micro_usd"], 2'000'000);
  EXPECT_EQ(today["estimated_micro_usd"], 500'000);
  EXPECT_EQ(today["total_micro_usd"], 2'500'000);
  EXPECT_EQ(today["basis"], "mixed");
  const auto& yesterday = body["periods"]["yesterday"];
  EXPECT_EQ(yesterday["total_micro_usd"], 1'250'000);
  EXPECT_EQ(yesterday["basis"], "billed");
  const auto& all_time = body["periods"]["all_time"];
  EXPECT_EQ(all_time["total_micro_usd"], 10'750'000);
  EXPECT_EQ(all_time["unpriced_rows"], 1) << "the unpriced day is counted, not summed as $0";
  EXPECT_EQ(all_time["from"], day_text(3));
  EXPECT_EQ(body["change_vs_yesterday"]["micro_usd"], 1'250'000);
  EXPECT_DOUBLE_EQ(body["change_vs_yesterday"]["ratio"].get<double>(), 1.0);

  // This month and week hold whichever of the seeded days fall in them.
  const auto today_day = costs::utc_day(costs::now());
  const std::pair<long long, long long> seeded[] = {{0, 2'500'000}, {1, 1'250'000}, {3, 7'000'000}};
  long long month = 0, week = 0;
  for (const auto& [ago, cost] : seeded) {
    const auto d = costs::civil_day::parse(day_text(ago));
    if (!(d < costs::period_start("month", today_day))) month += cost;
    if (!(d < costs::period_start("week", today_day))) week += cost;
  }
  EXPECT_EQ(body["periods"]["month"]["total_micro_usd"], month);
  EXPECT_EQ(body["periods"]["week"]["total_micro_usd"], week);
  // Rate: (1.25 + 7) / 7 complete days = 1.178571 (rounded), times the days left this month.
  const auto& forecast = body["forecast"];
  EXPECT_EQ(forecast["daily_rate_micro_usd"], 1'178'571);
  EXPECT_EQ(forecast["month_to_date_micro_usd"], month);
  EXPECT_EQ(forecast["projected_month_end_micro_usd"],
            month + 1'178'571LL * forecast["days_left"].get<long long>());
  EXPECT_EQ(forecast["budget_micro_usd"], 500'000'000);
  // Against medians of $0 (most of the 14 days before are empty), each day with $1 or more is a
  // spike: $7 three days ago, $1.25 yesterday, $2.50 today; not the unpriced day.
  ASSERT_EQ(body["spikes"].size(), 3u) << body["spikes"].dump();
  EXPECT_EQ(body["spikes"][0]["date"], day_text(3));
  EXPECT_EQ(body["spikes"][0]["cost_micro_usd"], 7'000'000);
  EXPECT_EQ(body["spikes"][0]["median_micro_usd"], 0);
  EXPECT_EQ(body["spikes"][2]["cost_micro_usd"], 2'500'000);
  EXPECT_TRUE(body["hour_spikes"].empty()) << "no hourly rows, no hourly spikes";

  std::map<std::string, nlohmann::json> budgets;
  for (const auto& b : body["budgets"]) budgets[b["name"]] = b;
  EXPECT_EQ(budgets["daily total"]["spent_micro_usd"], 2'500'000);
  EXPECT_EQ(budgets["daily total"]["level"], "warn");  // 2.50 of 3.00 is past 80 %
  EXPECT_EQ(budgets["openrouter today"]["spent_micro_usd"], 2'000'000);
  EXPECT_EQ(budgets["openrouter today"]["level"], "exceeded");
  EXPECT_EQ(budgets["sonnet today"]["spent_micro_usd"], 500'000);
  EXPECT_EQ(budgets["sonnet today"]["level"], "ok");
  EXPECT_EQ(budgets["claude today"]["level"], "warn");  // 0.50 of 0.60
  EXPECT_EQ(budgets["openrouter low"]["kind"], "low_balance");
  EXPECT_EQ(body.dump().find("channels"), std::string::npos);
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(server_test, summary_names_an_hour_far_above_a_working_hour) {
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    tx.exec(
        "insert into public.cost_hourly (provider, hour, source, cost_usd) values "
        "('openrouter', date_trunc('hour', now()) - interval '30 hours', 'api', 1.00), "
        "('openrouter', date_trunc('hour', now()), 'api', 5.00)");
    tx.commit();
  }
  running_server server(as_role(db_.url(), "costs_reader"), {"--cache-ms", "0"});
  const auto body = nlohmann::json::parse(http_get(server.base() + "/api/costs/summary").body);
  ASSERT_EQ(body["hour_spikes"].size(), 1u) << body["hour_spikes"].dump();
  EXPECT_EQ(body["hour_spikes"][0]["cost_micro_usd"], 5'000'000);
  EXPECT_EQ(body["hour_spikes"][0]["median_micro_usd"], 1'000'000);
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(server_test, burn_gives_rates_per_hour_day_and_week_and_the_runway_of_a_balance) {
  seed_spend(db_);
  running_server server(as_role(db_.url(), "costs_reader"), {"--cache-ms", "0"});
  const auto body = nlohmann::json::parse(http_get(server.base() + "/api/costs/burn").body);
  std::map<std::string, nlohmann::json> providers;
  for (const auto& p : body["providers"]) providers[p["provider"]] = p;
  const auto& openrouter = providers.at("openrouter");
  EXPECT_EQ(openrouter["basis"], "billed");
  EXPECT_EQ(openrouter["per_day_micro_usd"], 1'178'571);  // 8.25 / 7
  EXPECT_EQ(openrouter["per_hour_micro_usd"], 49'107);    // 8.25 / 168
  EXPECT_EQ(openrouter["per_week_micro_usd"], 8'250'000);
  EXPECT_EQ(openrouter["today_micro_usd"], 2'000'000);
  EXPECT_EQ(openrouter["balance_micro_usd"], 87'654'322);
  EXPECT_DOUBLE_EQ(openrouter["runway_days"].get<double>(), 74.3);  // 87.654322 / 1.178571
  EXPECT_EQ(openrouter["runway_until"], day_text(-74));
  EXPECT_EQ(openrouter["low_balance"], true);  // under the $100 rule
  const auto& claude = providers.at("claude_local");
  EXPECT_EQ(claude["basis"], "estimated");
  EXPECT_EQ(claude["per_day_micro_usd"], 0);
  EXPECT_EQ(claude["unpriced_rows"], 1);
  EXPECT_TRUE(claude["runway_days"].is_null()) << "no balance, no runway";
  EXPECT_EQ(body["total"]["per_day_micro_usd"], 1'178'571);
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(server_test, reconcile_sets_billed_against_what_the_logs_explain) {
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    tx.exec_params(R"sql(
      insert into public.cost_daily (provider, date, source, cost_usd) values
        ('anthropic_api', $1::date, 'admin_api', 10.000000),
        ('anthropic_api', $2::date, 'admin_api', 4.000000))sql",
                   day_text(0), day_text(1));
    tx.exec_params(R"sql(
      insert into public.usage_daily (date, provider, host, model, agent, calls, cost_usd) values
        ($1::date, 'claude_local', 'mac', 'claude-sonnet-4-6', 'claude', 3, 8.000000),
        ($1::date, 'openclaw_local', 'vps', 'claude-opus-4-6', 'main', 1, 1.000000),
        ($1::date, 'codex_local', 'mac', 'gpt-5-codex', 'codex', 2, 5.000000),
        ($2::date, 'claude_local', 'mac', 'claude-sonnet-4-6', 'claude', 1, 2.500000))sql",
                   day_text(0), day_text(2));
    tx.commit();
  }
  running_server server(as_role(db_.url(), "costs_reader"), {"--cache-ms", "0"});
  const auto body =
      nlohmann::json::parse(http_get(server.base() + "/api/costs/reconcile?days=7").body);
  ASSERT_EQ(body["pairs"].size(), 1u) << "OpenAI bills nothing here: nothing to reconcile";
  const auto& anthropic = body["pairs"][0];
  EXPECT_EQ(anthropic["vendor"], "anthropic");
  EXPECT_EQ(anthropic["billed_micro_usd"], 14'000'000);
  EXPECT_EQ(anthropic["estimated_micro_usd"], 9'000'000);
  EXPECT_EQ(anthropic["difference_micro_usd"], 5'000'000);
  EXPECT_EQ(anthropic["unbilled_estimated_micro_usd"], 2'500'000)
      << "a day with logs but no bill is given apart, not in what the bill is set against";
  ASSERT_EQ(anthropic["days"].size(), 3u);
  EXPECT_TRUE(anthropic["days"][0]["billed_micro_usd"].is_null());
  EXPECT_TRUE(anthropic["days"][0]["explained_ratio"].is_null());
  const auto& today = anthropic["days"][2];
  EXPECT_EQ(today["date"], day_text(0));
  EXPECT_EQ(today["estimated_micro_usd"], 9'000'000);  // the gpt model is not Anthropic's
  EXPECT_DOUBLE_EQ(today["explained_ratio"].get<double>(), 0.9);
  EXPECT_EQ(anthropic["days"][1]["estimated_micro_usd"], 0);
  EXPECT_EQ(http_get(server.base() + "/api/costs/reconcile?days=0").status, 400);
  // The page's range: two given days, only the bill and the logs of those days.
  const auto two = nlohmann::json::parse(
      http_get(server.base() + "/api/costs/reconcile?from=" + day_text(1) + "&to=" + day_text(0))
          .body);
  EXPECT_EQ(two["from"], day_text(1));
  ASSERT_EQ(two["pairs"].size(), 1u) << two.dump();
  EXPECT_EQ(two["pairs"][0]["billed_micro_usd"], 14'000'000);
  EXPECT_EQ(two["pairs"][0]["unbilled_estimated_micro_usd"], 0) << "day 2 is outside the range";
  EXPECT_EQ(two["pairs"][0]["days"].size(), 2u);
  EXPECT_EQ(http_get(server.base() + "/api/costs/reconcile?from=2024-01-01&to=2025-01-01").status,
            400)
      << "367 days";
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(server_test, budgets_are_written_only_with_the_admin_token_to_channels_the_operator_named) {
  const std::map<std::string, std::string> admin = {{"Authorization", "Bearer CANARY-ADMIN-TOKEN"},
                                                    {"Content-Type", "application/json"}};
  const std::map<std::string, std::string> reader = {{"Authorization", "Bearer CANARY-READ-TOKEN"},
                                                     {"Content-Type", "application/json"}};
  {
    running_server read_only(
        as_role(db_.url(), "costs_reader"),
        {"--token", "CANARY-READ-TOKEN", "--admin-token", "CANARY-ADMIN-TOKEN"});
    const auto refused = costs::test::http_send("POST", read_only.base() + "/api/budgets",
                                                R"({"threshold_usd": 5})", admin);
    EXPECT_EQ(refused.status, 403) << "no --admin-database-url: no writes";
    EXPECT_EQ(nlohmann::json::parse(refused.body)["error"]["code"], "writes_disabled");
    EXPECT_EQ(read_only.stop(), 0);
  }
  running_server server(as_role(db_.url(), "costs_reader"),
                        {"--token", "CANARY-READ-TOKEN", "--admin-token", "CANARY-ADMIN-TOKEN",
                         "--admin-database-url", db_.url(), "--cache-ms", "600000"},
                        {{"COSTS_CHANNEL_OPS", "slack=https://hooks.slack.com/services/CANARY"}});
  auto post = [&](const std::string& body, const std::map<std::string, std::string>& headers) {
    return costs::test::http_send("POST", server.base() + "/api/budgets", body, headers);
  };
  const auto before =
      nlohmann::json::parse(http_get(server.base() + "/api/costs/summary",
                                     {{"Authorization", reader.at("Authorization")}})
                                .body);
  EXPECT_TRUE(before["budgets"].empty());
  EXPECT_EQ(post(R"({"threshold_usd": 5})", {}).status, 401);
  EXPECT_EQ(post(R"({"threshold_usd": 5})", reader).status, 401)
      << "the read token may read, never write";
  EXPECT_EQ(
      post(R"({"threshold_usd": 5})", {{"Authorization", "Bearer CANARY-ADMIN-TOKEX"}}).status,
      401);
  const auto created = post(R"({"scope": "provider:openrouter", "period": "day",
                                "threshold_usd": 12.5, "channels": ["ops"]})",
                            admin);
  ASSERT_EQ(created.status, 201) << created.body;
  const auto id = nlohmann::json::parse(created.body)["id"].get<long long>();
  EXPECT_EQ(nlohmann::json::parse(created.body)["threshold_micro_usd"], 12'500'000);
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    EXPECT_EQ(tx.exec1("select channels::text from public.budgets")[0].as<std::string>(),
              R"([{"channel": "ops"}])")
        << "the rule keeps the channel's name; its URL stays in the operator's configuration";
  }
  const auto after = nlohmann::json::parse(http_get(server.base() + "/api/costs/summary",
                                                    {{"Authorization", reader.at("Authorization")}})
                                               .body);
  ASSERT_EQ(after["budgets"].size(), 1u) << "a write clears the cached summary";
  EXPECT_EQ(after["budgets"][0]["scope"], "provider:openrouter");
  const auto listed =
      http_get(server.base() + "/api/budgets", {{"Authorization", reader.at("Authorization")}});
  EXPECT_EQ(listed.body.find("CANARY"), std::string::npos) << "channels stay hidden";

  // Every bad body is a 400 that names the field, never a 500.
  const std::vector<std::pair<std::string, std::string>> bad = {
      {R"({"scope": "planet:mars", "threshold_usd": 1})", "scope"},
      {R"({"scope": "provider:openruoter", "threshold_usd": 1})", "openruoter"},
      {R"({"scope": "agent:nobody", "threshold_usd": 1})", "agent"},
      {R"({"threshold_usd": 1000000})", "threshold_usd"},
      {R"({"threshold_usd": 1e300})", "threshold_usd"},
      {R"({"threshold_usd": -1})", "threshold_usd"},
      {R"({"threshold_usd": "lots"})", "threshold_usd"},
      {R"({"scope": "total"})", "threshold_usd"},
      {R"({"threshold_usd": 5, "warn_ratio": 1e308})", "warn"},
      {R"({"threshold_usd": 5, "period": "decade"})", "period"},
      {R"({"threshold_usd": 5, "name": ")" + std::string(300, 'x') + R"("})", "name"},
      {R"({"threshold_usd": 5, "color": "red"})", "color"},
      {R"({"threshold_usd": 5, "channels": [{"type": "webhook", "url": "http://attacker.example/x"}]})",
       "channels"},
      {R"({"threshold_usd": 5, "channels": ["http://attacker.example/x"]})", "channel"},
      {R"({"threshold_usd": 5, "channels": ["pager"]})", "ops"},
      {R"({"threshold_usd": 5, "channels": "ops"})", "channels"},
      {R"({"threshold_usd": 1e6})", "threshold_usd"},
      {R"({"threshold_usd": 1e12})", "threshold_usd"},
      {R"({"threshold_usd": 5, "warn_ratio": 0.0001})", "warn_ratio"},
      {R"({"threshold_usd": 5, "name": "x\u0000y"})", "name"},
      {R"({"threshold_usd": 5, "channels": ["o\u0000ps"]})", "channel"},
      {R"({"threshold_usd": 5, "scope": "agent:a\u0000b"})", "scope"},
      {R"({"threshold_usd": 5, "name": )" + std::string(20'000, '[') + std::string(20'000, ']') +
           "}",
       "name"},
      {std::string(30'000, '[') + std::string(30'000, ']'), "JSON object"},
      {R"([1, 2])", "JSON object"},
      {"not json", "JSON object"}};
  for (const auto& [body, named] : bad) {
    const auto r = post(body, admin);
    EXPECT_EQ(r.status, 400) << body.substr(0, 120) << ": " << r.body;
    const auto parsed = nlohmann::json::parse(r.body, nullptr, false);
    ASSERT_TRUE(parsed.is_object()) << r.body;
    EXPECT_NE(parsed["error"]["message"].get<std::string>().find(named), std::string::npos)
        << body.substr(0, 120) << ": " << r.body;
  }
  const std::string path = server.base() + "/api/budgets/" + std::to_string(id);
  // PUT changes the rule in place: same id, the new threshold, checked as POST checks.
  EXPECT_EQ(costs::test::http_send("PUT", path, R"({"threshold_usd": 7})", reader).status, 401);
  const auto changed = costs::test::http_send(
      "PUT", path, R"({"scope": "provider:openrouter", "period": "day", "threshold_usd": 7.25})",
      admin);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(nlohmann::json::parse(changed.body)["id"], id);
  const auto relisted =
      nlohmann::json::parse(http_get(server.base() + "/api/budgets", reader).body);
  ASSERT_EQ(relisted["budgets"].size(), 1u) << relisted.dump();
  EXPECT_EQ(relisted["budgets"][0]["id"], id);
  EXPECT_EQ(relisted["budgets"][0]["period"], "day");
  EXPECT_EQ(relisted["budgets"][0]["threshold_micro_usd"], 7'250'000);
  {
    auto c = db_.connect();
    pqxx::work tx(c);
    EXPECT_EQ(tx.exec1("select channels::text from public.budgets")[0].as<std::string>(),
              R"([{"channel": "ops"}])")
        << "a PUT without channels keeps the rule's (the API never shows them)";
  }
  const auto bad_change = costs::test::http_send("PUT", path, R"({"threshold_usd": -1})", admin);
  EXPECT_EQ(bad_change.status, 400) << bad_change.body;
  EXPECT_EQ(costs::test::http_send("PUT", server.base() + "/api/budgets/999999",
                                   R"({"threshold_usd": 1})", admin)
                .status,
            404);
  EXPECT_EQ(costs::test::http_send("DELETE", path, "", reader).status, 401);
  for (const char* bad_id : {"abc", "0", "-3", "12abc", "99999999999999999999999"})
    EXPECT_EQ(costs::test::http_send("DELETE", server.base() + "/api/budgets/" + bad_id, "", admin)
                  .status,
              400)
        << bad_id;
  EXPECT_EQ(costs::test::http_send("DELETE", path, "", admin).status, 200);
  EXPECT_EQ(costs::test::http_send("DELETE", path, "", admin).status, 404);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_EQ(server.err().find("CANARY"), std::string::npos);
}

// --- caching -----------------------------------------------------------------------------------

// Agents report calls as they happen: each id once, priced by the caller's cost, else the list
// price, else unpriced; they show in every read as "Reported by agents", an estimate.
TEST_F(server_test, reported_calls_count_once_each_are_priced_honestly_and_show_as_an_estimate) {
  running_server server(as_role(db_.url(), "costs_reader"),
                        {"--token", "CANARY-READ-TOKEN", "--admin-token", "CANARY-ADMIN-TOKEN",
                         "--admin-database-url", db_.url()});
  const std::map<std::string, std::string> admin = {{"x-auth-token", "CANARY-ADMIN-TOKEN"},
                                                    {"Content-Type", "application/json"}};
  const std::map<std::string, std::string> reader = {{"x-auth-token", "CANARY-READ-TOKEN"}};
  auto post = [&](const std::string& body, const std::map<std::string, std::string>& headers) {
    return costs::test::http_send("POST", server.base() + "/api/costs/llm", body, headers);
  };
  const std::string batch = R"({"calls": [
    {"id": "c1", "model": "claude-sonnet-4-6", "provider": "anthropic", "agent": "bot",
     "session": "s-1", "task": "triage", "input_tokens": 1000, "output_tokens": 500},
    {"id": "c2", "model": "my-own-model", "input_tokens": 10},
    {"id": "c3", "model": "gpt-5", "agent": "bot", "cost_usd": 0.25, "input_tokens": 7},
    {"id": "c1", "model": "claude-sonnet-4-6", "agent": "bot", "input_tokens": 1000}]})";
  EXPECT_EQ(post(batch, {{"Content-Type", "application/json"}}).status, 401);
  EXPECT_EQ(post(batch, reader).status, 401) << "the read token never writes";
  EXPECT_EQ(post(batch, {{"Authorization", "Bearer CANARY-READ-TOKEN"}}).status, 401);
  const auto first = post(batch, admin);
  ASSERT_EQ(first.status, 200) << first.body;
  const auto answer = nlohmann::json::parse(first.body);
  EXPECT_EQ(answer["received"], 4);
  EXPECT_EQ(answer["recorded"], 3) << "c1 twice in one batch counts once";
  EXPECT_EQ(answer["calls"][0]["cost_micro_usd"], 10'500) << "1000 x $3/M + 500 x $15/M";
  EXPECT_EQ(answer["calls"][0]["cost_basis"], "list_price");
  EXPECT_TRUE(answer["calls"][1]["cost_micro_usd"].is_null());
  EXPECT_EQ(answer["calls"][1]["cost_basis"], "unpriced");
  EXPECT_EQ(answer["calls"][2]["cost_micro_usd"], 250'000);
  EXPECT_EQ(answer["calls"][2]["cost_basis"], "reported");
  // A resend (a retry after a lost answer) adds nothing; one new call in it is added alone.
  const auto again = nlohmann::json::parse(post(batch, admin).body);
  EXPECT_EQ(again["recorded"], 0);
  EXPECT_EQ(again["already_recorded"], 4);
  const auto single = post(
      R"({"id": "c4", "model": "claude-sonnet-4-6", "agent": "bot", "task": "triage",
          "output_tokens": 1000, "timestamp": "2026-11-02T23:30:00Z"})",
      {{"Authorization", "Bearer CANARY-ADMIN-TOKEN"}});
  ASSERT_EQ(single.status, 200) << single.body;
  EXPECT_EQ(nlohmann::json::parse(single.body)["calls"][0]["date"], "2026-11-02");

  auto get = [&](const std::string& path) {
    const auto r = http_get(server.base() + path, reader);
    EXPECT_EQ(r.status, 200) << path << ' ' << r.body;
    return nlohmann::json::parse(r.body);
  };
  const auto agents = get("/api/costs/by-agent?days=1");
  ASSERT_EQ(agents["rows"].size(), 2u) << agents.dump();
  EXPECT_EQ(agents["rows"][0]["key"], "bot");
  EXPECT_EQ(agents["rows"][0]["cost_micro_usd"], 260'500) << "c1 + c3, each once";
  EXPECT_EQ(agents["rows"][0]["calls"], 2);
  EXPECT_EQ(agents["rows"][1]["key"], "");
  EXPECT_TRUE(agents["rows"][1]["cost_micro_usd"].is_null()) << "c2 has no price, not $0";
  const auto providers = get("/api/usage/by-provider?days=1");
  ASSERT_EQ(providers["rows"].size(), 1u) << providers.dump();
  EXPECT_EQ(providers["rows"][0]["key"], "agent_reports");
  EXPECT_EQ(providers["rows"][0]["label"], "Reported by agents");
  EXPECT_EQ(providers["rows"][0]["estimated"], true);
  EXPECT_EQ(providers["rows"][0]["priced_cost_micro_usd"], 260'500);
  EXPECT_EQ(get("/api/costs/by-task?from=2026-11-02&to=2026-11-02")["rows"][0]["cost_micro_usd"],
            15'000)
      << "c4, dated by its own timestamp";
  const auto summary = get("/api/usage/summary");
  EXPECT_EQ(summary["all_time"]["estimated"]["priced_cost_micro_usd"], 275'500);
  EXPECT_EQ(summary["all_time"]["billed"]["priced_cost_micro_usd"], 0);
  {
    auto c = db_.connect();
    pqxx::read_transaction tx(c);
    EXPECT_EQ(tx.exec1("select count(*) from public.llm_calls")[0].as<int>(), 4);
    EXPECT_EQ(
        tx.exec1("select session || '/' || vendor from public.llm_calls where call_id = 'c1'")[0]
            .as<std::string>(),
        "s-1/anthropic");
  }

  // Bad calls are 400s naming the call and the field; nothing of the batch is stored.
  std::string too_many = R"({"calls": [)";
  for (int i = 0; i < 1001; ++i)
    too_many += std::string(i ? "," : "") + R"({"id":"x)" + std::to_string(i) + R"(","model":"m"})";
  too_many += "]}";
  for (const auto& [body, names] : std::vector<std::pair<std::string, std::string>>{
           {R"({"model": "m"})", "id is required"},
           {R"([{"id": "ok", "model": "m"}, {"id": "n", "model": "m", "input_token": 5}])",
            "calls[1]: unknown field 'input_token'"},
           {R"({"id": "n", "model": "m", "output_tokens": -1})", "output_tokens"},
           {R"({"id": "n", "model": "m", "cost_usd": 1e12})", "cost_usd"},
           {R"({"id": "n", "model": "m", "timestamp": "yesterday"})", "timestamp"},
           {R"({"id": "n", "model": "m", "agent": "a\u0000b"})", "agent"},
           {R"({"id": 5, "model": "m"})", "id must be a string"},
           {"not json", "send a call"},
           {too_many, "at most 1000 calls"}}) {
    const auto r = post(body, admin);
    EXPECT_EQ(r.status, 400) << body.substr(0, 80);
    EXPECT_NE(r.body.find(names), std::string::npos) << r.body;
  }
  {
    auto c = db_.connect();
    pqxx::read_transaction tx(c);
    EXPECT_EQ(tx.exec1("select count(*) from public.llm_calls")[0].as<int>(), 4);
  }
  EXPECT_EQ(server.stop(), 0);
  EXPECT_EQ(server.err().find("CANARY"), std::string::npos);
}

TEST_F(server_test, an_unchanged_answer_is_a_304_for_its_etag) {
  running_server server(db_.url());
  const auto first = http_get(server.base() + "/api/costs/daily");
  ASSERT_EQ(first.status, 200);
  const std::string etag = first.headers.at("etag");
  EXPECT_EQ(etag.front(), '"');
  EXPECT_NE(first.headers.at("cache-control").find("private"), std::string::npos);
  EXPECT_NE(first.headers.at("cache-control").find("max-age=5"), std::string::npos);
  const auto again = http_get(server.base() + "/api/costs/daily", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.headers.at("etag"), etag);
  const auto other = http_get(server.base() + "/api/costs/daily", {{"If-None-Match", "\"0\""}});
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(other.body, first.body);
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(server_test, a_burst_of_loads_costs_one_query_and_no_cache_sees_every_change) {
  auto add_spend = [&](const char* amount) {
    auto c = db_.connect();
    pqxx::work tx(c);
    tx.exec_params(
        "insert into public.cost_daily (provider, date, source, cost_usd) values "
        "('deepseek', $1::date, 'api', $2::numeric) on conflict (provider, host, date) "
        "do update set cost_usd = excluded.cost_usd",
        day_text(0), amount);
    tx.commit();
  };
  auto today_total = [](const std::string& base) {
    return nlohmann::json::parse(
               http_get(base + "/api/costs/summary").body)["periods"]["today"]["total_micro_usd"]
        .get<long long>();
  };
  add_spend("1.000000");
  {
    running_server cached(db_.url(), {"--cache-ms", "600000"});
    EXPECT_EQ(today_total(cached.base()), 1'000'000);
    add_spend("2.000000");
    EXPECT_EQ(today_total(cached.base()), 1'000'000) << "the second load is the cached answer";
    const auto m = http_get(cached.base() + "/metrics").body;
    EXPECT_NE(m.find("costs_cache_misses_total 1\n"), std::string::npos) << m;
    EXPECT_NE(m.find("costs_cache_hits_total 1\n"), std::string::npos) << m;
    EXPECT_EQ(cached.stop(), 0);
  }
  running_server uncached(db_.url(), {"--cache-ms", "0"});
  EXPECT_EQ(today_total(uncached.base()), 2'000'000);
  add_spend("3.000000");
  EXPECT_EQ(today_total(uncached.base()), 3'000'000);
  EXPECT_EQ(uncached.stop(), 0);
}

TEST_F(server_test, an_oversized_request_is_refused_with_413) {
  running_server server(db_.url());
  const auto r =
      http_get(server.base() + "/api/costs/latest", {{"X-Padding", std::string(100'000, 'x')}});
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(http_get(server.base() + "/healthz").status, 200) << "the server keeps serving";
  EXPECT_EQ(server.stop(), 0);
}

// --- shutting down and the database going away ---------------------------------------------

TEST_F(server_test, sigterm_lets_the_request_in_flight_finish_and_refuses_new_ones) {
  running_server server(as_role(db_.url(), "costs_reader"), {"--cache-ms", "0"});
  // Hold a lock the latest-costs query must wait for, so a request is surely in flight.
  auto locker = db_.connect();
  pqxx::work lock_tx(locker);
  lock_tx.exec("lock table public.usage_snapshots in access exclusive mode");
  auto in_flight =
      std::async(std::launch::async, [&] { return http_get(server.base() + "/api/costs/latest"); });
  auto watcher = db_.connect();
  bool waiting = false;
  for (int i = 0; i < 500 && !waiting; ++i) {  // until the server's query waits on our lock
    pqxx::nontransaction q(watcher);
    waiting = q.exec_params(
                   "select 1 from pg_stat_activity where datname = $1 and "
                   "usename = 'postgres' and wait_event_type = 'Lock'",
                   db_.name())
                  .size() > 0;
    if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(waiting) << "the request never reached the database";
  server.process().signal(SIGTERM);
  long refused = 0;
  for (int i = 0; i < 500 && refused != 503; ++i) {  // until the server has begun draining
    try {  // a poll queued behind the busy worker times out and is simply tried again
      refused = http_get(server.base() + "/healthz", {}, 200).status;
    } catch (const std::runtime_error&) {
    }
    if (refused != 503) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(refused, 503) << "a request after SIGTERM is refused";
  lock_tx.abort();
  const auto finished = in_flight.get();
  EXPECT_EQ(finished.status, 200) << "the request in flight was answered";
  EXPECT_EQ(nlohmann::json::parse(finished.body)["providers"].size(), 2u);
  EXPECT_EQ(server.process().wait(), 0) << server.err();
}

// Waits until `n` of the server's queries wait on a lock the test holds.
void wait_for_lock_waiters(test_database& db, int n) {
  auto watcher = db.connect();
  for (int i = 0; i < 1000; ++i) {
    pqxx::nontransaction q(watcher);
    if (q.exec_params("select 1 from pg_stat_activity where datname = $1 and "
                      "wait_event_type = 'Lock' and query not like '%pg_stat_activity%'",
                      db.name())
            .size() >= static_cast<std::size_t>(n))
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  FAIL() << "the server's queries never reached the lock";
}

TEST_F(server_test, a_stuck_query_is_a_503_in_seconds_while_health_and_metrics_answer) {
  running_server server(
      as_role(db_.url(), "costs_reader"),
      {"--cache-ms", "0", "--threads", "1", "--db-threads", "2", "--statement-timeout-ms", "1500"});
  auto locker = db_.connect();
  pqxx::work hold(locker);
  hold.exec0("lock table public.usage_snapshots in access exclusive mode");
  std::vector<std::future<costs::test::http_response>> stuck;
  for (int i = 0; i < 6; ++i)
    stuck.push_back(std::async(std::launch::async, [&] {
      return http_get(server.base() + "/api/costs/latest", {}, 20'000);
    }));
  wait_for_lock_waiters(db_, 2);
  // Both query threads wait on the lock; the one network thread is free to answer.
  const auto health = http_get(server.base() + "/healthz", {}, 3000);
  EXPECT_EQ(health.status, 200) << "the database answers; one table is locked: " << health.body;
  EXPECT_EQ(nlohmann::json::parse(health.body)["database"], "ok");
  EXPECT_EQ(http_get(server.base() + "/metrics", {}, 3000).status, 200);
  for (auto& f : stuck) {
    const auto r = f.get();
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_EQ(r.headers.count("retry-after"), 1u);
    const auto code = nlohmann::json::parse(r.body)["error"]["code"];
    EXPECT_TRUE(code == "database_unavailable" || code == "busy") << r.body;
  }
  hold.abort();
  const auto after = http_get(server.base() + "/api/costs/latest", {}, 5000);
  EXPECT_EQ(after.status, 200) << "a timed-out query leaves its connection usable: " << after.body;
  EXPECT_EQ(server.stop(), 0) << server.err();
}

// A database host that accepts connections and never answers, as a hung Postgres does; it
// counts the connections it was sent.
class silent_database {
 public:
  silent_database() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), len) != 0 || ::listen(fd_, 128) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      throw std::runtime_error("cannot listen");
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        const int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) return;
        ++accepted_;
        std::lock_guard<std::mutex> lock(mutex_);
        held_.push_back(c);
      }
    });
  }
  ~silent_database() {
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
    for (const int c : held_) ::close(c);
  }
  int port() const { return port_; }
  int accepted() const { return accepted_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::atomic<int> accepted_{0};
  std::mutex mutex_;
  std::vector<int> held_;
  std::thread thread_;
};

TEST_F(server_test, a_database_that_never_answers_is_a_503_in_seconds_and_is_not_hammered) {
  silent_database hung;
  running_server server("postgresql://costs_reader:CANARY-HUNG-PASS@127.0.0.1:" +
                            std::to_string(hung.port()) + "/costs",
                        {"--cache-ms", "0", "--db-threads", "2"});
  const auto health = http_get(server.base() + "/healthz", {}, 5000);
  EXPECT_EQ(health.status, 503) << health.body;
  EXPECT_EQ(health.headers.count("retry-after"), 1u);
  int answered = 0;
  for (int i = 0; i < 30; ++i) {
    const auto r = http_get(server.base() + "/api/costs/summary", {}, 10'000);
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_EQ(r.body.find("CANARY"), std::string::npos);
    answered += r.status == 503 ? 1 : 0;
  }
  EXPECT_EQ(answered, 30);
  EXPECT_EQ(http_get(server.base() + "/metrics", {}, 3000).status, 200);
  EXPECT_LE(hung.accepted(), 10) << "reconnects back off: not one per request";
  EXPECT_GE(hung.accepted(), 1);
  EXPECT_EQ(server.stop(), 0) << server.err();
  EXPECT_EQ(server.err().find("CANARY-HUNG-PASS"), std::string::npos) << server.err();
}

// A gauge's value in Prometheus' text; -1 when absent.
long gauge(const std::string& metrics, const std::string& name) {
  const auto at = metrics.find("\n" + name + " ");
  return at == std::string::npos ? -1 : std::stol(metrics.substr(at + name.size() + 2));
}

TEST_F(server_test, sigterm_answers_every_request_it_received_and_a_hung_up_client_holds_nothing) {
  running_server server(as_role(db_.url(), "costs_reader"),
                        {"--cache-ms", "0", "--db-threads", "2", "--drain-seconds", "60",
                         "--statement-timeout-ms", "30000"});
  auto locker = db_.connect();
  pqxx::work hold(locker);
  hold.exec0("lock table public.usage_snapshots in access exclusive mode");
  // A client that gives up while its request waits.
  EXPECT_THROW(http_get(server.base() + "/api/costs/latest", {}, 300), std::runtime_error);
  std::vector<std::future<costs::test::http_response>> waiting;
  for (int i = 0; i < 20; ++i)
    waiting.push_back(std::async(std::launch::async, [&] {
      return http_get(server.base() + "/api/costs/latest", {}, 30'000);
    }));
  wait_for_lock_waiters(db_, 2);
  // Every request is received (the one that hung up still runs) before the signal: one sent
  // after it is refused, as the first test shows.
  long held = 0;
  for (int i = 0; i < 1000 && held < 21; ++i) {
    const auto m = http_get(server.base() + "/metrics", {}, 2000).body;
    held = gauge(m, "costs_database_requests{state=\"waiting\"}") +
           gauge(m, "costs_database_requests{state=\"running\"}");
    if (held < 21) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(held, 21) << "the server never held every request";
  server.process().signal(SIGTERM);
  long refused = 0;
  for (int i = 0; i < 500 && refused != 503; ++i) {  // until the server has begun draining
    refused = http_get(server.base() + "/healthz", {}, 2000).status;
    if (refused != 503) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(refused, 503) << "a request after SIGTERM is refused";
  hold.abort();
  int answered = 0, empty = 0;
  for (auto& f : waiting) {
    try {
      const auto r = f.get();
      EXPECT_TRUE(r.status == 200 || r.status == 503) << r.status << " " << r.body;
      answered += r.status == 200 ? 1 : 0;
    } catch (const std::runtime_error& e) {
      ++empty;
    }
  }
  EXPECT_EQ(empty, 0) << "every request received before SIGTERM is answered";
  EXPECT_EQ(answered, 20) << "and finished, since the database came back in time";
  // The client that hung up is not waited for: the drain ends with the last real request.
  auto exited = std::async(std::launch::async, [&] { return server.process().wait(); });
  ASSERT_EQ(exited.wait_for(std::chrono::seconds(20)), std::future_status::ready)
      << "the drain waited on the client that hung up (--drain-seconds 60)";
  EXPECT_EQ(exited.get(), 0) << server.err();
}

// A plain TCP connection to the server on this machine; -1 when refused.
int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) return fd;
  ::close(fd);
  return -1;
}

// Connections that never finish their request, more than the server has descriptors for: each
// is dropped at the header timeout, and the server answers a real request again.
TEST_F(server_test, clients_that_never_finish_their_request_are_dropped_and_others_served) {
  child_process server({"/bin/sh", "-c", "ulimit -n 128 && exec \"$0\" \"$@\"", COSTS_SERVER_PATH,
                        "--listen", "127.0.0.1:0", "--database-url", db_.url(),
                        "--header-timeout-ms", "1000"});
  const std::string base = server.announced_base();
  const int port = std::stoi(base.substr(base.rfind(':') + 1));
  std::vector<int> slow;
  for (int i = 0; i < 200; ++i) {  // more than the 128 descriptors the server may hold
    const int fd = connect_to(port);
    ASSERT_GE(fd, 0);
    const std::string half = "GET /healthz HTTP/1.1\r\nHost: x\r\n";  // never the blank line
    ASSERT_EQ(::send(fd, half.data(), half.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(half.size()));
    slow.push_back(fd);
  }
  // Each slow one is dropped after a second (408), so the server has descriptors again.
  costs::test::http_response health;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (health.status != 200 && std::chrono::steady_clock::now() < deadline) {
    try {
      health = http_get(base + "/healthz", {}, 3000);
    } catch (const std::runtime_error&) {
    }
  }
  EXPECT_EQ(health.status, 200) << "the server answers again once the slow clients are dropped";
  // Each slow client was told why it was let go: 408 if it was admitted, 503 if it came past the
  // cap. Which ones were admitted depends on which worker thread took them first, so only the
  // counts are checked: none is left without an answer.
  int timed_out = 0, refused = 0;
  std::string other;
  for (const int fd : slow) {
    timeval wait{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    char reply[256] = {};
    const ssize_t got = ::recv(fd, reply, sizeof reply - 1, 0);
    const std::string head(reply, got > 0 ? static_cast<std::size_t>(got) : 0);
    if (head.rfind("HTTP/1.1 408", 0) == 0)
      ++timed_out;
    else if (head.rfind("HTTP/1.1 503", 0) == 0)
      ++refused;
    else if (other.empty())
      other = head.empty() ? "(no answer)" : head;
    ::close(fd);
  }
  EXPECT_GT(timed_out, 0) << "the admitted slow clients are dropped with a 408";
  EXPECT_GT(refused, 0) << "200 connections are past the cap that 128 descriptors allow";
  EXPECT_EQ(timed_out + refused, 200) << "first other answer: " << other;
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.err();
}

// Sends raw bytes and reads one answer: the status line and the body.
std::pair<std::string, std::string> raw_exchange(const std::string& base,
                                                 const std::string& bytes) {
  const int fd = connect_to(std::stoi(base.substr(base.rfind(':') + 1)));
  if (fd < 0) throw std::runtime_error("cannot connect");
  timeval wait{3, 0};  // an answer comes at once, or the test fails
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  std::string got;
  char chunk[4096];
  for (;;) {
    const auto head_end = got.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      const auto at = got.find("Content-Length: ");
      const std::size_t length = at == std::string::npos ? 0 : std::stoul(got.substr(at + 16));
      if (got.size() >= head_end + 4 + length) break;
    }
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    got.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(fd);
  const auto head_end = got.find("\r\n\r\n");
  return {got.substr(0, got.find("\r\n")),
          head_end == std::string::npos ? std::string() : got.substr(head_end + 4)};
}

TEST_F(server_test, malformed_framing_is_a_400_at_once_never_a_500_or_a_hang) {
  running_server server(db_.url());
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", "400"},
      {"POST /api/budgets HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
       "400"},
      {"POST /api/budgets HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n", "413"},
      {"POST /api/budgets HTTP/1.1\r\nHost: x\r\nContent-Length: 5x\r\n\r\n", "400"},
      {"GET /healthz HTTP/1.1\nHost: x\n\n", "400"},
      {"GET /healthz\r\nHost: x\r\n\r\n", "400"},
      {"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", "400"},
      {"GET /healthz HTTP/1.1\r\nno colon here\r\n\r\n", "400"}};
  for (const auto& [bytes, status] : cases) {
    const auto [line, body] = raw_exchange(server.base(), bytes);
    EXPECT_EQ(line.substr(0, 12), "HTTP/1.1 " + status) << bytes << " -> " << line;
    const auto parsed = nlohmann::json::parse(body, nullptr, false);
    ASSERT_TRUE(parsed.is_object()) << bytes << " -> " << body;
    EXPECT_FALSE(parsed["error"]["message"].get<std::string>().empty());
  }
  // Well-formed requests, with and without a body, still go through.
  EXPECT_EQ(raw_exchange(server.base(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").first,
            "HTTP/1.1 200 OK");
  EXPECT_EQ(raw_exchange(server.base(),
                         "POST /api/budgets HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
                .first.substr(0, 12),
            "HTTP/1.1 403");
  EXPECT_EQ(server.stop(), 0) << server.err();
}

TEST_F(server_test, connections_past_the_cap_are_told_503_at_once_and_closed) {
  running_server server(db_.url(), {"--max-connections", "20"});
  const int port = std::stoi(server.base().substr(server.base().rfind(':') + 1));
  std::vector<int> idle;
  for (int i = 0; i < 30; ++i) {
    const int fd = connect_to(port);
    ASSERT_GE(fd, 0);
    timeval wait{0, 150'000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    idle.push_back(fd);
  }
  // 20 wait for a request; 10 are answered 503 unasked, then closed (which 10 depends on the
  // order the server's threads took them in).
  int refused = 0, closed = 0, waiting = 0;
  for (const int fd : idle) {
    char reply[512] = {};
    std::string got;
    ssize_t n = ::recv(fd, reply, sizeof reply - 1, 0);
    if (n > 0) {
      got.assign(reply, static_cast<std::size_t>(n));
      n = ::recv(fd, reply, sizeof reply - 1, 0);
    }
    refused += got.rfind("HTTP/1.1 503", 0) == 0 ? 1 : 0;
    closed += n == 0 ? 1 : 0;
    waiting += n < 0 && got.empty() ? 1 : 0;
  }
  EXPECT_EQ(refused, 10);
  EXPECT_EQ(closed, 10) << "the refused connections are closed, giving their descriptors back";
  EXPECT_EQ(waiting, 20);
  for (const int fd : idle) ::close(fd);
  // With the idle ones gone, the server takes requests again, and counted what it refused.
  costs::test::http_response health;
  for (int i = 0; i < 100 && health.status != 200; ++i) {
    health = http_get(server.base() + "/healthz", {}, 3000);
    if (health.status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(health.status, 200);
  EXPECT_NE(http_get(server.base() + "/metrics").body.find("costs_connections_refused_total 10\n"),
            std::string::npos);
  EXPECT_EQ(server.stop(), 0) << server.err();
}

// A cluster of its own, so stopping it does not disturb the other tests.
class private_cluster {
 public:
  private_cluster() : dir_(std::filesystem::temp_directory_path() / unique_name()) {
    url_ = run("start");
  }
  ~private_cluster() {
    run("stop");
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::canonical(dir_, ec), ec);
    std::filesystem::remove_all(dir_, ec);
  }
  const std::string& url() const { return url_; }
  void stop() { run("stop"); }
  void start() { run("start"); }

 private:
  static std::string unique_name() {
    return "costs-test-cluster-" + std::to_string(::getpid()) + "-" +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  std::string run(const char* action) {
    const auto r = costs::test::run_process(
        {"/bin/bash", std::string(COSTS_SOURCE_DIR) + "/scripts/local-postgres.sh", action,
         dir_.string(), "--throwaway"});
    if (r.exit_code != 0) throw std::runtime_error(std::string(action) + " failed: " + r.err);
    auto out = r.out;
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
  }
  std::filesystem::path dir_;
  std::string url_;
};

TEST_F(server_test, a_database_restart_mid_run_is_503s_then_answers_again_without_a_restart) {
  private_cluster cluster;
  costs::apply_migrations(cluster.url(), costs::load_migrations(COSTS_MIGRATIONS_SOURCE));
  running_server server(cluster.url(), {"--cache-ms", "0"});
  for (int i = 0; i < 4; ++i) ASSERT_EQ(http_get(server.base() + "/api/costs/summary").status, 200);
  cluster.stop();
  for (int i = 0; i < 3; ++i) {
    const auto down = http_get(server.base() + "/api/costs/summary");
    EXPECT_EQ(down.status, 503) << down.body;
    EXPECT_EQ(down.headers.count("retry-after"), 1u);
  }
  cluster.start();
  // The server retries on a backoff (at most 8 s apart), never once per request: it answers
  // again within a step or two.
  long last = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (last != 200 && std::chrono::steady_clock::now() < deadline) {
    last = http_get(server.base() + "/api/costs/summary").status;
    if (last != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(last, 200) << "the server reconnects on its own";
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(http_get(server.base() + "/api/costs/summary").status, 200) << "every thread";
  EXPECT_EQ(server.stop(), 0) << server.err();
}

}  // namespace
