// Provider billing APIs end to end: costs-sync run against a fake provider server (the real
// HTTP client, real retries) writing into a real database. Keys are canaries that must never
// show up anywhere but in the requests.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/fake_http.hpp"
#include "support/process.hpp"
#include "support/temp_home.hpp"
#include "support/test_db.hpp"

namespace {

using costs::test::fake_http_server;
using costs::test::fake_response;
using costs::test::test_database;

const std::string or_key = "sk-or-v1-CANARY-KEY-5f1e";
const std::string or_management = "sk-or-v1-CANARY-MGMT-77aa";
const std::string ds_key = "sk-CANARY-DEEPSEEK-0c9d";
const std::string ms_key = "sk-CANARY-MOONSHOT-41b2";

// Bodies as documented in shared/reference/providers.md (1.1-1.3, 5, 6).
const std::string key_body =
    R"({"data":{"label":"sk-or-v1-7c2...e41","limit":50,"limit_remaining":31.4177,"limit_reset":"monthly","include_byok_in_limit":false,"usage":412.0913,"usage_daily":1.2731,"usage_weekly":9.8804,"usage_monthly":18.5823,"byok_usage":0,"byok_usage_daily":0,"byok_usage_weekly":0,"byok_usage_monthly":0,"is_free_tier":false,"is_management_key":false,"is_provisioning_key":false,"creator_user_id":"user_2mQx81aZkP0000000000000000","expires_at":null}})";
const std::string credits_body = R"({"data":{"total_credits":250.0,"total_usage":187.42315}})";
const std::string activity_body = R"({"data":[
 {"date":"2026-11-20","model":"anthropic/claude-sonnet-4.5","model_permaslug":"anthropic/claude-4.5-sonnet-20250929","endpoint_id":"0f1c","provider_name":"Anthropic","usage":3.41208,"byok_usage_inference":0,"requests":212,"prompt_tokens":884120,"completion_tokens":51377,"reasoning_tokens":0},
 {"date":"2026-11-20","model":"anthropic/claude-sonnet-4.5","model_permaslug":"anthropic/claude-4.5-sonnet-20250929","endpoint_id":"9e8d","provider_name":"Google","usage":0.5,"byok_usage_inference":0,"requests":10,"prompt_tokens":1000,"completion_tokens":100,"reasoning_tokens":0},
 {"date":"2026-11-20","model":"openai/gpt-4.1-mini","model_permaslug":"openai/gpt-4.1-mini-2025-04-14","endpoint_id":"7a8b","provider_name":"OpenAI","usage":0.18844,"byok_usage_inference":0,"requests":96,"prompt_tokens":301442,"completion_tokens":42019,"reasoning_tokens":0},
 {"date":"2026-11-19","model":"openai/gpt-4.1-mini","model_permaslug":"openai/gpt-4.1-mini-2025-04-14","endpoint_id":"7a8b","provider_name":"OpenAI","usage":0.01,"byok_usage_inference":0,"requests":1,"prompt_tokens":10,"completion_tokens":5,"reasoning_tokens":0}]})";
const std::string deepseek_body =
    R"({"is_available":true,"balance_infos":[{"currency":"USD","total_balance":"37.82","granted_balance":"0.00","topped_up_balance":"37.82"}]})";
const std::string moonshot_body =
    R"({"code":0,"data":{"available_balance":23.71452,"voucher_balance":5.0,"cash_balance":18.71452},"scode":"0x0","status":true})";

class api_providers_test : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.migrate();
    fake_.on("/openrouter/key", {{200, key_body}});
    fake_.on("/openrouter/credits", {{200, credits_body}});
    fake_.on("/openrouter/activity", {{200, activity_body}});
    fake_.on("/deepseek/user/balance", {{200, deepseek_body}});
    fake_.on("/moonshot/v1/users/me/balance", {{200, moonshot_body}});
  }

  costs::test::process_result run(std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> env = {
        {"HOME", home_.path().string()},
        {"COSTS_HOME", (home_.path() / "costs").string()},
        {"COSTS_TARGET", ""},
        {"OPENROUTER_API_KEY", or_key},
        {"OPENROUTER_MANAGEMENT_KEY", or_management},
        {"DEEPSEEK_API_KEY", ds_key},
        {"MOONSHOT_API_KEY", ms_key},
        {"COSTS_OPENROUTER_BASE_URL", fake_.base() + "/openrouter"},
        {"COSTS_DEEPSEEK_BASE_URL", fake_.base() + "/deepseek"},
        {"COSTS_MOONSHOT_BASE_URL", fake_.base() + "/moonshot"},
        {"COSTS_HTTP_BACKOFF_MS", "1"},
        {"COSTS_HTTP_TIMEOUT_MS", "2000"}};
    for (auto& [k, v] : extra) env[k] = v;
    return costs::test::run_process(
        {COSTS_SYNC_PATH, "run", "--target", db_.url(), "--provider", "openrouter", "--provider",
         "deepseek", "--provider", "moonshot", "--json"},
        env);
  }

  std::string query_text(const std::string& sql) {
    auto c = db_.connect();
    pqxx::read_transaction tx(c);
    std::string all;
    for (const auto& row : tx.exec(sql)) {
      for (const auto& f : row) all += std::string(f.is_null() ? "null" : f.c_str()) + "|";
      all += "\n";
    }
    return all;
  }

  std::string everything_stored() {
    return query_text("select t::text from public.usage_snapshots t") +
           query_text("select t::text from public.cost_daily t") +
           query_text("select t::text from public.usage_daily t") +
           query_text("select t::text from public.cost_sync_log t");
  }

  std::string log_of(const std::string& provider) {
    return query_text(
        "select status, coalesce(error, '') from public.cost_sync_log where provider = '" +
        provider + "'");
  }

  costs::test::temp_home home_;
  test_database db_;
  fake_http_server fake_;
};

TEST_F(api_providers_test, fills_snapshots_and_daily_rows_with_the_numbers_the_fixtures_imply) {
  const auto r = run();
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(
      query_text("select provider, total_cost_usd::text, balance_usd, credit_limit_usd, currency"
                 " from public.usage_latest order by provider"),
      "deepseek|null|37.820000|null|USD|\n"
      "moonshot|null|23.714520|null|USD|\n"
      "openrouter|412.091300|62.576850|50.000000|USD|\n");
  // Two endpoints of one model on one day are one row; OpenRouter's billed cost, exactly.
  EXPECT_EQ(
      query_text(
          "select date, model, calls, input_tokens, output_tokens, cost_usd from public.usage_daily"
          " where provider = 'openrouter' order by date, model"),
      "2026-11-19|gpt-4.1-mini|1|10|5|0.010000|\n"
      "2026-11-20|claude-sonnet-4-5|222|885120|51477|3.912080|\n"
      "2026-11-20|gpt-4.1-mini|96|301442|42019|0.188440|\n");
  EXPECT_EQ(query_text("select date, cost_usd, source from public.cost_daily where provider = "
                       "'openrouter' order by date"),
            "2026-11-19|0.010000|api|\n2026-11-20|4.100520|api|\n");
  EXPECT_EQ(log_of("openrouter"), "ok||\n");
  // The keys went to the provider, and nowhere else.
  bool saw_key = false;
  for (const auto& req : fake_.requests())
    if (req.headers.count("authorization") && req.headers.at("authorization") == "Bearer " + or_key)
      saw_key = true;
  EXPECT_TRUE(saw_key);
  const std::string stored = everything_stored() + r.out + r.err;
  for (const auto& canary : {or_key, or_management, ds_key, ms_key, std::string("CANARY")})
    EXPECT_EQ(stored.find(canary), std::string::npos) << canary;
  EXPECT_EQ(stored.find("sk-or-v1-7c2"), std::string::npos)
      << "the masked key label is not stored either";
}

TEST_F(api_providers_test, a_rejected_key_fails_that_provider_only_and_says_what_to_check) {
  fake_.on("/openrouter/key",
           {{401, R"({"error":{"code":401,"message":"No auth credentials found"}})"}});
  const auto r = run();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(log_of("openrouter"),
            "auth_failed|OpenRouter rejected the credential (401); check OPENROUTER_API_KEY|\n");
  EXPECT_EQ(query_text("select count(*) from public.usage_snapshots where provider = 'openrouter'"),
            "0|\n");
  EXPECT_EQ(log_of("deepseek"), "ok||\n");
  EXPECT_EQ(log_of("moonshot"), "ok||\n");
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["providers"][0]["status"], "auth_failed");
  EXPECT_EQ(everything_stored().find("CANARY"), std::string::npos);
}

TEST_F(api_providers_test, a_key_that_is_not_a_management_key_keeps_the_key_data_and_says_so) {
  fake_.on(
      "/openrouter/credits",
      {{403,
        R"({"error":{"code":403,"message":"Only management keys can perform this operation"}})"}});
  const auto r = run();
  EXPECT_EQ(r.exit_code, 1);
  const std::string log = log_of("openrouter");
  EXPECT_EQ(log.rfind("partial|OpenRouter refused the request (403)", 0), 0u) << log;
  EXPECT_NE(log.find("OPENROUTER_MANAGEMENT_KEY"), std::string::npos) << log;
  EXPECT_EQ(query_text("select total_cost_usd, balance_usd from public.usage_latest where provider "
                       "= 'openrouter'"),
            "412.091300|null|\n");
  EXPECT_EQ(query_text("select count(*) from public.usage_daily where provider = 'openrouter'"),
            "0|\n");
}

TEST_F(api_providers_test, rate_limits_and_server_errors_are_retried_honouring_retry_after) {
  fake_.on(
      "/openrouter/key",
      {{429, R"({"error":{"code":429,"message":"Rate limit exceeded"}})", {{"Retry-After", "0"}}},
       {500, "oops"},
       {200, key_body}});
  const auto r = run();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(log_of("openrouter"), "ok||\n");
  int key_calls = 0;
  for (const auto& req : fake_.requests()) key_calls += req.path == "/openrouter/key";
  EXPECT_EQ(key_calls, 3);
}

TEST_F(api_providers_test, a_provider_that_keeps_failing_gives_up_after_three_attempts) {
  fake_.on("/deepseek/user/balance", {{503, R"({"error":"Server Overloaded"})"}});
  fake_.on("/moonshot/v1/users/me/balance",
           {{429, R"({"error":{"message":"slow down"}})", {{"Retry-After", "0"}}}});
  const auto r = run();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(log_of("deepseek"),
            "http_error|DeepSeek failed on its side (503) after 3 attempts; it will be tried again "
            "next run|\n");
  EXPECT_EQ(log_of("moonshot"),
            "http_error|Moonshot is rate limiting us (429) after 3 attempts; it will be tried "
            "again next run|\n");
  EXPECT_EQ(log_of("openrouter"), "ok||\n");
}

TEST_F(api_providers_test, a_wrong_base_url_is_a_404_that_says_so) {
  fake_.on("/deepseek/user/balance", {{404, R"({"error":"not found"})"}});
  run();
  EXPECT_EQ(log_of("deepseek"),
            "http_error|DeepSeek answered 404: the endpoint or base URL is wrong|\n");
}

TEST_F(api_providers_test, malformed_json_stores_nothing_for_that_provider) {
  fake_.on("/openrouter/activity",
           {{200, R"({"data":[{"date":"2026-11-20","model":"x","usage":)"}});
  fake_.on("/deepseek/user/balance", {{200, "<html>maintenance</html>"}});
  const auto r = run();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(
      log_of("openrouter"),
      "parse_error|OpenRouter sent a /activity response we could not read; nothing was stored|\n");
  EXPECT_EQ(log_of("deepseek"),
            "parse_error|DeepSeek sent a balance we could not read; nothing was stored|\n");
  EXPECT_EQ(query_text("select provider from public.usage_snapshots order by provider"),
            "moonshot|\n");
  EXPECT_EQ(query_text("select count(*) from public.usage_daily"), "0|\n");
}

TEST_F(api_providers_test, an_empty_activity_page_is_no_rows_not_an_error) {
  fake_.on("/openrouter/activity", {{200, R"({"data":[]})"}});
  ASSERT_EQ(run().exit_code, 0);
  EXPECT_EQ(log_of("openrouter"), "ok||\n");
  EXPECT_EQ(query_text("select count(*) from public.usage_daily"), "0|\n");
}

TEST_F(api_providers_test, a_timeout_and_a_refused_connection_are_reported_and_retried_next_run) {
  fake_.on("/moonshot/v1/users/me/balance", {{200, moonshot_body, {}, 1500}});
  // A port nothing listens on: bind one, then close it.
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len);
  const std::string closed = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  ::close(s);
  const auto r = run({{"COSTS_HTTP_TIMEOUT_MS", "300"}, {"COSTS_DEEPSEEK_BASE_URL", closed}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(
      log_of("moonshot"),
      "http_error|Moonshot could not be reached (timed out); it will be tried again next run|\n");
  const std::string deepseek = log_of("deepseek");
  EXPECT_EQ(deepseek.rfind("http_error|DeepSeek could not be reached (", 0), 0u) << deepseek;
  EXPECT_EQ(log_of("openrouter"), "ok||\n");
}

TEST_F(api_providers_test, a_balance_in_yuan_is_kept_in_yuan_never_shown_as_dollars) {
  fake_.on(
      "/deepseek/user/balance",
      {{200,
        R"({"is_available":true,"balance_infos":[{"currency":"CNY","total_balance":"110.00","granted_balance":"10.00","topped_up_balance":"100.00"}]})"}});
  ASSERT_EQ(run().exit_code, 0);
  EXPECT_EQ(query_text("select currency, balance_usd, units->>'balance' from public.usage_latest"
                       " where provider = 'deepseek'"),
            "CNY|null|110.000000|\n");
}

TEST(api_providers_cli_test, providers_lists_where_credentials_were_found_never_their_values) {
  costs::test::temp_home home;
  home.write(".openclaw/credentials/deepseek-api-key", ds_key + "\n");
  const auto r = costs::test::run_process({COSTS_SYNC_PATH, "providers", "--json"},
                                          {{"HOME", home.path().string()},
                                           {"OPENROUTER_API_KEY", or_key},
                                           {"OPENROUTER_MANAGEMENT_KEY", ""},
                                           {"MOONSHOT_API_KEY", ""},
                                           {"DEEPSEEK_API_KEY", ""}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto list = nlohmann::json::parse(r.out);
  ASSERT_EQ(list.size(), 14u);
  std::map<std::string, nlohmann::json> by_key;
  for (const auto& p : list) by_key[p["provider"]] = p;
  EXPECT_TRUE(by_key["openrouter"]["configured"].get<bool>());
  EXPECT_NE(by_key["openrouter"]["reason"].get<std::string>().find("OPENROUTER_API_KEY"),
            std::string::npos);
  EXPECT_TRUE(by_key["deepseek"]["configured"].get<bool>());
  EXPECT_EQ(by_key["deepseek"]["reason"], "~/.openclaw/credentials/deepseek-api-key found");
  EXPECT_FALSE(by_key["moonshot"]["configured"].get<bool>());
  EXPECT_EQ(r.out.find("CANARY"), std::string::npos);
  EXPECT_EQ(r.err.find("CANARY"), std::string::npos);
}

}  // namespace
