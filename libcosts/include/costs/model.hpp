// costs/model.hpp: the normalised data every source is turned into.
//
// A usage_record is one billed call (or one API bucket); a snapshot is one provider's state at
// one fetch (a usage_snapshots row); daily_cost and daily_usage are the cost_daily and
// usage_daily rows. Token counts are disjoint: `input` is uncached input only, so the total is a
// plain sum and every token is priced once.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "costs/calendar.hpp"
#include "costs/money.hpp"

namespace costs {

struct token_counts {
  std::int64_t input = 0;           ///< uncached input
  std::int64_t output = 0;          ///< includes reasoning
  std::int64_t cache_write_5m = 0;  ///< cache writes at the 5-minute rate
  std::int64_t cache_write_1h = 0;  ///< cache writes at the 1-hour rate
  std::int64_t cache_read = 0;
  std::int64_t reasoning = 0;  ///< information only: already part of `output`

  std::int64_t cache_write() const noexcept { return cache_write_5m + cache_write_1h; }
  /// input + output + cache writes + cache reads (reasoning is inside output).
  std::int64_t total() const noexcept { return input + output + cache_write() + cache_read; }

  token_counts& operator+=(const token_counts& other) noexcept;
  friend bool operator==(const token_counts& a, const token_counts& b) noexcept;
};

/// Where a cost figure came from. Stored and served as these words.
enum class cost_origin {
  billed,    ///< the provider's billing API says so
  reported,  ///< the source logged it (OpenClaw usage.cost, old Claude costUSD)
  computed,  ///< tokens x our price table: an estimate
  unpriced,  ///< no price known: the cost is absent, never zero
};

const char* to_string(cost_origin origin) noexcept;

/// One billed model call or one API bucket, normalised.
struct usage_record {
  timestamp at{};
  std::string provider;   ///< registry key, e.g. "claude_local"
  std::string host;       ///< machine for local sources, empty for account-wide data
  std::string vendor;     ///< who served the model: "anthropic", "openai", ...
  std::string model;      ///< canonical id
  std::string raw_model;  ///< as logged
  std::string agent;
  std::string project;
  std::string session;
  std::string task;
  token_counts tokens;
  std::map<std::string, std::int64_t> units;  ///< non-token providers: characters, requests
  std::optional<pico_usd> cost;               ///< absent when unpriced
  cost_origin origin = cost_origin::unpriced;
  std::optional<pico_usd> reported_cost;  ///< what the source itself said, kept beside ours
};

/// One provider's state at one fetch: a usage_snapshots row.
struct snapshot {
  std::string provider;
  std::string source;  ///< the source kind: "api", "admin_api", "local_session"
  std::string host;
  timestamp fetched_at{};
  std::optional<micro_usd> total_cost;
  token_counts tokens;
  std::optional<micro_usd> balance;
  std::optional<micro_usd> credit_limit;
  std::string currency = "USD";
  nlohmann::json units = nlohmann::json::object();
  nlohmann::json model_breakdown = nlohmann::json::array();
  nlohmann::json raw_response = nlohmann::json::object();  ///< with every secret removed
};

/// One cost_daily row: (provider, host, date) -> cost and tokens.
struct daily_cost {
  std::string provider;
  std::string host;
  civil_day date;
  std::string source;
  std::optional<micro_usd> cost;  ///< absent when nothing in the day could be priced
  token_counts tokens;
};

/// One cost_hourly row: spend in one hour (UTC hour start), for spikes by the hour.
struct hourly_cost {
  std::string provider;
  std::string host;
  timestamp hour{};
  std::string source;
  std::optional<micro_usd> cost;  ///< what could be priced; absent when nothing could
  std::int64_t calls = 0;
};

/// Spend in one UTC hour by agent and cost type, read from local logs: the Notion Cost Log's
/// rows. Types: "input" (uncached input), "cache" (cache writes and reads), "output" (reasoning
/// included). Not stored: each run sends its own machine's recent hours.
struct hourly_usage {
  std::string provider;
  std::string host;
  timestamp hour{};
  std::string agent;
  std::string cost_type;
  std::optional<micro_usd> cost;  ///< absent when any call in the group was unpriced
  std::int64_t tokens = 0;        ///< of this type
  std::int64_t calls = 0;
  std::string session;        ///< the session that cost the most in the group
  std::string transcript;     ///< its file; "" when not known
  std::int64_t sessions = 0;  ///< how many sessions the group holds
};

/// One usage_sessions row: an agent session read from local logs, whole.
struct session_usage {
  std::string provider;
  std::string host;
  std::string session;
  std::string agent;
  std::string project;
  std::string transcript;           ///< the file it was read from; "" when not known
  std::vector<std::string> models;  ///< canonical ids, sorted
  timestamp first_at{};
  timestamp last_at{};
  token_counts tokens;
  std::int64_t calls = 0;
  std::optional<micro_usd> cost;  ///< null when any call was unpriced
  micro_usd priced_cost;          ///< what could be priced
};

/// One usage_daily row: the breakdown by model, agent, project and task.
struct daily_usage {
  civil_day date;
  std::string provider;
  std::string host;
  std::string model;
  std::string agent;
  std::string project;
  std::string task;
  token_counts tokens;
  std::int64_t calls = 0;
  std::optional<micro_usd> cost;  ///< null when any call in the group was unpriced
  std::optional<micro_usd> reported_cost;
};

}  // namespace costs
