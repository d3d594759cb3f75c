// costs/sync_run.hpp: one sync as a library call. It collects every chosen provider at once, each
// within its own deadline (a run takes about as long as its slowest provider, not the sum),
// spools the batch, writes it with earlier runs that waited, judges the budgets on what is now
// stored, and sends alerts and the Notion summary. `costs-sync run` prints its report; any other
// program (a sync trigger, a plugin) runs a sync the same way without shelling out.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "costs/batch.hpp"
#include "costs/calendar.hpp"
#include "costs/error.hpp"
#include "costs/money.hpp"
#include "costs/notion.hpp"

namespace costs {

struct sync_options {
  /// A postgres:// URL or a Supabase / PostgREST https:// URL; may be empty for a dry run.
  std::string target;
  std::string supabase_key;            ///< the service key for an https:// target
  std::vector<std::string> providers;  ///< registry keys; empty means every provider
  bool api_only = false;               ///< only the providers' billing APIs
  bool local_only = false;             ///< only the agents' local logs
  std::optional<civil_day> since;      ///< oldest day wanted, where the source can go back
  std::string zone;                    ///< IANA zone of the user's days; empty means local
  bool dry_run = false;                ///< collect only: no lock, no write, no alerts
  /// The run's id in the sync log; empty means a new one. A caller that answers with the id
  /// before the run ends (the server's sync trigger) chooses it.
  std::string run_id;
  /// Days a snapshot keeps its raw response; older ones are nulled after the write, at most
  /// 100,000 a run in batches of 1,000 (daily rows are kept for good). Unset means
  /// COSTS_HISTORY_RETENTION_DAYS, else 90; 0 keeps them for good.
  std::optional<int> history_retention_days;
  /// How long one provider may take; past it the provider is reported as failed and the run
  /// goes on. Zero means COSTS_PROVIDER_DEADLINE_SECONDS, else 120 s.
  std::chrono::seconds provider_deadline{0};
  /// How long to wait for another run that holds the lock. Zero means COSTS_LOCK_WAIT_SECONDS,
  /// else 600 s.
  std::chrono::seconds lock_wait{0};
  /// Called with one line a person should see (waiting for a lock, an alert not delivered, a
  /// damaged spool file set aside). The lines are also in the report.
  std::function<void(std::string_view)> on_notice;
};

/// What became of one provider. `status` is a collect_status word, or "unavailable" when this
/// build has no collector for it.
struct provider_run {
  std::string key;
  std::string status;
  std::string detail;  ///< one line, no secrets
  std::int64_t rows = 0;
  double seconds = 0;
};

struct alert_sent {
  std::int64_t budget_id = 0;
  std::string level;
  civil_day period_start;
  micro_usd spent;
  micro_usd threshold;
  std::string text;
  std::string delivery_errors;  ///< empty when every channel took it
};

struct run_report {
  std::string run_id;  ///< empty for a dry run
  bool dry_run = false;
  std::vector<provider_run> providers;  ///< in registry order
  write_summary written;
  std::size_t earlier_runs_sent = 0;
  /// Set when the target could not be written: the batch waits in the spool for the next run,
  /// and budgets were not judged. The message says how many runs wait and where.
  std::optional<store_error> write_failure;
  std::vector<alert_sent> alerts;
  int alert_failures = 0;  ///< deliveries (and Notion rows) that failed and are retried next run
  std::optional<notion_result> notion;    ///< what the Notion tracker wrote, when it is on
  std::int64_t raw_responses_pruned = 0;  ///< snapshots whose raw response retention nulled
  std::vector<std::string> notices;
  double seconds = 0;

  /// Providers that were configured and failed (any status but ok, not_configured, unavailable).
  std::size_t failed() const;
  std::size_t collected() const;
};

/// Runs one sync. Throws costs::config_error for bad options (an unknown provider key, both
/// api_only and local_only, a target that is neither kind) and costs::error "run.locked" when
/// another run kept the lock for the whole wait. Everything that can fail in the field (a
/// provider, the target, a channel) is in the report instead.
run_report sync_run(const sync_options& options);

}  // namespace costs
