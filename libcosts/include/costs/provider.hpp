// costs/provider.hpp: what a provider implementation offers the sync.
//
// A provider detects whether it is configured (a credential found, a log directory present),
// then collects: one snapshot and, where the source has them, daily rows. Failures a user can
// expect (a key rejected, a host down, a malformed line) come back in the result, never as an
// exception: one failing provider must not stop the others.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "costs/calendar.hpp"
#include "costs/model.hpp"
#include "costs/registry.hpp"
#include "costs/secrets.hpp"

namespace costs {

class price_table;

/// Whether a provider can run here, and why (shown by `costs-sync providers`).
struct detection {
  bool configured = false;
  std::string reason;  ///< "OPENROUTER_API_KEY is set", "~/.claude not found"; never the secret
  found_in found = found_in::nowhere;  ///< where what made it configured was found
};

/// What a collection may use.
struct collect_context {
  timestamp now{};
  std::optional<civil_day> since;       ///< oldest day wanted, if the source can go back
  const price_table* prices = nullptr;  ///< for sources that must compute costs
  const time_zone* zone = nullptr;      ///< whose calendar days the daily rows use
  std::string host;                     ///< this machine's name, for local sources
  std::filesystem::path state_dir;      ///< where local sources keep their ledger
};

/// `partial`: something was collected and stored, and a part failed (the error says which).
enum class collect_status {
  ok,
  partial,
  not_configured,
  auth_failed,
  http_error,
  parse_error,
  failed
};

/// Stored in cost_sync_log.status as these words.
const char* to_string(collect_status status) noexcept;

struct collect_result {
  collect_status status = collect_status::ok;
  std::optional<snapshot> snap;
  std::vector<costs::daily_cost> daily_costs;
  std::vector<costs::daily_usage> daily_usage;
  std::vector<costs::hourly_cost> hourly_costs;   ///< recent hours, where the source has them
  std::vector<costs::session_usage> sessions;     ///< local logs: each session, whole
  std::vector<costs::hourly_usage> hourly_usage;  ///< local logs: recent hours by agent and type
  std::string error;                              ///< one line, no secrets; empty when ok
};

class provider {
 public:
  virtual ~provider() = default;
  virtual const provider_info& info() const = 0;
  virtual detection detect() const = 0;
  virtual collect_result collect(const collect_context& context) = 0;
};

/// A new instance of the provider with `key`, or nullptr when it has no collector in this
/// build yet.
std::unique_ptr<provider> make_provider(std::string_view key);

}  // namespace costs
