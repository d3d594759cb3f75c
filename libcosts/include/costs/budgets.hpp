// costs/budgets.hpp: budget rules, the alerts they fire, and where alerts go.
//
// A rule has a scope (total, provider:KEY, agent:NAME, model:ID), a period (day, week, month),
// a threshold and a warning ratio; a low-balance rule (kind "low_balance", scope provider:KEY)
// fires when that provider's balance falls under its threshold. After every sync the rules are
// evaluated: each (rule, period, level) fires once, recorded in alert_events, and again only at
// the next level. Delivery is retried on later runs until every channel took it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "costs/calendar.hpp"
#include "costs/money.hpp"

namespace costs {

struct budget_rule {
  std::int64_t id = 0;
  std::string name;
  std::string kind = "spend";  ///< "spend" or "low_balance"
  std::string scope_kind = "total";
  std::string scope_value;
  std::string period = "month";
  micro_usd threshold;
  int warn_permille = 800;
  /// [{"type":"webhook"|"slack"|"ntfy","url":...}, {"type":"telegram","token":...,"chat_id":...},
  ///  {"channel":"ops"}]: the last names a channel the operator configured (configured_channels),
  /// the only form the server's API accepts, so no API caller chooses where alerts are sent.
  nlohmann::json channels = nlohmann::json::array();
  bool enabled = true;

  /// "total", "provider:openrouter", ...
  std::string scope() const;
};

/// Sets scope_kind and scope_value from "total", "provider:KEY", "agent:NAME" or "model:ID".
/// @throws costs::config_error naming what is allowed.
void set_scope(budget_rule& rule, const std::string& scope);

/// A rule as a person writes it (command line, config file, API): text, checked by make_rule.
struct budget_spec {
  std::string kind = "spend";
  std::string scope = "total";
  std::string period = "month";
  std::string threshold;  ///< dollars, a plain decimal
  std::string warn_ratio = "0.8";
  std::string name;
  nlohmann::json channels = nlohmann::json::array();
};

/// @throws costs::config_error with one line naming what is wrong and what is allowed.
budget_rule make_rule(const budget_spec& spec);

/// The rules written in the config file, one line each, named config:<name>:
///     COSTS_BUDGET_MONTHLY = scope=total period=month threshold=500 warn=0.8 slack=https://...
///     COSTS_BUDGET_OPENROUTER_LOW = kind=low_balance scope=provider:openrouter threshold=10
/// Keys: kind, scope, period, threshold, warn, webhook, slack, ntfy, telegram (BOT_TOKEN:CHAT_ID).
/// @throws costs::config_error naming the entry that is wrong.
std::vector<budget_rule> config_budget_rules();

/// The alert channels the operator configured, by lowercase name, from the environment and the
/// config file (the environment wins):
///     COSTS_CHANNEL_OPS = slack=https://hooks.slack.com/services/...
/// One word: webhook=URL, slack=URL, ntfy=URL or telegram=BOT_TOKEN:CHAT_ID.
/// @throws costs::config_error naming the entry that is wrong.
std::map<std::string, nlohmann::json> configured_channels();

/// The level a rule reaches with `measured` (spend in its period, or for a low-balance rule the
/// balance): "exceeded", "warn", or "" for none.
std::string alert_level(const budget_rule& rule, micro_usd measured);

/// One alert: a rule reached a level in a period.
struct budget_alert {
  std::int64_t event_id = 0;  ///< its alert_events row
  budget_rule rule;
  civil_day period_start;
  std::string level;  ///< "warn" or "exceeded"
  micro_usd spent;    ///< for low-balance rules: the balance
  micro_usd threshold;
  std::vector<std::string> delivered;  ///< channel ids that already took it
};

/// The message, short enough for a chat line: numbers, the rule, a link to the page.
///     "⚠ costs: monthly total budget at 84%: $421.50 of $500.00 (since 2026-11-01).
///     https://…/costs/"
std::string alert_text(const budget_alert& alert, const std::string& page_url);

/// A stable id for a channel that does not reveal its URL or token (alert_events is readable by
/// the reader role).
std::string channel_id(const nlohmann::json& channel);

/// Sends one alert to one channel (a named one is looked up in configured_channels()). Returns
/// the empty string on success, else one line saying what failed (never the URL's secret parts
/// or a bot token). Hosts on private, loopback or link-local addresses are refused unless the
/// operator sets COSTS_ALLOW_PRIVATE_CHANNELS=1 (for a webhook on the same machine or LAN).
std::string deliver_alert(const budget_alert& alert, const nlohmann::json& channel,
                          const std::string& page_url);

/// Budget rules and alerts in the target: a Postgres database, or Supabase's REST API.
class budget_book {
 public:
  virtual ~budget_book() = default;
  virtual std::vector<budget_rule> list() = 0;
  /// @returns the new rule's id.
  virtual std::int64_t add(const budget_rule& rule) = 0;
  /// @returns false when no rule had that id.
  virtual bool remove(std::int64_t id) = 0;
  /// Changes rule `id` to `rule`, keeping its id and its alerts. @returns false when no rule had
  /// that id.
  virtual bool replace(std::int64_t id, const budget_rule& rule) = 0;
  /// What a spend rule's scope spent from `from` to `to` (the figure its alerts are judged on).
  virtual micro_usd spent_in(const budget_rule& rule, civil_day from, civil_day to) = 0;
  /// Evaluates every enabled rule for the periods containing `today`, records newly reached
  /// levels, and returns every alert not yet delivered to all its channels (new or older).
  virtual std::vector<budget_alert> pending_alerts(civil_day today) = 0;
  /// Records which channels took the alert and the failures; delivered once all took it.
  virtual void record_delivery(const budget_alert& alert, const std::vector<std::string>& took,
                               const std::string& errors) = 0;
};

/// Makes the book's config:* rules match `rules` (added, replaced when changed, removed when no
/// longer in the file); rules added any other way are left alone. Returns how many changed.
int apply_config_rules(budget_book& book, const std::vector<budget_rule>& rules);

/// `target` is a postgres:// URL, or a Supabase / PostgREST base URL used with `rest_key` (the
/// service key). @throws costs::store_error if the connection fails (never showing a password),
/// costs::config_error for a REST target without a key.
std::unique_ptr<budget_book> open_budget_book(const std::string& target,
                                              const std::string& rest_key = "");

}  // namespace costs
