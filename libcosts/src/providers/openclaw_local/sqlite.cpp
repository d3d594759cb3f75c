// OpenClaw's SQLite era: transcript_events rows hold the same entries as the JSONL files. Current
// versions (2026.9.x) keep an event either as text in event_json or, when it is 1 KB or more and
// shrinks, zstd-compressed in event_zstd with event_json NULL; assistant entries (the ones with
// usage) are mostly the compressed kind, so both columns are read. Older stores have no
// event_zstd column. Opened read-only with a busy timeout: the gateway is the only writer and runs
// in WAL mode.
#include <sqlite3.h>
#include <zstd.h>

#include <string>
#include <string_view>

#include "local/parsers.hpp"

namespace costs::detail {
namespace {

bool has_column(sqlite3* db, const char* table, std::string_view column) {
  sqlite3_stmt* stmt = nullptr;
  const std::string sql = std::string("pragma table_info(") + table + ")";
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) return false;
  bool found = false;
  while (!found && sqlite3_step(stmt) == SQLITE_ROW) {
    const auto* name = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1));
    found = name != nullptr && column == name;
  }
  sqlite3_finalize(stmt);
  return found;
}

// One zstd frame into `out` (replaced). Streams, so a frame without its content size (Node's
// streaming compressor writes none) decompresses as well as one with it.
bool unzstd(const void* data, std::size_t size, std::string& out, ZSTD_DStream* stream) {
  out.clear();
  ZSTD_initDStream(stream);
  ZSTD_inBuffer in{data, size, 0};
  char chunk[16384];
  std::size_t rc = 1;
  while (in.pos < in.size || rc != 0) {
    ZSTD_outBuffer o{chunk, sizeof chunk, 0};
    rc = ZSTD_decompressStream(stream, &o, &in);
    if (ZSTD_isError(rc)) return false;
    out.append(chunk, o.pos);
    if (in.pos == in.size && o.pos < o.size && rc != 0) return false;  // truncated frame
    if (out.size() > (64u << 20)) return false;  // no single event is this large
  }
  return true;
}

// The same markers the JSONL reader looks for: rows without one carry no usage or model.
bool worth_parsing(std::string_view json) {
  return json.find("\"usage\"") != std::string_view::npos ||
         json.find("model_change") != std::string_view::npos ||
         json.find("model-snapshot") != std::string_view::npos ||
         json.find("\"session\"") != std::string_view::npos;
}

}  // namespace

bool read_openclaw_sqlite(const std::string& db_path, const file_info& file, file_batch& out,
                          simdjson::ondemand::parser& parser, std::string& error) {
  sqlite3* db = nullptr;
  const std::string uri = "file:" + db_path + "?mode=ro";
  if (sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) !=
      SQLITE_OK) {
    error = db ? sqlite3_errmsg(db) : "cannot open";
    sqlite3_close(db);
    return false;
  }
  sqlite3_busy_timeout(db, 1500);
  // Text rows are filtered in SQL; compressed rows can only be filtered once inflated.
  const std::string text_filter =
      "(instr(event_json, '\"usage\"') > 0 or instr(event_json, 'model_change') > 0 "
      "or instr(event_json, 'model-snapshot') > 0 or instr(event_json, '\"session\"') > 0)";
  const std::string sql =
      has_column(db, "transcript_events", "event_zstd")
          ? "select session_id, event_json, event_zstd from transcript_events where " +
                text_filter + " or (event_json is null and event_zstd is not null) " +
                "order by session_id, seq"
          : "select session_id, event_json, null from transcript_events where " + text_filter +
                " order by session_id, seq";
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    error = sqlite3_errmsg(db);
    sqlite3_close(db);
    return false;
  }
  ZSTD_DStream* stream = ZSTD_createDStream();
  std::string current_session;
  file_context ctx;
  file_info session_file = file;
  std::string event;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const auto* session = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    if (session == nullptr) continue;
    if (const auto* json = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1))) {
      event.assign(json, static_cast<std::size_t>(sqlite3_column_bytes(stmt, 1)));
    } else if (const void* blob = sqlite3_column_blob(stmt, 2)) {
      if (!unzstd(blob, static_cast<std::size_t>(sqlite3_column_bytes(stmt, 2)), event, stream)) {
        ++out.malformed;  // a damaged row is skipped and counted, like a broken line
        continue;
      }
      if (!worth_parsing(event)) continue;
    } else {
      continue;
    }
    if (current_session != session) {  // each session has its own model in force
      current_session = session;
      ctx = file_context{};
      session_file.stem = current_session;
    }
    const std::size_t size = event.size();
    event.append(simdjson::SIMDJSON_PADDING, ' ');
    parse_openclaw_line(std::string_view(event.data(), size), 0, session_file, ctx, out, parser);
  }
  if (rc != SQLITE_DONE) error = sqlite3_errmsg(db);
  ZSTD_freeDStream(stream);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rc == SQLITE_DONE;
}

}  // namespace costs::detail
