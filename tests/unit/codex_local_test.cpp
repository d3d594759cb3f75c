// Codex rollouts: re-emitted snapshots, forks that replay their parent, archived copies.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "costs/pricing.hpp"
#include "costs/report.hpp"
#include "support/temp_home.hpp"

namespace {

using costs::local_source;
using costs::test::temp_home;
using costs::test::totals;
using nlohmann::json;

const std::string dir = ".codex/sessions/2026/10/14/";

std::string meta(const std::string& id, const std::string& time,
                 const json& extra = json::object()) {
  json payload = {{"id", id},
                  {"timestamp", time},
                  {"cwd", "/home/dev/acme-api"},
                  {"source", "cli"},
                  {"model_provider", "openai"}};
  payload.update(extra);
  return json{{"timestamp", time}, {"type", "session_meta"}, {"payload", payload}}.dump() + "\n";
}

std::string turn(const std::string& model, const std::string& time) {
  return json{{"timestamp", time}, {"type", "turn_context"}, {"payload", {{"model", model}}}}
             .dump() +
         "\n";
}

json usage(std::int64_t in, std::int64_t cached, std::int64_t out, std::int64_t reasoning) {
  return {{"input_tokens", in},
          {"cached_input_tokens", cached},
          {"output_tokens", out},
          {"reasoning_output_tokens", reasoning},
          {"total_tokens", in + out}};
}

std::string token_count(const std::string& time, const json& total, const json& last) {
  json info = json::object();
  if (!total.is_null()) info["total_token_usage"] = total;
  if (!last.is_null()) info["last_token_usage"] = last;
  return json{{"timestamp", time},
              {"type", "event_msg"},
              {"payload", {{"type", "token_count"}, {"info", info}, {"rate_limits", nullptr}}}}
             .dump() +
         "\n";
}

const std::string rate_limit_only =
    R"({"timestamp":"2026-10-14T09:30:14.560Z","type":"event_msg","payload":{"type":"token_count","info":null,"rate_limits":{"primary":{"used_percent":12.0}}}})"
    "\n";

TEST(codex_local_test, a_re_emitted_snapshot_counts_zero_and_the_call_costs_0_091422) {
  temp_home home;
  const json u = usage(48210, 41984, 1310, 640);
  home.write(dir + "rollout-2026-10-14T09-30-11-019a.jsonl",
             meta("019a", "2026-10-14T09:30:11.204Z") +
                 turn("gpt-5.5", "2026-10-14T09:30:14.551Z") + rate_limit_only +
                 token_count("2026-10-14T09:30:39.902Z", u, u) +
                 token_count("2026-10-14T09:30:41.117Z", u, u));
  const auto ledger = home.scan();
  const auto t = totals(ledger, local_source::codex);
  EXPECT_EQ(t.calls, 1u);
  EXPECT_EQ(t.tokens.input, 48210 - 41984);  // cached input is split out of input
  EXPECT_EQ(t.tokens.cache_read, 41984);
  EXPECT_EQ(t.tokens.output, 1310);  // reasoning stays inside output
  EXPECT_EQ(t.tokens.reasoning, 640);
  const auto rows =
      costs::period_rows(ledger, costs::report_period::day, costs::time_zone::named("UTC"),
                         costs::price_table::load_default(), {});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cost, costs::pico_usd{91'422'000'000});
  EXPECT_EQ(rows[0].model, "gpt-5.5");
  EXPECT_EQ(rows[0].vendor, "openai");
}

TEST(codex_local_test, a_total_without_last_usage_counts_the_difference) {
  temp_home home;
  home.write(
      dir + "rollout-a.jsonl",
      meta("a", "2026-10-14T09:00:00.000Z") + turn("gpt-5.4", "2026-10-14T09:00:00.100Z") +
          token_count("2026-10-14T09:01:00.000Z", usage(100, 50, 10, 0), usage(100, 50, 10, 0)) +
          token_count("2026-10-14T09:02:00.000Z", usage(250, 120, 30, 5), nullptr));
  const auto t = totals(home.scan(), local_source::codex);
  EXPECT_EQ(t.calls, 2u);
  EXPECT_EQ(t.tokens.input + t.tokens.cache_read, 250);
  EXPECT_EQ(t.tokens.cache_read, 120);
  EXPECT_EQ(t.tokens.output, 30);
}

TEST(codex_local_test, a_fork_replaying_its_parent_counts_only_its_own_calls) {
  temp_home home;
  const json first = usage(1000, 800, 100, 10);
  const json both = usage(3000, 2400, 300, 30);
  const json second = usage(2000, 1600, 200, 20);
  home.write(dir + "rollout-parent.jsonl",
             meta("parent", "2026-10-14T09:00:00.000Z") +
                 turn("gpt-5.5", "2026-10-14T09:00:00.100Z") +
                 token_count("2026-10-14T09:01:00.000Z", first, first) +
                 token_count("2026-10-14T09:02:00.000Z", both, second));
  // The child: its own session_meta, then the parent's, then the parent's history replayed
  // within its first second, then one call of its own.
  const json own = usage(500, 100, 50, 0);
  json own_total = both;
  for (auto k : {"input_tokens", "cached_input_tokens", "output_tokens", "total_tokens"})
    own_total[k] = both[k].get<std::int64_t>() + own[k].get<std::int64_t>();
  home.write(dir + "rollout-child.jsonl",
             meta("child", "2026-10-14T10:00:00.000Z", {{"forked_from_id", "parent"}}) +
                 meta("parent", "2026-10-14T10:00:00.000Z") +
                 turn("gpt-5.5", "2026-10-14T10:00:00.100Z") +
                 token_count("2026-10-14T10:00:00.200Z", first, first) +
                 token_count("2026-10-14T10:00:00.300Z", both, second) +
                 token_count("2026-10-14T10:05:00.000Z", own_total, own));
  const auto t = totals(home.scan(), local_source::codex);
  EXPECT_EQ(t.calls, 3u);
  EXPECT_EQ(t.tokens.input + t.tokens.cache_read, 1000 + 2000 + 500);
  EXPECT_EQ(t.tokens.output, 100 + 200 + 50);
}

TEST(codex_local_test, an_archived_copy_of_a_rollout_counts_once) {
  temp_home home;
  const json u = usage(100, 0, 10, 0);
  const std::string body = meta("x", "2026-10-14T09:00:00.000Z") +
                           turn("gpt-5.4", "2026-10-14T09:00:00.100Z") +
                           token_count("2026-10-14T09:01:00.000Z", u, u);
  home.write(dir + "rollout-x.jsonl", body);
  home.write(".codex/archived_sessions/rollout-x.jsonl", body);
  EXPECT_EQ(totals(home.scan(), local_source::codex).calls, 1u);
}

TEST(codex_local_test, logs_that_name_no_model_fall_back_to_gpt_5) {
  temp_home home;
  const json u = usage(100, 0, 10, 0);
  home.write(dir + "rollout-old.jsonl", meta("old", "2025-09-07T09:00:00.000Z") +
                                            token_count("2025-09-07T09:01:00.000Z", u, u));
  const auto ledger = home.scan();
  ASSERT_EQ(ledger.entries().size(), 1u);
  EXPECT_EQ(ledger.str(ledger.entries()[0].raw_model), "gpt-5");
}

TEST(codex_local_test, the_running_total_carries_across_scans_of_an_appended_file) {
  temp_home home;
  const json a = usage(100, 0, 10, 0);
  const json ab = usage(300, 0, 30, 0);
  const std::string file = dir + "rollout-grow.jsonl";
  home.write(file, meta("g", "2026-10-14T09:00:00.000Z") +
                       turn("gpt-5.4", "2026-10-14T09:00:00.100Z") +
                       token_count("2026-10-14T09:01:00.000Z", a, a));
  EXPECT_EQ(totals(home.scan(), local_source::codex).calls, 1u);
  // A re-emit of the same total, then a new call reported only as a total.
  home.append(file, token_count("2026-10-14T09:01:30.000Z", a, a) +
                        token_count("2026-10-14T09:02:00.000Z", ab, nullptr));
  const auto t = totals(home.scan(), local_source::codex);
  EXPECT_EQ(t.calls, 2u);
  EXPECT_EQ(t.tokens.input, 300);
  EXPECT_EQ(t.tokens.output, 30);
}

}  // namespace
