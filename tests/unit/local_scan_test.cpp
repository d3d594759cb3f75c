// The incremental scan and the ledger: what is read, what is remembered, what survives.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "costs/error.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "costs/pricing.hpp"
#include "costs/report.hpp"
#include "support/temp_home.hpp"

namespace {

using costs::local_source;
using costs::test::temp_home;
using costs::test::totals;

std::string claude(int n, const std::string& time = "2026-10-14T09:12:11.377Z",
                   std::int64_t output = 100) {
  return nlohmann::json{{"type", "assistant"},
                        {"sessionId", "s"},
                        {"cwd", "/home/dev/acme-api"},
                        {"requestId", "req_" + std::to_string(n)},
                        {"timestamp", time},
                        {"message",
                         {{"id", "msg_" + std::to_string(n)},
                          {"model", "claude-sonnet-4-6"},
                          {"usage",
                           {{"input_tokens", 10},
                            {"output_tokens", output},
                            {"cache_read_input_tokens", 1000}}}}}}
             .dump() +
         "\n";
}

const std::string file = ".claude/projects/p/s.jsonl";

// One Codex call, as a rollout writes it.
std::string codex_rollout() {
  const std::string t = "2026-10-14T09:30:39.902Z";
  const nlohmann::json u = {{"input_tokens", 500},
                            {"cached_input_tokens", 100},
                            {"output_tokens", 40},
                            {"reasoning_output_tokens", 0},
                            {"total_tokens", 540}};
  const nlohmann::json lines[] = {
      {{"timestamp", t},
       {"type", "session_meta"},
       {"payload",
        {{"id", "019a"}, {"timestamp", t}, {"cwd", "/w"}, {"model_provider", "openai"}}}},
      {{"timestamp", t}, {"type", "turn_context"}, {"payload", {{"model", "gpt-5.5"}}}},
      {{"timestamp", t},
       {"type", "event_msg"},
       {"payload",
        {{"type", "token_count"},
         {"info", {{"total_token_usage", u}, {"last_token_usage", u}}},
         {"rate_limits", nullptr}}}}};
  std::string text;
  for (const auto& l : lines) text += l.dump() + "\n";
  return text;
}

std::string bytes_of(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(local_scan_test, an_unchanged_tree_is_not_read_again) {
  temp_home home;
  home.write(file, claude(1) + claude(2));
  costs::scan_stats first;
  home.scan({}, &first);
  EXPECT_EQ(first.files_read, 1u);
  costs::scan_stats second;
  const auto ledger = home.scan({}, &second);
  EXPECT_EQ(second.files_seen, 1u);
  EXPECT_EQ(second.files_read, 0u);
  EXPECT_EQ(second.bytes_read, 0u);
  EXPECT_EQ(totals(ledger, local_source::claude).calls, 2u)
      << "remembered calls are still reported";
}

TEST(local_scan_test, a_file_appended_between_two_scans_equals_one_scan_of_the_whole) {
  temp_home split, whole;
  std::string all;
  for (int i = 0; i < 50; ++i) all += claude(i);
  split.write(file, all.substr(0, all.size() / 3));  // cut mid-line on purpose
  split.scan();
  split.append(file, all.substr(all.size() / 3, all.size() / 3));
  split.scan();
  split.append(file, all.substr(2 * (all.size() / 3)));
  const auto a = totals(split.scan(), local_source::claude);
  whole.write(file, all);
  const auto b = totals(whole.scan({}, nullptr, true), local_source::claude);
  EXPECT_EQ(a.calls, 50u);
  EXPECT_EQ(a.calls, b.calls);
  EXPECT_EQ(a.tokens, b.tokens);
}

TEST(local_scan_test, a_rewritten_file_is_read_from_the_start_without_counting_twice) {
  temp_home home;
  home.write(file, claude(1) + claude(2) + claude(3));
  home.scan();
  // Rewritten shorter, then longer with different bytes where the old offset pointed.
  home.write(file, claude(1));
  EXPECT_EQ(totals(home.scan(), local_source::claude).calls, 3u);
  home.write(file, claude(4) + claude(1) + claude(2) + claude(3) + claude(5));
  costs::scan_stats stats;
  const auto t = totals(home.scan({}, &stats), local_source::claude);
  EXPECT_EQ(t.calls, 5u);
  EXPECT_EQ(stats.new_entries, 2u);
}

TEST(local_scan_test, a_transcript_deleted_by_its_agent_never_lowers_history) {
  temp_home home;
  home.write(file, claude(1) + claude(2));
  home.write(".claude/projects/p/t.jsonl", claude(3));
  EXPECT_EQ(totals(home.scan(), local_source::claude).calls, 3u);
  std::filesystem::remove(home.path() / file);
  EXPECT_EQ(totals(home.scan(), local_source::claude).calls, 3u);
}

TEST(local_scan_test, a_one_off_scan_remembers_nothing) {
  temp_home home;
  home.write(file, claude(1));
  home.scan({}, nullptr, true);
  EXPECT_FALSE(std::filesystem::exists(home.state()));
}

TEST(local_scan_test, days_are_calendar_days_in_the_chosen_zone) {
  temp_home home;
  home.write(file, claude(1, "2026-10-14T02:00:00.000Z") + claude(2, "2026-10-14T12:00:00.000Z"));
  const auto ledger = home.scan();
  const auto prices = costs::price_table::load_default();
  const auto utc = costs::period_rows(ledger, costs::report_period::day,
                                      costs::time_zone::named("UTC"), prices, {});
  ASSERT_EQ(utc.size(), 1u);
  EXPECT_EQ(utc[0].period, "2026-10-14");
  const auto ny = costs::period_rows(ledger, costs::report_period::day,
                                     costs::time_zone::named("America/New_York"), prices, {});
  ASSERT_EQ(ny.size(), 2u);
  EXPECT_EQ(ny[0].period, "2026-10-13");  // 22:00 the evening before, EDT
  EXPECT_EQ(ny[1].period, "2026-10-14");
  const auto kolkata = costs::time_zone::named("Asia/Kolkata");
  EXPECT_EQ(kolkata.offset_seconds(costs::parse_timestamp("2026-10-14T02:00:00Z")),
            5 * 3600 + 1800);
  EXPECT_THROW(costs::time_zone::named("Mars/Olympus_Mons"), costs::config_error);
}

TEST(local_scan_test, weeks_start_on_monday_and_months_are_calendar_months) {
  temp_home home;
  home.write(file, claude(1, "2026-10-18T12:00:00.000Z") + claude(2, "2026-10-19T12:00:00.000Z") +
                       claude(3, "2026-11-01T12:00:00.000Z"));
  const auto ledger = home.scan();
  const auto prices = costs::price_table::load_default();
  const auto utc = costs::time_zone::named("UTC");
  const auto weeks = costs::period_rows(ledger, costs::report_period::week, utc, prices, {});
  ASSERT_EQ(weeks.size(), 3u);
  EXPECT_EQ(weeks[0].period,
            "2026-10-12");  // Sunday the 18th belongs to the week of Monday the 12th
  EXPECT_EQ(weeks[1].period, "2026-10-19");
  EXPECT_EQ(weeks[2].period, "2026-10-26");
  const auto months = costs::period_rows(ledger, costs::report_period::month, utc, prices, {});
  ASSERT_EQ(months.size(), 2u);
  EXPECT_EQ(months[0].period, "2026-10");
  EXPECT_EQ(months[0].calls, 2);
}

TEST(local_scan_test, since_and_until_bound_the_days) {
  temp_home home;
  home.write(file, claude(1, "2026-10-13T12:00:00.000Z") + claude(2, "2026-10-14T12:00:00.000Z") +
                       claude(3, "2026-10-15T12:00:00.000Z"));
  costs::report_filter filter;
  filter.since = costs::civil_day::parse("2026-10-14");
  filter.until = costs::civil_day::parse("2026-10-14");
  const auto rows =
      costs::period_rows(home.scan(), costs::report_period::day, costs::time_zone::named("UTC"),
                         costs::price_table::load_default(), filter);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].period, "2026-10-14");
}

TEST(local_scan_test, five_hour_blocks_start_on_the_hour_and_gaps_are_marked) {
  temp_home home;
  home.write(file, claude(1, "2026-10-14T09:12:00.000Z") + claude(2, "2026-10-14T13:30:00.000Z") +
                       claude(3, "2026-10-14T14:30:00.000Z") +
                       claude(4, "2026-10-15T01:00:00.000Z"));
  const auto blocks = costs::usage_blocks(home.scan(), costs::time_zone::named("UTC"),
                                          costs::price_table::load_default(), {},
                                          costs::parse_timestamp("2026-10-15T02:00:00Z"));
  ASSERT_EQ(blocks.size(), 4u);
  EXPECT_EQ(costs::format_timestamp(blocks[0].start), "2026-10-14T09:00:00.000000Z");
  EXPECT_EQ(blocks[0].calls, 2);  // 13:30 is within 09:00 + 5 h
  EXPECT_EQ(costs::format_timestamp(blocks[1].start), "2026-10-14T14:00:00.000000Z");
  EXPECT_EQ(blocks[1].calls, 1);
  EXPECT_TRUE(blocks[2].gap);
  EXPECT_EQ(costs::format_timestamp(blocks[2].start), "2026-10-14T19:30:00.000000Z");
  EXPECT_EQ(costs::format_timestamp(blocks[3].start), "2026-10-15T01:00:00.000000Z");
  EXPECT_TRUE(blocks[3].active);
  EXPECT_FALSE(blocks[1].active);
}

TEST(local_scan_test, the_ledger_survives_a_save_and_load_unchanged) {
  temp_home home;
  home.write(file, claude(1) + claude(2, "2026-10-15T00:00:00.000Z", 7));
  const auto ledger = home.scan();
  costs::local_ledger loaded;
  ASSERT_TRUE(loaded.load(home.state() / "claude.ledger"));
  ASSERT_EQ(loaded.entries().size(), ledger.entries().size());
  for (std::size_t i = 0; i < ledger.entries().size(); ++i) {
    EXPECT_EQ(loaded.entries()[i].key, ledger.entries()[i].key);
    EXPECT_EQ(loaded.entries()[i].tokens, ledger.entries()[i].tokens);
    EXPECT_EQ(loaded.str(loaded.entries()[i].raw_model), "claude-sonnet-4-6");
  }
  EXPECT_FALSE(loaded.load(home.path() / "missing.bin"));
}

// The ledger stores its entries' bytes, so a file from another version, another layout of the
// entries, or a damaged one is set aside with the reason and rebuilt from the logs: the totals
// stay exact, never misread.
TEST(local_scan_test, a_ledger_of_another_layout_or_damaged_is_rebuilt_and_says_why) {
  temp_home home;
  home.write(file, claude(1) + claude(2) + claude(3, "2026-10-15T08:00:00.000Z", 7));
  const auto ledger_file = home.state() / "claude.ledger";
  home.scan();
  const auto good = [&] {
    std::ifstream in(ledger_file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }();
  ASSERT_GT(good.size(), 40u);
  auto write_ledger = [&](const std::string& bytes) {
    std::ofstream(ledger_file, std::ios::binary | std::ios::trunc) << bytes;
  };
  std::string other_layout = good;
  other_layout[8 + 4] =
      static_cast<char>(other_layout[8 + 4] + 8);  // entry size, as a new field would
  std::string old_version = good;
  old_version[7] = '2';
  const std::vector<std::pair<std::string, std::string>> cases = {
      {other_layout, "written with another layout of its entries"},
      {old_version, "written by another version of costs"},
      {good.substr(0, good.size() - 5), "damaged (cut short)"},
      {good + "tail", "damaged (bytes after the end)"},
      {"not a ledger at all", "not a ledger file"}};
  for (const auto& [bytes, reason] : cases) {
    write_ledger(bytes);
    costs::local_ledger probe;
    std::string why;
    EXPECT_FALSE(probe.load(ledger_file, &why)) << reason;
    EXPECT_EQ(why, reason);
    costs::scan_stats stats;
    const auto t = totals(home.scan({}, &stats), local_source::claude);
    EXPECT_EQ(stats.ledger_rebuilt, reason);
    EXPECT_EQ(t.calls, 3u) << reason << ": rebuilt from the logs, every call once";
    EXPECT_EQ(t.tokens.output, 100 + 100 + 7) << reason;
    costs::scan_stats again;
    EXPECT_EQ(totals(home.scan({}, &again), local_source::claude).calls, 3u);
    EXPECT_TRUE(again.ledger_rebuilt.empty()) << "the rebuilt ledger is read as it is";
  }
}

// Each call keeps the transcript it was read from, and the sessions (usage_sessions) name it. A
// ledger of the version before (the same bytes, where the field was padding) loads whole, its
// calls without a transcript, and keeps history whose logs are gone since.
TEST(local_scan_test, calls_name_their_transcript_and_a_ledger_from_before_loads_without) {
  temp_home home;
  home.write(file, claude(1) + claude(2, "2026-10-14T11:00:00.000Z", 7));
  const auto ledger = home.scan();
  ASSERT_EQ(ledger.entries().size(), 2u);
  for (const auto& e : ledger.entries())
    EXPECT_EQ(ledger.str(e.file), (home.path() / file).string());
  const auto prices = costs::price_table::load_default();
  const auto utc = costs::time_zone::named("UTC");
  const auto sessions =
      costs::session_usage_rows(ledger, local_source::claude, "mac", utc, prices, std::nullopt);
  ASSERT_EQ(sessions.size(), 1u);
  const costs::session_usage& s = sessions[0];
  EXPECT_EQ(s.provider, "claude_local");
  EXPECT_EQ(s.host, "mac");
  EXPECT_EQ(s.session, "s");
  EXPECT_EQ(s.transcript, (home.path() / file).string());
  EXPECT_EQ(s.models, std::vector<std::string>{"claude-sonnet-4-6"});
  EXPECT_EQ(s.calls, 2);
  EXPECT_EQ(s.tokens.output, 107);
  EXPECT_EQ(costs::format_timestamp(s.first_at), "2026-10-14T09:12:11.377000Z");
  EXPECT_EQ(costs::format_timestamp(s.last_at), "2026-10-14T11:00:00.000000Z");
  ASSERT_TRUE(s.cost.has_value());
  EXPECT_EQ(s.cost->value, s.priced_cost.value);
  EXPECT_GT(s.priced_cost.value, 0);
  EXPECT_TRUE(costs::session_usage_rows(ledger, local_source::claude, "mac", utc, prices,
                                        costs::civil_day::parse("2026-10-15"))
                  .empty())
      << "a session that ended before `since` is not sent again";

  const auto ledger_file = home.state() / "claude.ledger";
  std::string before = bytes_of(ledger_file);
  ASSERT_EQ(before[7], '4');
  before[7] = '3';
  std::ofstream(ledger_file, std::ios::binary | std::ios::trunc) << before;
  std::filesystem::remove(home.path() / file);  // the agent has deleted its transcript since
  costs::scan_stats stats;
  const auto old = home.scan({}, &stats);
  EXPECT_TRUE(stats.ledger_rebuilt.empty()) << stats.ledger_rebuilt;
  ASSERT_EQ(old.entries().size(), 2u) << "history kept, not rebuilt from logs that are gone";
  for (const auto& e : old.entries()) EXPECT_EQ(e.file, 0u) << "padding then, never a path";
  EXPECT_EQ(totals(old, local_source::claude).tokens.output, 107);
}

// Each agent keeps its own ledger file, so the local providers of one sync scan side by side
// and a scan of one agent never rewrites another's history.
TEST(local_scan_test, each_agent_keeps_its_own_ledger_and_a_scan_of_one_leaves_the_others_alone) {
  temp_home home;
  home.write(file, claude(1));
  home.write(".codex/sessions/2026/10/14/rollout-2026-10-14T09-30-11-019a.jsonl", codex_rollout());
  home.scan();
  const auto codex_file = home.state() / "codex.ledger";
  ASSERT_TRUE(std::filesystem::exists(home.state() / "claude.ledger"));
  ASSERT_TRUE(std::filesystem::exists(codex_file));
  EXPECT_FALSE(std::filesystem::exists(home.state() / "ledger.bin"));
  const std::string codex_before = bytes_of(codex_file);
  const auto codex_time = std::filesystem::last_write_time(codex_file);

  home.append(file, claude(2));
  const auto ledger = home.scan({local_source::claude});
  EXPECT_EQ(totals(ledger, local_source::claude).calls, 2u);
  EXPECT_EQ(totals(ledger, local_source::codex).calls, 0u) << "only the agent asked for";
  EXPECT_EQ(bytes_of(codex_file), codex_before);
  EXPECT_EQ(std::filesystem::last_write_time(codex_file), codex_time);
  const auto both = home.scan();
  EXPECT_EQ(totals(both, local_source::claude).calls, 2u);
  EXPECT_EQ(totals(both, local_source::codex).calls, 1u);
}

// Earlier versions kept every agent in one ledger.bin. Its calls move into the agents' own
// files, including calls whose transcripts are gone (Claude Code deletes them after 30 days).
TEST(local_scan_test, the_single_ledger_of_earlier_versions_moves_into_each_agents_file) {
  temp_home home;
  home.write(file, claude(1) + claude(2));
  home.write(".codex/sessions/2026/10/14/rollout-2026-10-14T09-30-11-019a.jsonl", codex_rollout());
  const auto first = home.scan();
  // What an earlier version left: one ledger of both agents, and each agent's cursors.
  first.save(home.state() / "ledger.bin");
  std::filesystem::remove(home.state() / "claude.ledger");
  std::filesystem::remove(home.state() / "codex.ledger");
  std::filesystem::remove(home.path() / file);  // the transcript is gone; its calls are not

  costs::scan_stats stats;
  const auto claude_only = home.scan({local_source::claude}, &stats);
  EXPECT_EQ(totals(claude_only, local_source::claude).calls, 2u);
  EXPECT_TRUE(stats.ledger_rebuilt.empty());
  EXPECT_TRUE(std::filesystem::exists(home.state() / "claude.ledger"));
  EXPECT_TRUE(std::filesystem::exists(home.state() / "ledger.bin"))
      << "kept while Codex's calls are only there";

  costs::scan_stats codex_stats;
  const auto all = home.scan({}, &codex_stats);
  EXPECT_EQ(codex_stats.files_read, 0u) << "Codex's cursors still hold: nothing is read again";
  EXPECT_EQ(totals(all, local_source::claude).calls, 2u);
  EXPECT_EQ(totals(all, local_source::codex).calls, 1u);
  EXPECT_TRUE(std::filesystem::exists(home.state() / "codex.ledger"));
  EXPECT_FALSE(std::filesystem::exists(home.state() / "ledger.bin"));
}

}  // namespace
