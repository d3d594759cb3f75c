// costs-server as deployed: the real binary on a real port, over real HTTP, on a real database.
#include <csignal>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "costs/store.hpp"
#include "support/http.hpp"
#include "support/process.hpp"
#include "support/test_db.hpp"

namespace {

using costs::test::as_role;
using costs::test::child_process;
using costs::test::http_get;
using costs::test::test_database;

// Starts the server on a free port; the first stdout line names it.
class running_server {
 public:
  explicit running_server(const std::string& database_url)
      : process_({COSTS_SERVER_PATH, "--listen", "127.0.0.1:0", "--database-url", database_url}) {
    const auto& line = process_.first_line();
    const auto at = line.find("http://");
    if (at == std::string::npos) throw std::runtime_error("server did not start: '" + line + "'");
    base_ = line.substr(at, line.find(' ', at) - at);
  }
  const std::string& base() const { return base_; }
  int stop() { return process_.stop(SIGTERM); }
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

}  // namespace
