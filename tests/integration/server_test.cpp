// costs-server as deployed: the real binary on a real port, over real HTTP, on a real database.
#include <csignal>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "costs/store.hpp"
#include "support/http.hpp"
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
  explicit running_server(const std::string& database_url, std::vector<std::string> extra = {})
      : process_(args(database_url, std::move(extra))) {
    const auto& line = process_.first_line();
    const auto at = line.find("http://");
    if (at == std::string::npos) throw std::runtime_error("server did not start: '" + line + "'");
    base_ = line.substr(at, line.find(' ', at) - at);
  }
  const std::string& base() const { return base_; }
  int stop() { return process_.stop(SIGTERM); }
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
    costs::open_postgres_store(db_.url())->write(batch);
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
    insert into public.cost_sync_log (started_at, finished_at, provider, host, status, rows_written, error) values
      (now() - interval '2 hours', now() - interval '2 hours', 'openrouter', '', 'auth_failed', 0, 'OpenRouter rejected the credential (401)'),
      (now() - interval '1 hour', now() - interval '1 hour', 'openrouter', '', 'ok', 4, null);)sql");
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
  const auto agents =
      nlohmann::json::parse(http_get(server.base() + "/api/costs/breakdown?by=agent").body);
  ASSERT_EQ(agents["rows"].size(), 1u);
  EXPECT_TRUE(agents["rows"][0]["cost_micro_usd"].is_null())
      << "a group with an unpriced model has no whole cost";
  EXPECT_EQ(agents["rows"][0]["priced_cost_micro_usd"], 19'750);
  EXPECT_EQ(agents["rows"][0]["calls"], 3);
  const auto projects = nlohmann::json::parse(
      http_get(server.base() + "/api/costs/breakdown?by=project&from=2000-01-01").body);
  EXPECT_EQ(projects["rows"].size(), 2u);
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
  running_server server(db_.url());
  const auto spec = nlohmann::json::parse(http_get(server.base() + "/openapi.json").body);
  for (const char* path :
       {"/healthz", "/metrics", "/api/costs/latest", "/api/costs/daily", "/api/costs/breakdown",
        "/api/providers", "/api/sync/log", "/openapi.json"})
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

TEST_F(server_test, bad_parameters_are_400s_that_say_what_is_wanted) {
  running_server server(db_.url());
  for (const char* path : {"/api/costs/daily?days=0", "/api/costs/daily?days=ten",
                           "/api/costs/daily?group=color", "/api/costs/daily?provider=nope",
                           "/api/costs/breakdown?by=moon", "/api/costs/breakdown?from=2026-13-01",
                           "/api/costs/breakdown?from=2026-11-02&to=2026-11-01",
                           "/api/sync/log?limit=0", "/api/sync/log?limit=100000"}) {
    const auto r = http_get(server.base() + path);
    EXPECT_EQ(r.status, 400) << path;
    const auto body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body["error"]["code"], "bad_parameter") << path;
    EXPECT_FALSE(body["error"]["message"].get<std::string>().empty()) << path;
  }
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(server_test, providers_and_the_sync_log_show_how_syncs_went) {
  seed_history(db_);
  running_server server(as_role(db_.url(), "costs_reader"));
  const auto providers = nlohmann::json::parse(http_get(server.base() + "/api/providers").body);
  ASSERT_EQ(providers["providers"].size(), 14u);
  EXPECT_EQ(providers["providers"][0]["provider"], "openrouter");
  EXPECT_EQ(providers["providers"][0]["last_sync"]["status"], "ok");
  EXPECT_TRUE(providers["providers"][1]["last_sync"].is_null());
  const auto log = nlohmann::json::parse(http_get(server.base() + "/api/sync/log?limit=1").body);
  ASSERT_EQ(log["rows"].size(), 1u);
  EXPECT_EQ(log["rows"][0]["status"], "ok");
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
  EXPECT_EQ(server.stop(), 0);
  EXPECT_EQ(server.err().find("CANARY"), std::string::npos);
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

}  // namespace
