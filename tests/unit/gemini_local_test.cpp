// Gemini CLI chats: updated records, metadata updates, cached input, legacy JSON sessions.
#include <gtest/gtest.h>

#include "support/temp_home.hpp"

namespace {

using costs::local_source;
using costs::test::temp_home;
using costs::test::totals;

const std::string chats = ".gemini/tmp/3b9e/chats/";
const std::string meta =
    R"({"sessionId":"8f1c2d3e","projectHash":"3b9e","startTime":"2026-10-14T10:02:11.004Z","lastUpdated":"2026-10-14T10:02:11.004Z"})"
    "\n";
const std::string first =
    R"({"id":"e7a1","timestamp":"2026-10-14T10:02:19.771Z","type":"gemini","content":"...","tokens":{"input":18234,"output":100,"cached":12288,"thoughts":904,"tool":0,"total":19238},"model":"gemini-3-pro-preview"})"
    "\n";
// The same message appended again after it was updated: this is the final record.
const std::string updated =
    R"({"id":"e7a1","timestamp":"2026-10-14T10:02:19.771Z","type":"gemini","content":"The failing test is in parser_test.go.","tokens":{"input":18234,"output":512,"cached":12288,"thoughts":904,"tool":0,"total":19650},"model":"gemini-3-pro-preview"})"
    "\n";
const std::string set_update =
    R"({"$set":{"messages":[{"id":"e7a1","type":"gemini","tokens":{"input":1,"output":1}}]}})"
    "\n";

TEST(gemini_local_test, the_last_record_of_a_message_wins_and_cached_input_is_split_out) {
  temp_home home;
  home.write(chats + "session-2026-10-14T10-02-8f1c2d3e.jsonl",
             meta + first + set_update + updated);
  const auto t = totals(home.scan(), local_source::gemini);
  EXPECT_EQ(t.calls, 1u);
  EXPECT_EQ(t.tokens.input, 18234 - 12288);
  EXPECT_EQ(t.tokens.cache_read, 12288);
  EXPECT_EQ(t.tokens.output, 512 + 904) << "thoughts are billed as output";
  EXPECT_EQ(t.tokens.reasoning, 904);
}

TEST(gemini_local_test, a_re_append_in_a_later_scan_replaces_the_earlier_record) {
  temp_home home;
  const std::string file = chats + "session-a.jsonl";
  home.write(file, meta + first);
  EXPECT_EQ(totals(home.scan(), local_source::gemini).tokens.output, 100 + 904);
  home.append(file, updated);
  const auto t = totals(home.scan(), local_source::gemini);
  EXPECT_EQ(t.calls, 1u);
  EXPECT_EQ(t.tokens.output, 512 + 904);
}

TEST(gemini_local_test, legacy_json_sessions_are_read) {
  temp_home home;
  home.write(
      chats + "session-old.json",
      R"({"sessionId":"old","projectHash":"3b9e","messages":[{"id":"u1","type":"user","content":"hi"},{"id":"g1","timestamp":"2026-10-13T10:00:00.000Z","type":"gemini","tokens":{"input":100,"output":10,"cached":0,"thoughts":0,"tool":0,"total":110},"model":"gemini-2.5-pro"}]})");
  const auto t = totals(home.scan(), local_source::gemini);
  EXPECT_EQ(t.calls, 1u);
  EXPECT_EQ(t.tokens.input, 100);
}

}  // namespace
