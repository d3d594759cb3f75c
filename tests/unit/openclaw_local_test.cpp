// OpenClaw transcripts: archives, artefacts, the SQLite store, agents and tasks, reported cost.
#include <sqlite3.h>
#include <zstd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "costs/pricing.hpp"
#include "costs/report.hpp"
#include "support/temp_home.hpp"

namespace {

using costs::local_source;
using costs::test::temp_home;
using costs::test::totals;

const std::string header =
    R"({"type":"session","version":3,"id":"c41d7e2a","timestamp":"2026-10-14T07:58:02.114Z","cwd":"/home/dev/.openclaw/workspace"})"
    "\n";
const std::string model_change =
    R"({"type":"model_change","id":"9e2b41d7","parentId":null,"timestamp":"2026-10-14T07:58:02.120Z","provider":"anthropic","modelId":"claude-opus-4-7"})"
    "\n";
// The reference's example call (4.4), with the cost OpenClaw computed: $0.033176.
const std::string assistant =
    R"({"type":"message","id":"b8d2e619","parentId":"5c1a9f03","timestamp":"2026-10-14T07:58:09.660Z","message":{"role":"assistant","content":[{"type":"text","text":"Done."}],"api":"anthropic-messages","provider":"anthropic","model":"claude-opus-4-7","usage":{"input":1844,"output":356,"cacheRead":30112,"cacheWrite":0,"totalTokens":32312,"cost":{"input":0.00922,"output":0.0089,"cacheRead":0.015056,"cacheWrite":0,"total":0.033176}},"stopReason":"stop","timestamp":1791964689655}})"
    "\n";
// A second call that names no model: the model_change above is in force.
const std::string assistant_no_model =
    R"({"type":"message","id":"c9e3f720","parentId":"b8d2e619","timestamp":"2026-10-14T08:00:00.000Z","message":{"role":"assistant","content":[],"usage":{"input":100,"output":20,"cacheRead":0,"cacheWrite":50,"totalTokens":170,"cost":{"total":0}},"stopReason":"stop","timestamp":1791964800000}})"
    "\n";
const std::string mirror =
    R"({"type":"message","id":"d1","parentId":"c9e3f720","timestamp":"2026-10-14T08:00:01.000Z","message":{"role":"assistant","provider":"openclaw","model":"delivery-mirror","api":"openclaw-transcript","usage":{"input":0,"output":0,"cacheRead":0,"cacheWrite":0,"totalTokens":0},"content":[],"timestamp":1791964801000}})"
    "\n";
const std::string user =
    R"({"type":"message","id":"5c1a9f03","parentId":"3a7f0c55","timestamp":"2026-10-14T07:58:05.000Z","message":{"role":"user","content":[{"type":"text","text":"remind me at 18:00"}],"timestamp":1791964685000}})"
    "\n";

const std::string sessions = ".openclaw/agents/main/sessions/";

TEST(openclaw_local_test, counts_calls_with_the_model_in_force_and_keeps_the_reported_cost) {
  temp_home home;
  home.write(sessions + "c41d7e2a.jsonl",
             header + model_change + user + assistant + assistant_no_model + mirror);
  const auto ledger = home.scan();
  const auto t = totals(ledger, local_source::openclaw);
  EXPECT_EQ(t.calls, 2u) << "the delivery mirror is not a call";
  EXPECT_EQ(t.tokens.input, 1844 + 100);
  EXPECT_EQ(t.tokens.cache_read, 30112);
  EXPECT_EQ(t.tokens.cache_write_5m, 50);
  EXPECT_EQ(t.reported_pico, 33'176'000'000) << "OpenClaw's own $0.033176, exactly";
  const auto rows =
      costs::period_rows(ledger, costs::report_period::day, costs::time_zone::named("UTC"),
                         costs::price_table::load_default(), {});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].model, "claude-opus-4-7");
  EXPECT_EQ(rows[0].agent, "main");
  EXPECT_EQ(rows[0].calls, 2);
  ASSERT_TRUE(rows[0].reported.has_value());
  EXPECT_EQ(*rows[0].reported, costs::pico_usd{33'176'000'000});
  // Ours, at $5/$25/$6.25/$0.50 per million, beside it.
  EXPECT_EQ(rows[0].cost, costs::pico_usd{(1944 * 5 + 376 * 25) * 1'000'000LL + 50 * 6'250'000LL +
                                          30112 * 500'000LL});
}

TEST(openclaw_local_test, reset_and_deleted_archives_count_checkpoints_do_not) {
  temp_home home;
  home.write(sessions + "c41d7e2a.jsonl.reset.2026-10-14T09-00-00.000Z",
             header + model_change + assistant);
  home.write(sessions + "other.jsonl.deleted.2026-10-14T09-00-00.000Z",
             header + model_change + assistant_no_model);
  home.write(sessions + "c41d7e2a.checkpoint.0f1e.jsonl", header + model_change + assistant);
  home.write(sessions + "c41d7e2a.trajectory.jsonl", header + model_change + assistant);
  EXPECT_EQ(totals(home.scan(), local_source::openclaw).calls, 2u);
}

TEST(openclaw_local_test, zstd_archives_are_read) {
  temp_home home;
  const std::string text = header + model_change + assistant;
  std::string packed(ZSTD_compressBound(text.size()), '\0');
  packed.resize(ZSTD_compress(packed.data(), packed.size(), text.data(), text.size(), 3));
  home.write(sessions + "c41d7e2a.jsonl.reset.2026-10-14T09-00-00.000Z.zst", packed);
  const auto t = totals(home.scan(), local_source::openclaw);
  EXPECT_EQ(t.calls, 1u);
  EXPECT_EQ(t.tokens.output, 356);
}

TEST(openclaw_local_test, the_sqlite_store_and_its_jsonl_copy_count_each_call_once) {
  temp_home home;
  home.write(sessions + "c41d7e2a.jsonl", header + model_change + assistant);
  const auto db_path = home.path() / ".openclaw/agents/main/agent/openclaw-agent.sqlite";
  home.write(".openclaw/agents/main/agent/.keep", "");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db,
                   "create table transcript_events(session_id text, seq integer, event_json text,"
                   " created_at integer, primary key(session_id, seq))",
                   nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "insert into transcript_events values ('c41d7e2a', ?, ?, 0)", -1, &insert,
                     nullptr);
  int seq = 0;
  for (const std::string& event : {header, model_change, assistant, assistant_no_model}) {
    sqlite3_bind_int(insert, 1, ++seq);
    const std::string json = event.substr(0, event.size() - 1);
    sqlite3_bind_text(insert, 2, json.c_str(), -1, SQLITE_TRANSIENT);
    ASSERT_EQ(sqlite3_step(insert), SQLITE_DONE);
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  sqlite3_close(db);
  const auto t = totals(home.scan(), local_source::openclaw);
  EXPECT_EQ(t.calls, 2u)
      << "the JSONL call and the SQLite copy are one; the SQLite-only one counts";
  EXPECT_EQ(t.tokens.input, 1844 + 100);
}

// Today's store (openclaw.md): an event is text in event_json, or, at 1 KB or more, zstd level 1
// in event_zstd with event_json NULL; created_at is epoch milliseconds. Node compresses with the
// streaming API, so a frame need not say its size.
TEST(openclaw_local_test,
     compressed_events_of_todays_sqlite_store_count_and_a_damaged_one_is_skipped) {
  temp_home home;
  const auto db_path = home.path() / ".openclaw/agents/main/agent/openclaw-agent.sqlite";
  home.write(".openclaw/agents/main/agent/.keep", "");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "create table transcript_events(session_id text not null, seq integer not "
                         "null, event_json text, created_at integer not null, event_zstd blob, "
                         "event_utf8_bytes integer, primary key(session_id, seq))",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  auto zstd_streamed = [](const std::string& text) {  // as Node's zstdCompressSync, level 1
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 1);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 0);
    std::string out(ZSTD_compressBound(text.size()) + 64, '\0');
    ZSTD_inBuffer in{text.data(), text.size(), 0};
    ZSTD_outBuffer o{out.data(), out.size(), 0};
    while (ZSTD_compressStream2(cctx, &o, &in, ZSTD_e_end) != 0) {
    }
    ZSTD_freeCCtx(cctx);
    out.resize(o.pos);
    return out;
  };
  sqlite3_stmt* insert = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "insert into transcript_events values ('c41d7e2a', ?, ?, "
                               "1791968400000 + ?, ?, ?)",
                               -1, &insert, nullptr),
            SQLITE_OK);
  int seq = 0;
  auto add = [&](const std::string& line, bool compressed) {
    const std::string json = line.substr(0, line.size() - 1);
    sqlite3_bind_int(insert, 1, ++seq);
    sqlite3_bind_int(insert, 3, seq);
    if (compressed) {
      const std::string packed = zstd_streamed(json);
      ASSERT_EQ(ZSTD_getFrameContentSize(packed.data(), packed.size()), ZSTD_CONTENTSIZE_UNKNOWN);
      sqlite3_bind_null(insert, 2);
      sqlite3_bind_blob(insert, 4, packed.data(), static_cast<int>(packed.size()),
                        SQLITE_TRANSIENT);
    } else {
      sqlite3_bind_text(insert, 2, json.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_null(insert, 4);
    }
    sqlite3_bind_int(insert, 5, static_cast<int>(json.size()));
    ASSERT_EQ(sqlite3_step(insert), SQLITE_DONE);
    sqlite3_reset(insert);
  };
  add(header, false);
  add(model_change, false);
  add(assistant, true);
  add(assistant_no_model, true);
  // A damaged blob: skipped and counted, never the end of the scan.
  sqlite3_bind_int(insert, 1, ++seq);
  sqlite3_bind_null(insert, 2);
  sqlite3_bind_int(insert, 3, seq);
  sqlite3_bind_blob(insert, 4, "\x28\xb5\x2f\xfd garbage", 12, SQLITE_TRANSIENT);
  sqlite3_bind_int(insert, 5, 100);
  ASSERT_EQ(sqlite3_step(insert), SQLITE_DONE);
  sqlite3_finalize(insert);
  sqlite3_close(db);
  costs::scan_stats stats;
  const auto t = totals(home.scan({}, &stats), local_source::openclaw);
  EXPECT_EQ(t.calls, 2u) << "both assistant entries are compressed; both count";
  EXPECT_EQ(t.tokens.input, 1844 + 100);
  EXPECT_EQ(t.tokens.output, 356 + 20);
  EXPECT_EQ(stats.malformed, 1u);
}

TEST(openclaw_local_test, the_agent_comes_from_the_path_and_the_task_from_the_session_key) {
  temp_home home;
  home.write(".openclaw/agents/koji/sessions/c41d7e2a.jsonl", header + model_change + assistant);
  home.write(".openclaw/agents/koji/sessions/sessions.json",
             R"({"cron:daily-digest":{"sessionId":"c41d7e2a","updatedAt":1791964689702}})");
  const auto rows =
      costs::period_rows(home.scan(), costs::report_period::day, costs::time_zone::named("UTC"),
                         costs::price_table::load_default(), {});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].agent, "koji");
  EXPECT_EQ(rows[0].task, "cron:daily-digest");
}

TEST(openclaw_local_test, codex_app_server_turns_count_from_the_rollout_not_the_mirror_row) {
  temp_home home;
  const std::string mirror_row =
      R"({"type":"message","id":"e1","parentId":null,"timestamp":"2026-10-14T09:00:05.000Z","message":{"role":"assistant","provider":"openai-codex","model":"gpt-5.5","idempotencyKey":"codex-app-server:t1:u1:assistant","usage":{"input":700,"output":70,"cacheRead":0,"cacheWrite":0,"totalTokens":770},"timestamp":1791968405000}})"
      "\n";
  home.write(sessions + "c41d7e2a.jsonl", header + mirror_row);
  // Without the rollout the mirror row is the only record, and counts.
  EXPECT_EQ(totals(home.scan({}, nullptr, true), local_source::openclaw).calls, 1u);
  const std::string rollout =
      R"({"timestamp":"2026-10-14T09:00:00.000Z","type":"session_meta","payload":{"id":"t1","cwd":"/w","model_provider":"openai"}})"
      "\n"
      R"({"timestamp":"2026-10-14T09:00:00.100Z","type":"turn_context","payload":{"model":"gpt-5.5"}})"
      "\n"
      R"({"timestamp":"2026-10-14T09:00:02.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":500,"cached_input_tokens":0,"output_tokens":50,"reasoning_output_tokens":0,"total_tokens":550},"last_token_usage":{"input_tokens":500,"cached_input_tokens":0,"output_tokens":50,"reasoning_output_tokens":0,"total_tokens":550}}}})"
      "\n"
      R"({"timestamp":"2026-10-14T09:00:04.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":1200,"cached_input_tokens":0,"output_tokens":120,"reasoning_output_tokens":0,"total_tokens":1320},"last_token_usage":{"input_tokens":700,"cached_input_tokens":0,"output_tokens":70,"reasoning_output_tokens":0,"total_tokens":770}}}})"
      "\n";
  home.write(".openclaw/agents/main/agent/codex-home/sessions/2026/10/14/rollout-t1.jsonl",
             rollout);
  const auto ledger = home.scan({}, nullptr, true);
  const auto t = totals(ledger, local_source::openclaw);
  EXPECT_EQ(t.calls, 2u) << "both calls of the turn, from the rollout; the mirror row not again";
  EXPECT_EQ(t.tokens.input, 1200);
  EXPECT_EQ(totals(ledger, local_source::codex).calls, 0u);
  for (const auto& e : ledger.entries()) EXPECT_EQ(ledger.str(e.agent), "main");
}

TEST(openclaw_local_test, legacy_roots_are_read_too) {
  temp_home home;
  home.write(".clawdbot/agents/main/sessions/c41d7e2a.jsonl", header + model_change + assistant);
  EXPECT_EQ(totals(home.scan(), local_source::openclaw).calls, 1u);
}

}  // namespace

// ---- the gateway log (docs/openclaw-gateway-log.md) ----

// A tslog line whose argument "1" is a model.usage record.
std::string logged(const std::string& session, const std::string& usage, long long ts_ms,
                   const std::string& more = "") {
  return R"({"0":"model.usage","1":{"type":"model.usage","sessionId":")" + session +
         R"(","provider":"openai","model":"gpt-5.5","usage":)" + usage + R"(,"ts":)" +
         std::to_string(ts_ms) + more +
         R"(},"_meta":{"logLevelName":"INFO","date":"2026-10-14T10:00:00.000Z","hostname":"mac"},"time":"2026-10-14T10:00:00.000Z","agent_id":"ops"})"
         "\n";
}
const std::string transcript_usage =
    R"({"input":1844,"output":356,"cacheRead":30112,"cacheWrite":0,"total":32312})";

TEST(openclaw_local_test, the_gateway_log_counts_the_calls_no_transcript_holds) {
  temp_home home;
  home.write(sessions + "c41d7e2a.jsonl", header + model_change + assistant);
  const std::string only_logged =
      logged("gw-only-1", R"({"input":1000,"output":200,"cacheRead":300,"cacheWrite":0})",
             1791972000000, R"(,"costUsd":0.0123)");
  const std::string log =
      // The transcript's call, logged too: counted once, from the transcript.
      logged("c41d7e2a", transcript_usage, 1791964689655) + only_logged +
      // The same line again (a rotated file read twice): one call.
      only_logged +
      // Newer versions put the fields at the top; a provider/model id names the provider.
      R"({"time":"2026-10-15T08:00:00.000Z","message":"model usage","session_id":"gw-only-2","agent_id":"ops","model":"anthropic/claude-opus-4-7","usage":{"input":10,"output":5,"cacheRead":0,"cacheWrite":20}})"
      "\n"
      // Lines that mention usage but carry none, a record naming no model, a line cut short.
      R"({"0":"usage.cost requested","_meta":{"logLevelName":"DEBUG"},"time":"2026-10-15T08:00:01.000Z"})"
      "\n"
      R"({"0":"agent model: anthropic/claude-opus-4-7","1":"usage on","time":"2026-10-15T08:00:02.000Z"})"
      "\n"
      R"({"0":"model.usage","1":{"type":"model.usage","sessionId":"x","usage":{"input":5,"output":1}}})"
      "\n"
      R"({"0":"model.usage","1":{"type":"model.usage","usage":{"input":5)"
      "\n";
  home.write(".openclaw/logs/openclaw.log", log);
  costs::scan_stats stats;
  const auto ledger = home.scan({}, &stats, true);
  const auto t = totals(ledger, local_source::openclaw);
  EXPECT_EQ(t.calls, 3u);
  EXPECT_EQ(t.tokens.input, 1844 + 1000 + 10);
  EXPECT_EQ(t.tokens.output, 356 + 200 + 5);
  EXPECT_EQ(t.tokens.cache_read, 30112 + 300);
  EXPECT_EQ(t.tokens.cache_write_5m, 20);
  EXPECT_EQ(t.reported_pico, 33'176'000'000 + 12'300'000'000) << "each source's own cost, exact";
  EXPECT_EQ(stats.logged_in_transcripts, 1u);
  EXPECT_EQ(stats.malformed, 2u) << "the record without a model and the cut-off line";
  // By provider, model and day, each call under the agent its line names.
  const auto rows =
      costs::period_rows(ledger, costs::report_period::day, costs::time_zone::named("UTC"),
                         costs::price_table::load_default(), {});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].period, "2026-10-14");
  EXPECT_EQ(rows[0].vendor, "anthropic");
  EXPECT_EQ(rows[0].agent, "main");
  EXPECT_EQ(rows[1].period, "2026-10-14");
  EXPECT_EQ(rows[1].vendor, "openai");
  EXPECT_EQ(rows[1].model, "gpt-5.5");
  EXPECT_EQ(rows[1].agent, "ops");
  EXPECT_EQ(rows[1].calls, 1);
  EXPECT_EQ(rows[2].period, "2026-10-15");
  EXPECT_EQ(rows[2].vendor, "anthropic");
  EXPECT_EQ(rows[2].model, "claude-opus-4-7");
  EXPECT_EQ(rows[2].agent, "ops");
}

TEST(openclaw_local_test, a_logged_call_read_before_its_transcript_is_counted_once_after) {
  temp_home home;
  home.write(".openclaw/logs/openclaw.log", logged("c41d7e2a", transcript_usage, 1791964689655));
  EXPECT_EQ(totals(home.scan(), local_source::openclaw).calls, 1u) << "no transcript yet";
  home.write(sessions + "c41d7e2a.jsonl", header + model_change + assistant);
  costs::scan_stats stats;
  const auto after = totals(home.scan({}, &stats), local_source::openclaw);
  EXPECT_EQ(after.calls, 1u);
  EXPECT_EQ(after.reported_pico, 33'176'000'000) << "the transcript's record, not the log's";
  EXPECT_EQ(stats.logged_in_transcripts, 1u);
  // Remembered: the next scans read nothing new and still count it once.
  EXPECT_EQ(totals(home.scan(), local_source::openclaw).calls, 1u);
  home.append(".openclaw/logs/openclaw.log",
              logged("later", R"({"input":1,"output":2})", 1791964700000));
  EXPECT_EQ(totals(home.scan(), local_source::openclaw).calls, 2u);
}

TEST(openclaw_local_test, openclaw_log_path_names_a_log_file_or_a_directory_of_rolling_logs) {
  temp_home home;  // no ~/.openclaw at all: the log alone is read
  home.write("tmp/openclaw/openclaw-2026-10-14.log",
             logged("a", R"({"input":1,"output":1})", 1791964689655));
  home.write("tmp/openclaw/openclaw-2026-10-15.log",
             logged("b", R"({"input":2,"output":2})", 1792051089655));
  home.write("tmp/openclaw/notes.txt", logged("c", R"({"input":4,"output":4})", 1792051089655));
  home.write(".openclaw/logs/openclaw.log",
             logged("d", R"({"input":8,"output":8})", 1792051089655));
  struct log_path {
    explicit log_path(const std::string& p) { setenv("OPENCLAW_LOG_PATH", p.c_str(), 1); }
    ~log_path() { unsetenv("OPENCLAW_LOG_PATH"); }
  };
  {
    log_path set((home.path() / "tmp/openclaw").string());
    const auto t = totals(home.scan({}, nullptr, true), local_source::openclaw);
    EXPECT_EQ(t.calls, 2u) << "the directory's openclaw*.log files, in place of the default";
    EXPECT_EQ(t.tokens.input, 3);
  }
  {
    log_path set((home.path() / "tmp/openclaw/openclaw-2026-10-15.log").string());
    EXPECT_EQ(totals(home.scan({}, nullptr, true), local_source::openclaw).tokens.input, 2);
  }
  EXPECT_EQ(totals(home.scan({}, nullptr, true), local_source::openclaw).tokens.input, 8)
      << "unset: ~/.openclaw/logs/openclaw.log";
}
