// costs/target.hpp: the database, opened from its URL (Postgres, or Supabase's REST API). It
// owns every table and view: a sync run is written through it, every figure a page or a report
// shows is one of its reads, and budgets and their alerts are its rows. Reads return structs,
// read by column name, so no caller knows a table's layout or a column's position.
//
// Days are the caller's: every read that covers days takes them, worked out in the user's zone
// by the caller (one definition of "today" for every route and command).
//
// Failures are costs::store_error: "store.unavailable" when the database cannot be reached (try
// again later), "store.bad_value" when a value is out of range for its column (the caller's
// fault), "store.query" for anything else. A target is not thread-safe: one per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "costs/batch.hpp"
#include "costs/calendar.hpp"

namespace costs {

struct token_sums {
  std::int64_t input = 0, output = 0, cache_read = 0, cache_write = 0;

  token_sums& operator+=(const token_sums& o) {
    input += o.input;
    output += o.output;
    cache_read += o.cache_read;
    cache_write += o.cache_write;
    return *this;
  }
};

/// The newest snapshot per provider and host (usage_latest), with that pair's newest sync; or a
/// pair whose only news is a failed sync (no snapshot: `fetched_at` empty).
struct latest_row {
  std::string provider;
  std::optional<std::string> source;  ///< null for a failed sync without a snapshot
  std::string host;
  std::optional<std::string> fetched_at;  ///< ISO 8601 UTC
  std::optional<std::int64_t> age_seconds;
  std::optional<std::int64_t> total_cost_micro_usd;
  std::optional<std::int64_t> balance_micro_usd;
  std::optional<std::int64_t> credit_limit_micro_usd;
  std::string currency;
  token_sums tokens;
  std::int64_t total_tokens = 0;
  std::optional<std::string> units_json;
  std::optional<std::string> model_breakdown_json;
  std::optional<std::string> sync_status;  ///< null when no sync was logged in 8 days
  std::string sync_error;
  std::string synced_at;
  bool sync_failed = false;
};

struct balance_row {
  std::string provider;
  std::int64_t balance_micro_usd = 0;
  std::string currency;
};

/// Cost per day and key; a group with any unpriced row has no cost.
struct daily_row {
  std::string date;
  std::string key;
  std::optional<std::int64_t> cost_micro_usd;
  token_sums tokens;
};

/// Which usage a read covers; an empty field means all. Days a provider billed without itemising
/// them (no model, agent, project or task) count only while none of those four is set.
struct usage_filter {
  std::string provider;
  std::string model;
  std::string agent;
  std::string project;
  std::string task;

  bool itemised() const noexcept {
    return !model.empty() || !agent.empty() || !project.empty() || !task.empty();
  }
};

struct breakdown_row {
  std::string key;                                    ///< "" for billed days with no itemised rows
  std::optional<std::int64_t> cost_micro_usd;         ///< null when any part is unpriced
  std::optional<std::int64_t> priced_cost_micro_usd;  ///< the priced part
  std::int64_t calls = 0;
  token_sums tokens;
};

/// A flat-fee plan covering a provider's usage (e.g. Claude Max for claude_local). That usage
/// priced at list prices is "API-equivalent", not spend: the totals, forecasts, total budgets
/// and the total burn leave the provider out unless `counts_in_spend`.
struct subscription {
  std::string provider;
  std::string plan;
  std::optional<std::int64_t> monthly_fee_micro_usd;
  bool counts_in_spend = false;
};

/// One agent session (usage_sessions), whole.
struct session_view {
  std::string provider;
  std::string host;
  std::string session;
  std::string agent;
  std::string project;
  std::string transcript;
  std::vector<std::string> models;
  std::string first_at;  ///< ISO 8601 UTC
  std::string last_at;
  token_sums tokens;
  std::int64_t calls = 0;
  std::optional<std::int64_t> cost_micro_usd;  ///< null when any call was unpriced
  std::int64_t priced_cost_micro_usd = 0;
};

/// One day's spend of one kind: billed (a provider's API) or estimated (local logs).
struct spend_day_row {
  std::string date;
  bool estimated = false;
  std::optional<std::int64_t> cost_micro_usd;
  std::int64_t unpriced_rows = 0;
};

struct spend_total_row {
  bool estimated = false;
  std::int64_t cost_micro_usd = 0;
  std::int64_t unpriced_rows = 0;
  std::string first_date;  ///< "" when none
};

struct hour_spend_row {
  std::string hour;  ///< ISO 8601 UTC, on the hour
  std::int64_t cost_micro_usd = 0;
};

struct provider_day_row {
  std::string provider;
  std::string date;
  std::optional<std::int64_t> cost_micro_usd;
  bool estimated = false;
  std::int64_t unpriced_rows = 0;
};

/// A cloud bill (Azure, Google Cloud) per day, service and resource group.
struct service_day_row {
  std::string date;
  std::string service;         ///< "" when the bill names none
  std::string resource_group;  ///< Azure's resource group, Google's project; "" when none
  std::optional<std::int64_t> cost_micro_usd;
};

/// Reconciliation: a billing provider's bill per day, or local logs' estimate per day and model.
struct billed_day_row {
  std::string provider;
  std::string date;
  std::int64_t cost_micro_usd = 0;
};
struct estimated_model_row {
  std::string date;
  std::string model;
  std::int64_t cost_micro_usd = 0;
};

/// An enabled budget rule, as readers may see it (no channels).
struct budget_view {
  std::int64_t id = 0;
  std::string name, kind, scope_kind, scope_value, period;
  std::int64_t threshold_micro_usd = 0;
  int warn_permille = 0;
};

struct sync_row {
  std::string provider;
  std::string host;
  std::string status;
  std::string started_at, finished_at;  ///< ISO 8601 UTC
  std::int64_t rows_written = 0;
  std::string error;
  std::string run_id;  ///< the run that wrote the row; empty for rows from before run ids
};

/// A budget rule as the table holds it, every one (enabled or not), with its channels as JSON
/// text: costs::budget_book turns it into a budget_rule.
struct budget_record {
  std::int64_t id = 0;
  std::string name;
  std::string kind = "spend";  ///< or "low_balance"
  std::string scope_kind = "total";
  std::string scope_value;
  std::string period = "month";
  std::int64_t threshold_micro_usd = 0;
  int warn_permille = 800;
  std::string channels_json = "[]";
  bool enabled = true;
};

/// An alert_events row: a rule reached a level in a period; delivered to these channels so far.
struct alert_record {
  std::int64_t id = 0;
  std::int64_t budget_id = 0;
  civil_day period_start;
  std::string level;
  std::int64_t spent_micro_usd = 0;  ///< for low-balance rules: the balance
  std::int64_t threshold_micro_usd = 0;
  std::vector<std::string> delivered_channels;
};

/// An alert as the page's history shows it: its rule, when it fired, where it went and what
/// failed. `delivered_at` is empty until every channel of its rule took it.
struct alert_history_row {
  alert_record alert;
  std::string budget_name;
  std::string scope;  ///< "total", or "provider:openrouter", "agent:main", ...
  std::string period;
  std::string fired_at, delivered_at;  ///< ISO 8601 UTC
  std::string delivery_error;
};

/// One LLM call an agent reported (POST /api/costs/llm), ready to store: dated in the user's
/// zone and priced by the caller.
struct reported_call {
  std::string id;  ///< the caller's: a call sent again is recorded once
  timestamp at{};
  civil_day date;
  std::string agent, session, task, model, vendor;
  std::int64_t input = 0, output = 0, cache_write = 0, cache_read = 0, reasoning = 0;
  std::optional<std::int64_t> cost_micro_usd;           ///< what counts; null when unpriced
  std::optional<std::int64_t> reported_cost_micro_usd;  ///< the caller's own figure
};

struct target_options {
  /// Any one statement longer than this is cancelled (store.unavailable): a stuck query never
  /// holds a caller for long. Zero: the database's own setting.
  std::chrono::milliseconds statement_timeout{0};
  /// Connecting gives up after this (a database host that accepts and never answers). Zero:
  /// the URL's own connect_timeout, else none. A URL that sets one keeps its own.
  std::chrono::seconds connect_timeout{0};
  /// For a Supabase / PostgREST base URL: the service key (legacy JWT or sb_secret_).
  std::string rest_key;
};

class target {
 public:
  virtual ~target() = default;

  /// Does the database answer?
  virtual void ping() = 0;
  /// Is the connection still open? False once the database dropped it.
  virtual bool connected() const noexcept = 0;

  /// `local_keys`: the providers whose sync-log host names the machine the data came from.
  virtual std::vector<latest_row> latest(const std::vector<std::string>& local_keys) = 0;
  /// Each provider's newest balance (of any host).
  virtual std::vector<balance_row> balances() = 0;
  /// `group`: provider (every source), model or agent (itemised sources).
  virtual std::vector<daily_row> daily(const std::string& group, civil_day from, civil_day to,
                                       const usage_filter& filter) = 0;
  /// `by`: provider, model, agent, project, task or date; every billed dollar included while
  /// the filter is not itemised.
  virtual std::vector<breakdown_row> breakdown(const std::string& by, civil_day from, civil_day to,
                                               const usage_filter& filter) = 0;
  /// The sessions that ran on any day from `from` to `to` in `zone`, newest first, at most
  /// `limit`; the filter's provider, agent, project and model (one of the session's) apply.
  virtual std::vector<session_view> sessions(civil_day from, civil_day to, const std::string& zone,
                                             const usage_filter& filter, int limit) = 0;
  /// `provider`'s itemised bill per day, service and resource group.
  virtual std::vector<service_day_row> service_costs(const std::string& provider, civil_day from,
                                                     civil_day to) = 0;
  virtual std::vector<spend_day_row> spend_by_day(civil_day from, civil_day to) = 0;
  virtual std::vector<spend_total_row> spend_all_time() = 0;
  /// Spend per UTC hour from `since` on.
  virtual std::vector<hour_spend_row> spend_by_hour(timestamp since) = 0;
  virtual std::vector<provider_day_row> spend_by_provider_day(civil_day from, civil_day to) = 0;
  /// What `providers` (billing APIs) billed per day; days without a bill are left out.
  virtual std::vector<billed_day_row> billed_by_day(civil_day from, civil_day to,
                                                    const std::vector<std::string>& providers) = 0;
  /// What the local logs of `providers` price per day and model.
  virtual std::vector<estimated_model_row> estimated_by_model(
      civil_day from, civil_day to, const std::vector<std::string>& providers) = 0;
  virtual std::vector<budget_view> budgets() = 0;
  /// The plans, by provider.
  virtual std::vector<subscription> subscriptions() = 0;
  /// Adds or replaces `s.provider`'s plan.
  virtual void set_subscription(const subscription& s) = 0;
  /// @returns false when the provider had no plan.
  virtual bool clear_subscription(const std::string& provider) = 0;
  /// What a scope ("total", "provider", "agent", "model" with its value) spent in the days.
  virtual std::int64_t scope_spend_micro_usd(const std::string& scope_kind,
                                             const std::string& scope_value, civil_day from,
                                             civil_day to) = 0;
  virtual std::vector<std::string> known_agents() = 0;
  /// Each provider's newest sync.
  virtual std::vector<sync_row> last_syncs() = 0;
  /// The newest `limit` syncs; `all` includes providers not configured.
  virtual std::vector<sync_row> sync_log(int limit, bool all) = 0;

  /// Writes one sync run: in one transaction on Postgres; over REST as idempotent upserts, so
  /// a run resent whole after a failure adds nothing twice. @throws costs::store_error.
  virtual write_summary write(const sync_batch& batch) = 0;

  /// Retention: nulls the raw responses of at most `batch` snapshots fetched before `before`,
  /// oldest first, through an index of those that still have one (never a scan of the table).
  /// @returns how many; fewer than `batch` means none older are left.
  virtual std::int64_t prune_raw_responses(timestamp before, int batch) = 0;

  /// Records reported calls, each once by its id (in the batch and across batches), and adds
  /// the new ones to the daily and hourly rows of the provider "agent_reports", in one
  /// transaction. @returns how many were new.
  virtual std::int64_t record_calls(const std::vector<reported_call>& calls) = 0;

  // Budgets and their alerts, as costs::budget_book keeps them.
  virtual std::vector<budget_record> budget_records() = 0;
  /// @returns the new rule's id.
  virtual std::int64_t add_budget(const budget_record& rule) = 0;
  /// @returns false when no rule had that id.
  virtual bool remove_budget(std::int64_t id) = 0;
  /// Changes rule `id` in place (its alerts stay with it). @returns false when no rule had it.
  virtual bool update_budget(std::int64_t id, const budget_record& rule) = 0;
  /// The newest `limit` alerts, newest first.
  virtual std::vector<alert_history_row> alert_history(int limit) = 0;
  /// Records each alert once: one already there for its rule, period and level is left alone.
  virtual void record_alerts(const std::vector<alert_record>& alerts) = 0;
  /// Alerts not yet delivered to every channel, oldest first.
  virtual std::vector<alert_record> undelivered_alerts() = 0;
  /// `took`: the channels that have the alert now; `all`: every channel of its rule has it.
  virtual void record_delivery(std::int64_t alert_id, const std::vector<std::string>& took,
                               bool all, const std::string& errors) = 0;
};

/// Opens a postgres:// URL, or a Supabase / PostgREST base URL with `options.rest_key`. Over
/// REST, what needs SQL (the latest snapshots, the timeline, breakdowns, the sync log) throws
/// store_error "store.query" saying to use the database URL; the command line's reads and the
/// budget book work either way.
/// @throws costs::store_error "store.unavailable" when it cannot connect, costs::config_error for
/// a REST URL without a key.
std::unique_ptr<target> open_target(const std::string& url, target_options options = {});

}  // namespace costs
