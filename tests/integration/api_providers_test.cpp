// Provider billing APIs end to end: costs-sync run against a fake provider server (the real
// HTTP client, real retries) writing into a real database. Keys are canaries that must never
// show up anywhere but in the requests.
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "costs/calendar.hpp"
#include "costs/sync_run.hpp"
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
const std::string anthropic_key = "sk-ant-admin01-CANARY-ANT-9d0e";
const std::string openai_key = "sk-admin-CANARY-OAI-3c4b";

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

// What the OpenRouter, DeepSeek and Moonshot fixtures above must leave in usage_latest.
const std::string fixture_balances =
    "deepseek|null|37.820000|null|USD|\n"
    "moonshot|null|23.714520|null|USD|\n"
    "openrouter|412.091300|62.576850|50.000000|USD|\n";

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

  std::map<std::string, std::string> environment(std::map<std::string, std::string> extra) {
    std::map<std::string, std::string> env = {
        {"HOME", home_.path().string()},
        {"COSTS_HOME", (home_.path() / "costs").string()},
        {"COSTS_TARGET", ""},
        {"XDG_CONFIG_HOME", ""},
        {"COSTS_CONFIG", ""},
        {"OPENROUTER_API_KEY", or_key},
        {"OPENROUTER_MANAGEMENT_KEY", or_management},
        {"DEEPSEEK_API_KEY", ds_key},
        {"MOONSHOT_API_KEY", ms_key},
        {"COSTS_OPENROUTER_BASE_URL", fake_.base() + "/openrouter"},
        {"COSTS_DEEPSEEK_BASE_URL", fake_.base() + "/deepseek"},
        {"COSTS_MOONSHOT_BASE_URL", fake_.base() + "/moonshot"},
        {"ANTHROPIC_ADMIN_KEY", anthropic_key},
        {"OPENAI_ADMIN_KEY", openai_key},
        {"COSTS_ANTHROPIC_API_BASE_URL", fake_.base() + "/anthropic"},
        {"COSTS_OPENAI_API_BASE_URL", fake_.base() + "/openai/v1"},
        {"ELEVENLABS_API_KEY", "CANARY-ELEVEN-1f"},
        {"X_BEARER_TOKEN", "CANARY-X-2e"},
        {"BRAVE_API_KEY", "CANARY-BRAVE-3d"},
        {"COSTS_ELEVENLABS_BASE_URL", fake_.base() + "/eleven"},
        {"COSTS_X_API_BASE_URL", fake_.base() + "/x"},
        {"COSTS_BRAVE_BASE_URL", fake_.base() + "/brave"},
        {"AZURE_TENANT_ID", "tenant-1"},
        {"AZURE_CLIENT_ID", "client-1"},
        {"AZURE_CLIENT_SECRET", "CANARY-AZURE-SECRET-8f"},
        {"AZURE_COST_SCOPE", "/subscriptions/sub-1"},
        {"COSTS_AZURE_LOGIN_BASE_URL", fake_.base() + "/login"},
        {"COSTS_AZURE_BASE_URL", fake_.base() + "/azure"},
        {"COSTS_HTTP_BACKOFF_MS", "1"},
        {"COSTS_HTTP_TIMEOUT_MS", "2000"}};
    for (auto& [k, v] : extra) env[k] = v;
    return env;
  }

  costs::test::process_result run(std::map<std::string, std::string> extra = {}) {
    const auto env = environment(std::move(extra));
    std::vector<std::string> argv = {COSTS_SYNC_PATH, "run", "--target", db_.url(), "--json"};
    for (const auto& p : providers_) {
      argv.push_back("--provider");
      argv.push_back(p);
    }
    return costs::test::run_process(argv, env);
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

  // Every balance stored, one provider a line.
  std::string balances_stored() {
    return query_text(
        "select provider, total_cost_usd::text, balance_usd, credit_limit_usd, currency"
        " from public.usage_latest where balance_usd is not null order by provider");
  }

  std::string log_of(const std::string& provider) {
    return query_text(
        "select status, coalesce(error, '') from public.cost_sync_log where provider = '" +
        provider + "'");
  }

  std::vector<std::string> providers_ = {"openrouter", "deepseek", "moonshot"};
  costs::test::temp_home home_;
  test_database db_;
  fake_http_server fake_;
};

// Every object of `body` with its members in reverse order, at every depth: a reader that needs
// one member before another (a bucket's day before its results, columns before rows) fails here.
std::string reversed_members(const std::string& body) {
  std::function<nlohmann::ordered_json(const nlohmann::ordered_json&)> flip =
      [&](const nlohmann::ordered_json& j) -> nlohmann::ordered_json {
    if (j.is_array()) {
      nlohmann::ordered_json out = nlohmann::ordered_json::array();
      for (const auto& e : j) out.push_back(flip(e));
      return out;
    }
    if (!j.is_object()) return j;
    std::vector<std::pair<std::string, nlohmann::ordered_json>> members;
    for (auto it = j.begin(); it != j.end(); ++it) members.emplace_back(it.key(), flip(it.value()));
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (auto it = members.rbegin(); it != members.rend(); ++it) out[it->first] = it->second;
    return out;
  };
  // Numbers keep their text: amounts are read from it, never through a double.
  return flip(nlohmann::ordered_json::parse(body)).dump();
}

TEST_F(api_providers_test, fills_snapshots_and_daily_rows_with_the_numbers_the_fixtures_imply) {
  const auto r = run();
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(balances_stored(), fixture_balances);
  // Two endpoints of one model on one day are one row; OpenRouter's billed cost, exactly.
  EXPECT_EQ(
      query_text(
          "select date, model, calls, input_tokens, output_tokens, cost_usd from public.usage_daily"
          " where provider = 'openrouter' order by date, model"),
      "2026-11-19|gpt-4.1-mini|1|10|5|0.010000|\n"
      "2026-11-20|claude-sonnet-4-5|222|885120|51477|3.912080|\n"
      "2026-11-20|gpt-4.1-mini|96|301442|42019|0.188440|\n");
  // /activity holds completed days only; today is /key's usage_daily, OpenRouter's own figure,
  // so Today, Burn and Runway see it.
  const std::string today = costs::utc_day(costs::now()).to_string();
  EXPECT_EQ(query_text("select date, cost_usd, source from public.cost_daily where provider = "
                       "'openrouter' order by date"),
            "2026-11-19|0.010000|api|\n2026-11-20|4.100520|api|\n" + today + "|1.273100|api|\n");
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
  EXPECT_EQ(
      query_text("select date, cost_usd from public.cost_daily where provider = 'openrouter'"),
      costs::utc_day(costs::now()).to_string() + "|1.273100|\n")
      << "without a management key, today's spend still comes from /key";
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

TEST_F(api_providers_test, providers_are_collected_at_once_not_one_after_another) {
  // Each answers after 600 ms. One after another, each would start after the last finished;
  // at once, every provider starts before any finishes.
  fake_.on("/openrouter/key", {{200, key_body, {}, 600}});
  fake_.on("/deepseek/user/balance", {{200, deepseek_body, {}, 600}});
  fake_.on("/moonshot/v1/users/me/balance", {{200, moonshot_body, {}, 600}});
  ASSERT_EQ(run().exit_code, 0);
  EXPECT_EQ(query_text("select count(*), max(started_at) < min(finished_at)"
                       " from public.cost_sync_log where status = 'ok'"),
            "3|t|\n");
  EXPECT_EQ(balances_stored(), fixture_balances);
}

TEST_F(api_providers_test, a_provider_past_its_deadline_fails_alone_and_says_so) {
  fake_.on("/moonshot/v1/users/me/balance", {{200, moonshot_body, {}, 8000}});
  const auto r =
      run({{"COSTS_PROVIDER_DEADLINE_SECONDS", "1"}, {"COSTS_HTTP_TIMEOUT_MS", "30000"}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(log_of("moonshot"),
            "http_error|Moonshot could not be reached (the run's 1 s for this provider ran out); "
            "it will be tried again next run|\n");
  EXPECT_EQ(log_of("openrouter"), "ok||\n");
  EXPECT_EQ(log_of("deepseek"), "ok||\n");
  EXPECT_EQ(r.out.find(ms_key), std::string::npos);
  const auto bad = run({{"COSTS_PROVIDER_DEADLINE_SECONDS", "soon"}});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("COSTS_PROVIDER_DEADLINE_SECONDS must be a whole number of seconds"),
            std::string::npos)
      << bad.err;
}

TEST_F(api_providers_test, another_program_runs_a_sync_through_the_library_and_reads_its_report) {
  for (const auto& [k, v] : environment({}))
    v.empty() ? ::unsetenv(k.c_str()) : ::setenv(k.c_str(), v.c_str(), 1);
  costs::sync_options options;
  options.target = db_.url();
  options.providers = {"openrouter", "deepseek", "moonshot", "brave"};
  options.api_only = true;
  std::vector<std::string> seen;
  options.on_notice = [&](std::string_view line) { seen.emplace_back(line); };
  const costs::run_report report = costs::sync_run(options);
  ASSERT_FALSE(report.write_failure) << report.write_failure->what();
  ASSERT_EQ(report.providers.size(), 4u);
  for (const auto& p : report.providers) {
    if (p.key == "brave") {
      EXPECT_EQ(p.status, "http_error") << p.detail;  // no fake route: 404 from the fake
    } else {
      EXPECT_EQ(p.status, "ok") << p.key << ": " << p.detail;
    }
  }
  EXPECT_EQ(report.collected(), 3u);
  EXPECT_EQ(report.failed(), 1u);
  EXPECT_EQ(report.written.snapshots, 3);
  EXPECT_EQ(report.written.log, 4);
  EXPECT_FALSE(report.run_id.empty());
  EXPECT_EQ(seen, report.notices);
  EXPECT_EQ(balances_stored(), fixture_balances);
  // Both kinds at once is a broken contract, said before anything runs.
  options.local_only = true;
  EXPECT_THROW(costs::sync_run(options), costs::config_error);
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

// The reference's usage and cost report bodies (providers.md 2.1, 2.2), split over two pages.
const std::string anthropic_usage_1 =
    R"({"data":[{"starting_at":"2026-11-20T00:00:00Z","ending_at":"2026-11-21T00:00:00Z","results":[
  {"uncached_input_tokens":1843210,"cache_creation":{"ephemeral_1h_input_tokens":0,"ephemeral_5m_input_tokens":212400},
   "cache_read_input_tokens":5021930,"output_tokens":301877,"server_tool_use":{"web_search_requests":14},
   "api_key_id":null,"workspace_id":null,"model":"claude-sonnet-4-5-20250929","service_tier":null,"context_window":null}]}],
 "has_more":true,"next_page":"page_2"})";
const std::string anthropic_usage_2 =
    R"({"data":[{"starting_at":"2026-11-21T00:00:00Z","ending_at":"2026-11-22T00:00:00Z","results":[
  {"uncached_input_tokens":220481,"cache_creation":{"ephemeral_1h_input_tokens":0,"ephemeral_5m_input_tokens":0},
   "cache_read_input_tokens":0,"output_tokens":41007,"server_tool_use":{"web_search_requests":0},
   "api_key_id":null,"workspace_id":null,"model":"claude-haiku-4-5-20251001","service_tier":null,"context_window":null}]}],
 "has_more":false,"next_page":null})";
const std::string anthropic_cost_1 =
    R"({"data":[{"starting_at":"2026-11-20T00:00:00Z","ending_at":"2026-11-21T00:00:00Z","results":[
  {"amount":"552.9630","currency":"USD","cost_type":"tokens","description":"Claude Sonnet 4.5 Usage - Input Tokens",
   "model":"claude-sonnet-4-5-20250929","service_tier":"standard","token_type":"uncached_input_tokens","context_window":"0-200k","workspace_id":null},
  {"amount":"452.8155","currency":"USD","cost_type":"tokens","description":"Claude Sonnet 4.5 Usage - Output Tokens",
   "model":"claude-sonnet-4-5-20250929","service_tier":"standard","token_type":"output_tokens","context_window":"0-200k","workspace_id":null},
  {"amount":"14.0000","currency":"USD","cost_type":"web_search","description":"Web Search Usage","model":null,
   "service_tier":null,"token_type":null,"context_window":null,"workspace_id":null}]}],
 "has_more":true,"next_page":"page_MjAyNi0xMS0yMVQwMDowMDowMFo="})";
const std::string anthropic_cost_2 =
    R"({"data":[{"starting_at":"2026-11-21T00:00:00Z","ending_at":"2026-11-22T00:00:00Z","results":[
  {"amount":"100.5","currency":"USD","cost_type":"tokens","description":"Claude Haiku 4.5 Usage - Output Tokens",
   "model":"claude-haiku-4-5-20251001","service_tier":"standard","token_type":"output_tokens","context_window":"0-200k","workspace_id":null}]}],
 "has_more":false,"next_page":null})";
// providers.md 3.1-3.3, the usage report over two pages.
const std::string openai_costs = R"({"object":"page","data":[
 {"object":"bucket","start_time":1763596800,"end_time":1763683200,"results":[
  {"object":"organization.costs.result","amount":{"value":4.1873,"currency":"usd"},"line_item":null,"project_id":"proj_Jq2v7XcA9LmN3pQr","api_key_id":null,"quantity":null,"quantity_unit":null},
  {"object":"organization.costs.result","amount":{"value":0.62,"currency":"usd"},"line_item":null,"project_id":"proj_8ZtYw4RkB1sD6fGh","api_key_id":null,"quantity":null,"quantity_unit":null}]}],
 "has_more":false,"next_page":null})";
const std::string openai_usage_1 = R"({"object":"page","data":[
 {"object":"bucket","start_time":1763596800,"end_time":1763683200,"results":[
  {"object":"organization.usage.completions.result","input_tokens":1250400,"input_cached_tokens":640000,
   "input_cache_write_tokens":0,"input_uncached_tokens":610400,"output_tokens":98311,"input_audio_tokens":0,
   "output_audio_tokens":0,"num_model_requests":1342,"project_id":null,"user_id":null,"api_key_id":null,
   "model":"gpt-4.1-mini-2025-04-14","batch":null,"service_tier":null}]}],
 "has_more":true,"next_page":"page_AAAAAGkeYgAhkQ2uAAAAAGkeYgA="})";
const std::string openai_usage_2 = R"({"object":"page","data":[
 {"object":"bucket","start_time":1763683200,"end_time":1763769600,"results":[
  {"object":"organization.usage.completions.result","input_tokens":3000,"input_cached_tokens":2000,
   "input_cache_write_tokens":500,"output_tokens":10,"num_model_requests":1,"model":"gpt-5.5"}]}],
 "has_more":false,"next_page":null})";

TEST_F(api_providers_test, admin_reports_are_read_page_by_page_into_billed_daily_rows) {
  providers_ = {"anthropic_api", "openai_api"};
  fake_.on("/anthropic/v1/organizations/usage_report/messages",
           {{200, anthropic_usage_1}, {200, anthropic_usage_2}});
  fake_.on("/anthropic/v1/organizations/cost_report",
           {{200, anthropic_cost_1}, {200, anthropic_cost_2}});
  fake_.on("/openai/v1/organization/costs", {{200, openai_costs}});
  fake_.on("/openai/v1/organization/usage/completions",
           {{200, openai_usage_1}, {200, openai_usage_2}});
  fake_.on(
      "/openai/v1/organization/spend_limit",
      {{200,
        R"({"object":"organization.spend_limit","threshold_amount":150000,"currency":"USD","interval":"month","enforcement":{"status":"enforcing"}})"}});
  const auto r = run();
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  // Cents as decimal strings become dollars exactly: (552.9630 + 452.8155) / 100 = 10.057785.
  EXPECT_EQ(query_text("select date, model, input_tokens, output_tokens, cache_write_tokens, "
                       "cache_read_tokens, calls,"
                       " cost_usd from public.usage_daily where provider = 'anthropic_api' order "
                       "by date, model"),
            // Web search has no model: not by model (''), never a model named after its kind.
            "2026-11-20||0|0|0|0|0|0.140000|\n"
            "2026-11-20|claude-sonnet-4-5|1843210|301877|212400|5021930|0|10.057785|\n"
            "2026-11-21|claude-haiku-4-5|220481|41007|0|0|0|1.005000|\n");
  EXPECT_EQ(query_text("select date, cost_usd, source from public.cost_daily where provider = "
                       "'anthropic_api' order by date"),
            "2026-11-20|10.197785|admin_api|\n2026-11-21|1.005000|admin_api|\n");
  EXPECT_EQ(
      query_text(
          "select date, model, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, "
          "calls,"
          " cost_usd is null from public.usage_daily where provider = 'openai_api' order by date"),
      "2025-11-20|gpt-4.1-mini|610400|640000|0|98311|1342|t|\n"
      "2025-11-21|gpt-5.5|500|2000|500|10|1|t|\n");
  // Costs lag usage: the 21st has tokens and no cost bucket yet, so its cost is unknown (null),
  // its tokens kept.
  EXPECT_EQ(query_text("select date, cost_usd, input_tokens, cache_read_tokens from "
                       "public.cost_daily where provider = 'openai_api' order by date"),
            "2025-11-20|4.807300|610400|640000|\n2025-11-21|null|500|2000|\n");
  EXPECT_EQ(query_text("select provider, total_cost_usd, credit_limit_usd from public.usage_latest "
                       "order by provider"),
            "anthropic_api|11.202785|null|\nopenai_api|4.807300|1500.000000|\n");
  // The second page was asked for with the first page's cursor, escaped.
  std::vector<std::string> paths;
  for (const auto& req : fake_.requests()) paths.push_back(req.path);
  const auto cursor = std::find_if(paths.begin(), paths.end(), [](const std::string& p) {
    return p.find("cost_report") != std::string::npos &&
           p.find("page=page_MjAyNi0xMS0yMVQwMDowMDowMFo%3D") != std::string::npos;
  });
  EXPECT_NE(cursor, paths.end());
  bool saw_admin_header = false;
  for (const auto& req : fake_.requests())
    if (req.headers.count("x-api-key") && req.headers.at("x-api-key") == anthropic_key &&
        req.headers.count("anthropic-version"))
      saw_admin_header = true;
  EXPECT_TRUE(saw_admin_header);
  const std::string stored = everything_stored() + r.out + r.err;
  EXPECT_EQ(stored.find("CANARY"), std::string::npos);
}

TEST_F(api_providers_test, admin_reports_read_their_members_in_any_order) {
  providers_ = {"anthropic_api", "openai_api"};
  fake_.on(
      "/anthropic/v1/organizations/usage_report/messages",
      {{200, reversed_members(anthropic_usage_1)}, {200, reversed_members(anthropic_usage_2)}});
  fake_.on("/anthropic/v1/organizations/cost_report",
           {{200, reversed_members(anthropic_cost_1)}, {200, reversed_members(anthropic_cost_2)}});
  fake_.on("/openai/v1/organization/costs", {{200, reversed_members(openai_costs)}});
  fake_.on("/openai/v1/organization/usage/completions",
           {{200, reversed_members(openai_usage_1)}, {200, reversed_members(openai_usage_2)}});
  fake_.on("/openai/v1/organization/spend_limit", {{404, "{}"}});
  ASSERT_NE(reversed_members(anthropic_cost_1).find(R"("results")"), std::string::npos);
  ASSERT_LT(reversed_members(anthropic_cost_1).find(R"("results")"),
            reversed_members(anthropic_cost_1).find(R"("starting_at")"))
      << "the fixture really has results first";
  const auto r = run();
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(query_text("select date, cost_usd, source from public.cost_daily where provider = "
                       "'anthropic_api' order by date"),
            "2026-11-20|10.197785|admin_api|\n2026-11-21|1.005000|admin_api|\n");
  EXPECT_EQ(query_text("select date, model, input_tokens, output_tokens, cache_write_tokens, "
                       "cache_read_tokens, cost_usd from public.usage_daily where provider = "
                       "'anthropic_api' order by date, model"),
            "2026-11-20||0|0|0|0|0.140000|\n"
            "2026-11-20|claude-sonnet-4-5|1843210|301877|212400|5021930|10.057785|\n"
            "2026-11-21|claude-haiku-4-5|220481|41007|0|0|1.005000|\n");
  EXPECT_EQ(query_text("select date, cost_usd, input_tokens, cache_read_tokens from "
                       "public.cost_daily where provider = 'openai_api' order by date"),
            "2025-11-20|4.807300|610400|640000|\n2025-11-21|null|500|2000|\n");
}

TEST_F(api_providers_test, a_bad_second_page_stores_nothing_from_the_first) {
  providers_ = {"anthropic_api"};
  fake_.on("/anthropic/v1/organizations/usage_report/messages",
           {{200, anthropic_usage_1}, {500, "boom"}});
  const auto r = run();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(log_of("anthropic_api"),
            "http_error|Anthropic failed on its side (500) after 3 attempts; it will be tried "
            "again next run|\n");
  EXPECT_EQ(query_text("select count(*) from public.usage_daily"), "0|\n");
  EXPECT_EQ(query_text("select count(*) from public.usage_snapshots"), "0|\n");
}

// providers.md 9-11: units, not money.
const std::string eleven_subscription =
    R"({"tier":"creator","character_count":68214,"character_limit":121000,"next_character_count_reset_unix":1764892800,"currency":"usd","status":"active","next_invoice":{"amount_due_cents":2200}})";
const std::string eleven_stats =
    R"({"time":[1763510400000,1763596800000,1763683200000],"usage":{"eleven_multilingual_v2":[4210,0,1872],"eleven_flash_v2_5":[12033,9120,15510]}})";
const std::string x_usage =
    R"({"data":{"project_id":"1843920113372749824","project_cap":"2000000","project_usage":"184233","cap_reset_day":14,"daily_project_usage":{"project_id":"1843920113372749824","usage":[{"date":"2026-11-20T00:00:00.000Z","usage":"9812"},{"date":"2026-11-21T00:00:00.000Z","usage":11407}]}}})";

TEST_F(api_providers_test, usage_in_units_characters_posts_and_queries_lands_in_the_snapshot) {
  providers_ = {"elevenlabs", "x_api", "brave"};
  fake_.on("/eleven/v1/user/subscription", {{200, eleven_subscription}});
  fake_.on("/eleven/v1/usage/character-stats", {{200, eleven_stats}});
  fake_.on("/x/2/usage/tweets", {{200, x_usage, {{"x-rate-limit-remaining", "49"}}}});
  fake_.on("/brave/res/v1/web/search", {{200,
                                         R"({"type":"search"})",
                                         {{"X-RateLimit-Limit", "50, 15000"},
                                          {"X-RateLimit-Remaining", "49, 14000"},
                                          {"X-RateLimit-Reset", "1, 812400"}}}});
  const auto r = run();
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(query_text(
                "select units->>'characters_used', units->>'characters_limit', units->>'resets_at',"
                " model_breakdown->0->>'model', model_breakdown->0->>'characters'"
                " from public.usage_latest where provider = 'elevenlabs'"),
            "68214|121000|2025-12-05T00:00:00.000000Z|eleven_flash_v2_5|36663|\n");
  EXPECT_EQ(query_text("select units->>'posts_read', units->>'posts_cap', "
                       "units->'posts_read_by_day'->>'2026-11-21'"
                       " from public.usage_latest where provider = 'x_api'"),
            "184233|2000000|11407|\n");
  EXPECT_EQ(
      query_text("select units->>'queries_used', units->>'monthly_limit' from public.usage_latest"
                 " where provider = 'brave'"),
      "1000|15000|\n");
  EXPECT_EQ(query_text("select count(*) from public.usage_latest where total_cost_usd is not null"),
            "0|\n")
      << "no money is invented for providers that report none";
  EXPECT_EQ((everything_stored() + r.out + r.err).find("CANARY"), std::string::npos);
}

TEST_F(api_providers_test, balance_and_usage_readers_take_members_in_any_order) {
  providers_ = {"openrouter", "deepseek", "moonshot", "elevenlabs", "x_api"};
  fake_.on("/openrouter/key", {{200, reversed_members(key_body)}});
  fake_.on("/openrouter/credits", {{200, reversed_members(credits_body)}});
  fake_.on("/openrouter/activity", {{200, reversed_members(activity_body)}});
  fake_.on("/deepseek/user/balance", {{200, reversed_members(deepseek_body)}});
  fake_.on("/moonshot/v1/users/me/balance", {{200, reversed_members(moonshot_body)}});
  fake_.on("/eleven/v1/user/subscription", {{200, reversed_members(eleven_subscription)}});
  fake_.on("/eleven/v1/usage/character-stats", {{200, reversed_members(eleven_stats)}});
  fake_.on("/x/2/usage/tweets", {{200, reversed_members(x_usage)}});
  ASSERT_LT(reversed_members(eleven_stats).find("usage"),
            reversed_members(eleven_stats).find("time"));
  const auto r = run();
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(balances_stored(), fixture_balances);
  EXPECT_EQ(query_text("select date, cost_usd from public.cost_daily where provider = 'openrouter' "
                       "and date < '2026-12-01' order by date"),
            "2026-11-19|0.010000|\n2026-11-20|4.100520|\n");
  EXPECT_EQ(query_text("select model_breakdown->0->>'model', model_breakdown->0->>'characters' "
                       "from public.usage_latest where provider = 'elevenlabs'"),
            "eleven_flash_v2_5|36663|\n");
  EXPECT_EQ(query_text("select units->>'posts_read', units->'posts_read_by_day'->>'2026-11-21' "
                       "from public.usage_latest where provider = 'x_api'"),
            "184233|11407|\n");
}

// X's Enterprise answer (providers.md 9, [X-ENT]): no project totals, and daily_project_usage an
// array of days, each with its apps' tweets_consumed.
TEST_F(api_providers_test, x_enterprise_usage_is_read_from_its_daily_array) {
  providers_ = {"x_api"};
  fake_.on(
      "/x/2/usage/tweets",
      {{200,
        R"({"data":{"daily_project_usage":[)"
        R"({"date":"2026-11-20T00:00:00.000Z","usage":[{"app_id":"29811734","tweets_consumed":"9812"},)"
        R"({"app_id":"1","tweets_consumed":10}]},)"
        R"({"date":"2026-11-21T00:00:00.000Z","usage":[{"app_id":"29811734","tweets_consumed":"11407"}]}]}})"}});
  const auto r = run();
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(query_text("select units->>'posts_read', units->>'posts_read_basis', "
                       "units->'posts_read_by_day'->>'2026-11-20', units->'posts_cap' "
                       "from public.usage_latest where provider = 'x_api'"),
            "21229|sum of daily usage|9822|null|\n");
}

// Moonshot says a refused key in the body ({"code":401,"scode":"unauthorized"}), and other
// balance APIs with 401 or 403: each is "key refused, check <variable>", never "unreadable".
TEST_F(api_providers_test, a_key_refused_in_the_body_or_with_403_says_which_variable_to_check) {
  fake_.on(
      "/moonshot/v1/users/me/balance",
      {{200,
        R"({"code":401,"error":"Invalid Authentication","scode":"unauthorized","status":false})"}});
  fake_.on(
      "/deepseek/user/balance",
      {{403, R"({"error":{"message":"Authentication Fails","type":"authentication_error"}})"}});
  const auto r = run();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(
      log_of("moonshot"),
      "auth_failed|Moonshot refused the key (code 401, unauthorized); check MOONSHOT_API_KEY|\n");
  EXPECT_EQ(log_of("deepseek").rfind("auth_failed|DeepSeek refused the request (403)", 0), 0u)
      << log_of("deepseek");
  EXPECT_NE(log_of("deepseek").find("DEEPSEEK_API_KEY"), std::string::npos);
  EXPECT_EQ(log_of("openrouter"), "ok||\n") << "one refused key stops no other provider";
}

TEST_F(api_providers_test, azure_daily_cost_by_service_follows_next_links_without_double_counting) {
  providers_ = {"azure"};
  fake_.on(
      "/login/tenant-1/oauth2/v2.0/token",
      {{200,
        R"({"token_type":"Bearer","expires_in":3599,"access_token":"CANARY-AZURE-TOKEN-77"})"}});
  // Columns in an unusual order, to prove they are found by name; page 2 repeats a row of page 1.
  fake_.on(
      "/azure/subscriptions/sub-1/providers/Microsoft.CostManagement/query",
      {{200,
        R"({"id":"q","name":"q","type":"microsoft.costmanagement/Query","properties":{"nextLink":")" +
            fake_.base() +
            R"(/azure/next?$skiptoken=abc","columns":[{"name":"UsageDate","type":"Number"},{"name":"Cost","type":"Number"},{"name":"ServiceName","type":"String"},{"name":"Currency","type":"String"}],"rows":[[20261120,12.4418,"Azure OpenAI","USD"],[20261120,3.0067,"Storage","USD"]]}})"}});
  fake_.on(
      "/azure/next",
      {{200,
        R"({"properties":{"nextLink":null,"columns":[{"name":"Cost","type":"Number"},{"name":"UsageDate","type":"Number"},{"name":"ServiceName","type":"String"},{"name":"Currency","type":"String"}],"rows":[[3.0067,20261120,"Storage","USD"],[13.9052,20261121,"Azure OpenAI","USD"]]}})"}});
  const auto r = run();
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(query_text("select date, model, cost_usd from public.usage_daily where provider = "
                       "'azure' order by date, model"),
            "2026-11-20|Azure OpenAI|12.441800|\n2026-11-20|Storage|3.006700|\n2026-11-21|Azure "
            "OpenAI|13.905200|\n");
  EXPECT_EQ(
      query_text(
          "select date, cost_usd from public.cost_daily where provider = 'azure' order by date"),
      "2026-11-20|15.448500|\n2026-11-21|13.905200|\n");
  EXPECT_EQ(query_text("select total_cost_usd from public.usage_latest where provider = 'azure'"),
            "29.353700|\n");
  std::string methods;
  for (const auto& req : fake_.requests()) {
    methods += req.method + " ";
    if (req.path.rfind("/azure", 0) == 0) {
      EXPECT_EQ(req.headers.at("authorization"), "Bearer CANARY-AZURE-TOKEN-77");
      // The query asks by service and resource group, so /api/costs/azure can show both.
      const auto grouping = nlohmann::json::parse(req.body)["dataset"]["grouping"];
      EXPECT_EQ(grouping.dump(), R"([{"name":"ServiceName","type":"Dimension"},)"
                                 R"({"name":"ResourceGroupName","type":"Dimension"}])");
    }
  }
  EXPECT_EQ(methods, "POST POST POST ");
  EXPECT_EQ((everything_stored() + r.out + r.err).find("CANARY"), std::string::npos);
}

TEST_F(api_providers_test,
       an_azure_secret_that_is_refused_is_an_auth_failure_naming_the_variables) {
  providers_ = {"azure"};
  fake_.on(
      "/login/tenant-1/oauth2/v2.0/token",
      {{401,
        R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."})"}});
  const auto r = run();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(
      log_of("azure"),
      "auth_failed|Azure rejected the credential (401); check AZURE_TENANT_ID, AZURE_CLIENT_ID and "
      "AZURE_CLIENT_SECRET|\n");
}

// A service account key made for the test, so the JWT's signature can be checked.
struct test_key {
  test_key() : key(EVP_RSA_gen(2048), &EVP_PKEY_free) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    pem.assign(data, static_cast<std::size_t>(n));
  }
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key;
  std::string pem;
};

std::string base64url_decode(std::string s) {
  for (char& c : s) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (s.size() % 4) s += '=';
  std::string out(s.size(), '\0');
  const int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  out.resize(static_cast<std::size_t>(n) -
             static_cast<std::size_t>(std::count(s.end() - 2, s.end(), '=')));
  return out;
}

// Grouped by service and resource group (as the spec's SubscriptionQueryGrouping example), with
// rows before columns: rows that share a day and service add up and keep their resource group;
// a row a later page repeats (in another column order) counts once.
TEST_F(api_providers_test, azure_rows_that_share_a_day_and_service_add_up_in_any_member_order) {
  providers_ = {"azure"};
  fake_.on(
      "/login/tenant-1/oauth2/v2.0/token",
      {{200,
        R"({"token_type":"Bearer","expires_in":3599,"access_token":"CANARY-AZURE-TOKEN-78"})"}});
  const std::string query = "/azure/subscriptions/sub-1/providers/Microsoft.CostManagement/query";
  fake_.on(
      query,
      {{200,
        R"({"properties":{"rows":[[20261120,5.0,"rg-api","Azure OpenAI","USD"],)"
        R"([20261120,2.5,"rg-batch","Azure OpenAI","USD"],[20261121,1.25,"rg-api","Storage","USD"]],)"
        R"("columns":[{"name":"UsageDate","type":"Number"},{"name":"PreTaxCost","type":"Number"},)"
        R"({"name":"ResourceGroup","type":"String"},{"name":"ServiceName","type":"String"},)"
        R"({"name":"Currency","type":"String"}],"nextLink":")" +
            fake_.base() +
            R"(/azure/next2?$skiptoken=x"},"type":"microsoft.costmanagement/Query"})"}});
  fake_.on(
      "/azure/next2",
      {{200,
        R"({"properties":{"nextLink":null,"rows":[["Storage",1.25,"USD","rg-api",20261121],)"
        R"(["Azure OpenAI",4.0,"USD","rg-api",20261121]],"columns":[{"name":"ServiceName"},)"
        R"({"name":"PreTaxCost"},{"name":"Currency"},{"name":"ResourceGroup"},{"name":"UsageDate"}]}})"}});
  auto r = run();
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(query_text("select date, model, project, cost_usd from public.usage_daily where "
                       "provider = 'azure' order by date, model, project"),
            "2026-11-20|Azure OpenAI|rg-api|5.000000|\n"
            "2026-11-20|Azure OpenAI|rg-batch|2.500000|\n"
            "2026-11-21|Azure OpenAI|rg-api|4.000000|\n"
            "2026-11-21|Storage|rg-api|1.250000|\n");
  EXPECT_EQ(query_text("select date, cost_usd from public.cost_daily where provider = 'azure' "
                       "order by date"),
            "2026-11-20|7.500000|\n2026-11-21|5.250000|\n");
  EXPECT_EQ(query_text("select total_cost_usd from public.usage_latest where provider = 'azure'"),
            "12.750000|\n");

  // Grouped by resource group alone: no service column, so every row of a day must add up.
  fake_.on(query,
           {{200, R"({"properties":{"nextLink":null,"columns":[{"name":"Cost"},)"
                  R"({"name":"UsageDate"},{"name":"ResourceGroupName"},{"name":"Currency"}],)"
                  R"("rows":[[3.0,20261122,"rg-a","USD"],[4.0,20261122,"rg-b","USD"]]}})"}});
  r = run();
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(query_text("select cost_usd from public.cost_daily where provider = 'azure' and "
                       "date = '2026-11-22'"),
            "7.000000|\n");
  EXPECT_EQ(query_text("select model, project, cost_usd from public.usage_daily where provider = "
                       "'azure' and date = '2026-11-22' order by project"),
            "|rg-a|3.000000|\n|rg-b|4.000000|\n");
}

TEST_F(api_providers_test, gcp_billing_signs_a_token_request_and_reads_every_bigquery_page) {
  providers_ = {"gcp_billing"};
  const test_key key;
  const nlohmann::json account = {{"type", "service_account"},
                                  {"project_id", "acme-ai"},
                                  {"client_email", "costs@acme-ai.iam.gserviceaccount.com"},
                                  {"private_key", key.pem},
                                  {"token_uri", fake_.base() + "/gtoken"}};
  home_.write("sa.json", account.dump());
  // The token and the second page come with their members reversed: the readers take any order.
  fake_.on(
      "/gtoken",
      {{200,
        reversed_members(
            R"({"access_token":"CANARY-GCP-TOKEN-5a","expires_in":3599,"token_type":"Bearer"})")}});
  fake_.on(
      "/bq/bigquery/v2/projects/billing-proj/queries",
      {{200,
        R"({"kind":"bigquery#queryResponse","jobComplete":true,"totalRows":"3","pageToken":"p2","jobReference":{"projectId":"billing-proj","jobId":"job_1"},
                     "rows":[{"f":[{"v":"2026-11-20"},{"v":"Gemini API"},{"v":"4.125"},{"v":"USD"}]},{"f":[{"v":"2026-11-20"},{"v":"Vertex AI"},{"v":"0.5"},{"v":"USD"}]}]})"}});
  fake_.on(
      "/bq/bigquery/v2/projects/billing-proj/queries/job_1",
      {{200,
        reversed_members(
            R"({"kind":"bigquery#getQueryResultsResponse","jobComplete":true,"rows":[{"f":[{"v":"2026-11-21"},{"v":"Gemini API"},{"v":"1.000001"},{"v":"USD"}]}]})")}});
  const auto r =
      run({{"GOOGLE_APPLICATION_CREDENTIALS", (home_.path() / "sa.json").string()},
           {"COSTS_GCP_BILLING_TABLE", "billing-proj.billing.gcp_billing_export_v1_01AB23"},
           {"COSTS_GCP_BILLING_BASE_URL", fake_.base() + "/bq"}});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(query_text("select date, model, cost_usd from public.usage_daily where provider = "
                       "'gcp_billing' order by date, model"),
            "2026-11-20|Gemini API|4.125000|\n2026-11-20|Vertex AI|0.500000|\n2026-11-21|Gemini "
            "API|1.000001|\n");
  EXPECT_EQ(
      query_text("select total_cost_usd from public.usage_latest where provider = 'gcp_billing'"),
      "5.625001|\n");
  // The token request carried a JWT signed by the account's key, for BigQuery read access.
  std::string assertion;
  for (const auto& req : fake_.requests())
    if (req.path == "/gtoken") assertion = req.body.substr(req.body.find("assertion=") + 10);
  ASSERT_EQ(std::count(assertion.begin(), assertion.end(), '.'), 2) << assertion;
  const auto dot1 = assertion.find('.'), dot2 = assertion.rfind('.');
  const auto claims =
      nlohmann::json::parse(base64url_decode(assertion.substr(dot1 + 1, dot2 - dot1 - 1)));
  EXPECT_EQ(claims["iss"], "costs@acme-ai.iam.gserviceaccount.com");
  EXPECT_EQ(claims["aud"], fake_.base() + "/gtoken");
  EXPECT_EQ(claims["scope"], "https://www.googleapis.com/auth/bigquery.readonly");
  const std::string signed_part = assertion.substr(0, dot2);
  const std::string signature = base64url_decode(assertion.substr(dot2 + 1));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> verify(EVP_MD_CTX_new(),
                                                                 &EVP_MD_CTX_free);
  ASSERT_EQ(EVP_DigestVerifyInit(verify.get(), nullptr, EVP_sha256(), nullptr, key.key.get()), 1);
  EXPECT_EQ(
      EVP_DigestVerify(verify.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(signed_part.data()),
                       signed_part.size()),
      1);
  for (const auto& req : fake_.requests())
    if (req.path.rfind("/bq", 0) == 0) {
      EXPECT_EQ(req.headers.at("authorization"), "Bearer CANARY-GCP-TOKEN-5a");
    }
  const std::string stored = everything_stored() + r.out + r.err;
  EXPECT_EQ(stored.find("CANARY"), std::string::npos);
  EXPECT_EQ(stored.find("PRIVATE KEY"), std::string::npos);
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
  ASSERT_EQ(list.size(), 15u);
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
