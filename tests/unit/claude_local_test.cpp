// Claude Code transcripts: dedup of streamed and replayed lines, skipped lines, exact totals.
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

const char* const project = ".claude/projects/-home-dev-acme-api/";

struct call {
  std::string msg_id = "msg_01HkT7qY3vR9wLm2Np8sXc4D";
  std::string request_id = "req_011CT4mZ8xQp2vN7bR1sK9dE";
  std::int64_t output = 412;
  bool sidechain = false;
  std::string time = "2026-10-14T09:12:11.377Z";
  std::string model = "claude-sonnet-4-6";
  bool one_hour = false;
};

// A line as Claude Code writes it (reference 2.4), one content block of a response.
std::string line(const call& c) {
  json usage = {{"input_tokens", 3},
                {"cache_creation_input_tokens", 2140},
                {"cache_read_input_tokens", 18452},
                {"cache_creation",
                 {{"ephemeral_5m_input_tokens", c.one_hour ? 0 : 2140},
                  {"ephemeral_1h_input_tokens", c.one_hour ? 2140 : 0}}},
                {"output_tokens", c.output},
                {"service_tier", "standard"}};
  json j = {{"parentUuid", "0f3d7a8e"},
            {"isSidechain", c.sidechain},
            {"userType", "external"},
            {"cwd", "/home/dev/acme-api"},
            {"sessionId", "5b9c2f1e-7d4a-4c8e-9a61-2f0e8d3b7c45"},
            {"version", "2.1.118"},
            {"message",
             {{"model", c.model},
              {"id", c.msg_id},
              {"type", "message"},
              {"role", "assistant"},
              {"content", json::array({{{"type", "text"}, {"text", "Look at the router first."}}})},
              {"usage", usage}}},
            {"type", "assistant"},
            {"uuid", "7c1e4b2a"},
            {"timestamp", c.time}};
  if (!c.request_id.empty()) j["requestId"] = c.request_id;
  return j.dump() + "\n";
}

const std::string user_line =
    R"({"type":"user","sessionId":"5b9c2f1e","cwd":"/home/dev/acme-api","message":{"role":"user","content":"what is the \"usage\":{ of this?"},"timestamp":"2026-10-14T09:12:03.481Z"})"
    "\n";

const std::string synthetic_line =
    R"({"isSidechain":false,"cwd":"/home/dev/acme-api","sessionId":"5b9c2f1e","type":"assistant","timestamp":"2026-10-14T09:40:00.018Z","message":{"id":"3d6f9a1c-5e7b","model":"<synthetic>","role":"assistant","type":"message","usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"speed":null},"content":[{"type":"text","text":"API Error: Rate limited."}]},"error":"rate_limit","isApiErrorMessage":true})"
    "\n";

TEST(claude_local_test, streamed_lines_of_one_response_count_once_with_the_final_total) {
  temp_home home;
  call early;
  early.output = 8;
  home.write(std::string(project) + "s1.jsonl",
             user_line + line(early) + line(call{}) + synthetic_line);
  costs::scan_stats stats;
  const auto ledger = home.scan({}, &stats);
  const auto t = totals(ledger, local_source::claude);
  EXPECT_EQ(t.calls, 1u);
  EXPECT_EQ(t.tokens.output, 412);
  EXPECT_EQ(t.tokens.input, 3);
  EXPECT_EQ(t.tokens.cache_write_5m, 2140);
  EXPECT_EQ(t.tokens.cache_read, 18452);
  EXPECT_EQ(stats.malformed, 0u);
  // Priced at Sonnet 4.6 rates: the reference's $0.0197496.
  const auto prices = costs::price_table::load_default();
  const auto rows = costs::period_rows(ledger, costs::report_period::day,
                                       costs::time_zone::named("UTC"), prices, {});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cost, costs::pico_usd{19'749'600'000});
  EXPECT_EQ(rows[0].project, "acme-api");
  EXPECT_EQ(rows[0].vendor, "anthropic");
}

TEST(claude_local_test, a_sidechain_replay_of_a_parent_response_counts_once_and_the_parent_wins) {
  temp_home home;
  call replay;
  replay.sidechain = true;
  replay.request_id = "req_replayed_by_btw";
  replay.output = 500;  // even a larger sidechain copy loses to the parent
  call own;
  own.sidechain = true;
  own.msg_id = "msg_01SidechainOwnResponse";
  own.request_id = "req_own";
  own.output = 7;
  home.write(std::string(project) + "s1/subagents/agent-a1.jsonl", line(replay) + line(own));
  home.write(std::string(project) + "s1.jsonl", line(call{}));
  const auto t = totals(home.scan(), local_source::claude);
  EXPECT_EQ(t.calls, 2u);  // the parent's response and the sidechain's own
  EXPECT_EQ(t.tokens.output, 412 + 7);
}

TEST(claude_local_test, a_replay_seen_before_its_parent_still_counts_once_across_scans) {
  temp_home home;
  call replay;
  replay.sidechain = true;
  replay.request_id = "req_replayed_by_btw";
  home.write(std::string(project) + "s1/subagents/agent-a1.jsonl", line(replay));
  EXPECT_EQ(totals(home.scan(), local_source::claude).calls, 1u);
  // The parent's transcript turns up later, streamed in two lines: still one call, the
  // parent's, with its final total.
  call early;
  early.output = 8;
  home.write(std::string(project) + "s1.jsonl", line(early) + line(call{}));
  auto t = totals(home.scan(), local_source::claude);
  EXPECT_EQ(t.calls, 1u);
  EXPECT_EQ(t.tokens.output, 412);
  home.append(std::string(project) + "s1/subagents/agent-a1.jsonl", line(replay));
  t = totals(home.scan(), local_source::claude);
  EXPECT_EQ(t.calls, 1u);
}

TEST(claude_local_test, without_a_request_id_the_message_id_dedups) {
  temp_home home;
  call a;
  a.request_id = "";
  a.output = 10;
  call b = a;
  b.output = 90;
  home.write(std::string(project) + "s.jsonl", line(a) + line(b));
  const auto t = totals(home.scan(), local_source::claude);
  EXPECT_EQ(t.calls, 1u);
  EXPECT_EQ(t.tokens.output, 90);
}

TEST(claude_local_test, malformed_and_unfinished_lines_are_skipped_and_counted_never_fatal) {
  temp_home home;
  call second;
  second.msg_id = "msg_02";
  const std::string cut = line(second).substr(0, 120);  // still being written: no newline
  home.write(std::string(project) + "s.jsonl",
             line(call{}) + "{\"type\":\"assistant\",\"usage\":{broken\n" + cut);
  costs::scan_stats stats;
  auto ledger = home.scan({}, &stats);
  EXPECT_EQ(totals(ledger, local_source::claude).calls, 1u);
  EXPECT_EQ(stats.malformed, 1u);
  // The writer finishes the line: the next scan reads on from the last complete line.
  home.append(std::string(project) + "s.jsonl", line(second).substr(120));
  ledger = home.scan({}, &stats);
  EXPECT_EQ(totals(ledger, local_source::claude).calls, 2u);
}

TEST(claude_local_test, a_response_streamed_across_two_scans_counts_once_with_its_final_total) {
  temp_home home;
  call early;
  early.output = 8;
  home.write(std::string(project) + "s.jsonl", line(early));
  EXPECT_EQ(totals(home.scan(), local_source::claude).tokens.output, 8);
  home.append(std::string(project) + "s.jsonl", line(call{}));
  costs::scan_stats stats;
  const auto t = totals(home.scan({}, &stats), local_source::claude);
  EXPECT_EQ(t.calls, 1u);
  EXPECT_EQ(t.tokens.output, 412);
  EXPECT_EQ(stats.replaced_entries, 1u);
  EXPECT_EQ(stats.bytes_read, line(call{}).size()) << "only the appended bytes are read";
}

TEST(claude_local_test, one_hour_cache_writes_are_kept_apart_and_priced_at_twice_input) {
  temp_home home;
  call c;
  c.one_hour = true;
  home.write(std::string(project) + "s.jsonl", line(c));
  const auto ledger = home.scan();
  EXPECT_EQ(totals(ledger, local_source::claude).tokens.cache_write_1h, 2140);
  const auto rows =
      costs::period_rows(ledger, costs::report_period::day, costs::time_zone::named("UTC"),
                         costs::price_table::load_default(), {});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cost, costs::pico_usd{24'564'600'000});  // the reference's $0.0245646
}

TEST(claude_local_test, roots_follow_claude_config_dir_as_a_comma_list) {
  temp_home home;
  home.write("work/.claude-a/projects/p/s.jsonl", line(call{}));
  call other;
  other.msg_id = "msg_other";
  home.write("work/b/projects/p/s.jsonl", line(other));
  home.write(std::string(project) + "ignored.jsonl",
             line(call{}));  // not used when the variable is set
  setenv(
      "CLAUDE_CONFIG_DIR",
      ((home.path() / "work/.claude-a").string() + "," + (home.path() / "work/b/projects").string())
          .c_str(),
      1);
  EXPECT_EQ(costs::local_roots(local_source::claude).size(), 2u);
  EXPECT_EQ(totals(home.scan({}, nullptr, true), local_source::claude).calls, 2u);
}

}  // namespace
