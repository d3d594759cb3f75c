// OpenClaw's SQLite era: transcript_events rows hold the same entries as the JSONL files.
// Opened read-only with a busy timeout: the gateway is the only writer and runs in WAL mode.
#include <sqlite3.h>

#include <string>

#include "local/parsers.hpp"

namespace costs::detail {

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
  const char* sql =
      "select session_id, event_json from transcript_events "
      "where instr(event_json, '\"usage\"') > 0 or instr(event_json, 'model_change') > 0 "
      "or instr(event_json, 'model-snapshot') > 0 or instr(event_json, '\"session\"') > 0 "
      "order by session_id, seq";
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    error = sqlite3_errmsg(db);
    sqlite3_close(db);
    return false;
  }
  std::string current_session;
  file_context ctx;
  file_info session_file = file;
  std::string padded_copy;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const auto* session = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    const auto* json = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1));
    const int size = sqlite3_column_bytes(stmt, 1);
    if (session == nullptr || json == nullptr) continue;
    if (current_session != session) {  // each session has its own model in force
      current_session = session;
      ctx = file_context{};
      session_file.stem = current_session;
    }
    padded_copy.assign(json, static_cast<std::size_t>(size));
    padded_copy.append(simdjson::SIMDJSON_PADDING, ' ');
    parse_openclaw_line(std::string_view(padded_copy.data(), static_cast<std::size_t>(size)), 0,
                        session_file, ctx, out, parser);
  }
  if (rc != SQLITE_DONE) error = sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rc == SQLITE_DONE;
}

}  // namespace costs::detail
