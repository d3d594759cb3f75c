// costs/batch.hpp: where a sync run's results go.
//
// A store takes a whole run at once and writes it in one transaction: snapshots appended,
// daily rows upserted (a re-sync replaces, never duplicates), one sync-log row per provider.
// The Postgres store speaks libpqxx; nothing of libpqxx shows here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "costs/calendar.hpp"
#include "costs/model.hpp"

namespace costs {

/// One cost_sync_log row: how one provider fared in one run.
struct sync_log_entry {
  std::string provider;
  std::string host;
  timestamp started_at{};
  timestamp finished_at{};
  std::string status;  ///< "ok", "failed", "not_configured", ...
  std::int64_t rows_written = 0;
  std::string error;  ///< one line, no secrets; empty when ok
};

/// Everything one run produced.
struct sync_batch {
  std::string run_id;  ///< unique per run: a resend of the same batch adds no snapshot or log row
  std::vector<snapshot> snapshots;
  std::vector<costs::daily_cost> daily_costs;
  std::vector<costs::daily_usage> daily_usage;
  std::vector<costs::hourly_cost> hourly_costs;
  std::vector<costs::session_usage> sessions;
  std::vector<sync_log_entry> log;
};

/// Rows each table received.
struct write_summary {
  std::int64_t snapshots = 0;
  std::int64_t daily_costs = 0;
  std::int64_t daily_usage = 0;
  std::int64_t log = 0;
};

/// The batch as JSON (for the spool) and back. Money stays exact (decimal strings).
/// @throws costs::parse_error when the text is not a batch.
std::string to_json(const sync_batch& batch);
sync_batch batch_from_json(std::string_view text);

/// A new run id: time and randomness, unique enough to never collide in one database.
std::string new_run_id();

/// Is `target` a Postgres URL (postgres:// or postgresql://, written directly) rather than a
/// Supabase / PostgREST base URL (written over REST)? The one place that decides.
bool is_postgres_url(std::string_view target) noexcept;

}  // namespace costs
