// Alert messages and their delivery to a webhook, Slack, Telegram or ntfy.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>

#include "budgets/judge.hpp"
#include "costs/budgets.hpp"
#include "costs/error.hpp"
#include "costs/forecast.hpp"
#include "costs/paths.hpp"
#include "costs/registry.hpp"
#include "http/http_client.hpp"

extern char** environ;  // POSIX; not every libc declares it

namespace costs {

std::string budget_rule::scope() const {
  return scope_kind == "total" ? "total" : scope_kind + ":" + scope_value;
}

void set_scope(budget_rule& rule, const std::string& scope) {
  if (scope == "total") {
    rule.scope_kind = "total";
    rule.scope_value.clear();
    return;
  }
  const auto colon = scope.find(':');
  const std::string kind = scope.substr(0, colon);
  if (colon != std::string::npos && colon + 1 < scope.size() &&
      (kind == "provider" || kind == "agent" || kind == "model")) {
    rule.scope_kind = kind;
    rule.scope_value = scope.substr(colon + 1);
    return;
  }
  throw config_error("budgets.bad_scope",
                     "a scope is total, provider:KEY, agent:NAME or model:ID, not '" + scope + "'");
}

namespace {

bool valid_channel_name(const std::string& name) {
  return !name.empty() && name.size() <= 64 &&
         name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") == std::string::npos;
}

// Where an alert may be sent: an http:// or https:// URL with no control characters. Anything
// else (gopher://, dict://, file://, a NUL byte) would let a rule reach past the web.
bool web_url(const nlohmann::json& value) {
  if (!value.is_string()) return false;
  const std::string& url = value.get_ref<const std::string&>();
  std::string scheme = url.substr(0, url.find("://"));
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if ((scheme != "http" && scheme != "https") || url.size() <= scheme.size() + 3 ||
      url.size() > 2048)
    return false;
  for (unsigned char c : url)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

// One channel word of the config file: webhook=URL, slack=URL, ntfy=URL,
// telegram=BOT_TOKEN:CHAT_ID or channel=NAME; nullopt when `key` is none of these.
std::optional<nlohmann::json> channel_word(const std::string& key, const std::string& value) {
  if (key == "webhook" || key == "slack" || key == "ntfy") {
    if (!web_url(value)) return std::nullopt;
    return nlohmann::json{{"type", key}, {"url", value}};
  }
  if (key == "telegram" && value.rfind(':') != std::string::npos && value.rfind(':') > 0)
    return nlohmann::json{{"type", "telegram"},
                          {"token", value.substr(0, value.rfind(':'))},
                          {"chat_id", value.substr(value.rfind(':') + 1)}};
  if (key == "channel" && valid_channel_name(value)) return nlohmann::json{{"channel", value}};
  return std::nullopt;
}

}  // namespace

budget_rule make_rule(const budget_spec& spec) {
  budget_rule rule;
  // Postgres text holds no NUL, and a control character in a name is a mistake either way.
  auto printable = [](const std::string& text) {
    return std::none_of(text.begin(), text.end(),
                        [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
  };
  if (!printable(spec.name))
    throw config_error("budgets.bad_name", "name: text without control characters");
  if (!printable(spec.scope))
    throw config_error("budgets.bad_scope", "scope: text without control characters");
  rule.name = spec.name;
  if (spec.kind != "spend" && spec.kind != "low_balance")
    throw config_error("budgets.bad_kind", "a budget's kind is spend or low_balance");
  rule.kind = spec.kind;
  set_scope(rule, spec.scope);
  if (rule.scope_kind == "provider" && find_provider(rule.scope_value) == nullptr) {
    std::string known;
    for (const auto& p : all_providers()) known += (known.empty() ? "" : ", ") + std::string(p.key);
    throw config_error("budgets.bad_scope",
                       "scope: no provider '" + rule.scope_value + "'; known: " + known);
  }
  if (rule.scope_value.size() > 200)
    throw config_error("budgets.bad_scope", "scope: a name of at most 200 characters");
  if (rule.kind == "low_balance" && rule.scope_kind != "provider")
    throw config_error("budgets.bad_scope",
                       "a low_balance rule watches one provider: scope provider:KEY");
  if (spec.period != "day" && spec.period != "week" && spec.period != "month")
    throw config_error("budgets.bad_period", "a budget's period is day, week or month");
  rule.period = spec.period;
  const auto threshold = try_parse_usd(spec.threshold);
  // numeric(12, 6) holds under a million dollars; a bigger budget is a typo, not a plan.
  if (!threshold || threshold->value < 0 || threshold->value >= 1'000'000'000'000)
    throw config_error(
        "budgets.bad_threshold",
        "threshold_usd: dollars from 0 to 999999.99, not '" + spec.threshold.substr(0, 40) + "'");
  rule.threshold = *threshold;
  const auto ratio = try_parse_usd(spec.warn_ratio);  // a plain decimal, read exactly
  // Kept to the thousandth (numeric(4, 3)): a ratio that rounds to 0 would never warn.
  if (!ratio || ratio->value < 1000 || ratio->value > 1'000'000)
    throw config_error("budgets.bad_ratio", "warn_ratio: a warning ratio from 0.001 to 1, not '" +
                                                spec.warn_ratio.substr(0, 40) + "'");
  rule.warn_permille = static_cast<int>(ratio->value / 1000);
  if (!spec.channels.is_array()) throw config_error("budgets.bad_channels", "channels are a list");
  for (const auto& c : spec.channels) {
    const std::string type = c.is_object() ? c.value("type", std::string()) : std::string();
    const bool named = c.is_object() && c.size() == 1 && c.contains("channel") &&
                       c["channel"].is_string() && valid_channel_name(c["channel"]);
    const bool ok =
        named || ((type == "webhook" || type == "slack" || type == "ntfy")
                      ? c.contains("url") && web_url(c["url"])
                      : type == "telegram" && c.contains("token") && c["token"].is_string() &&
                            c.contains("chat_id") &&
                            (c["chat_id"].is_string() || c["chat_id"].is_number_integer()));
    if (!ok)
      throw config_error("budgets.bad_channels",
                         "a channel is {channel: NAME}, {type: webhook|slack|ntfy, url: an "
                         "http:// or https:// URL} or {type: telegram, token, chat_id}");
  }
  rule.channels = spec.channels;
  return rule;
}

std::string alert_level(const budget_rule& r, micro_usd measured) {
  if (r.kind == "low_balance") {
    if (measured < r.threshold) return "exceeded";
    // Warn while the balance is under threshold / ratio: near the line, not yet past it.
    if (measured.value * r.warn_permille < r.threshold.value * 1000) return "warn";
    return "";
  }
  const std::string level = budget_level(measured, r.threshold, r.warn_permille);
  return level == "ok" ? "" : level;
}

namespace detail {

std::vector<fired_alert> judge_rules(
    const std::vector<budget_rule>& rules, civil_day today,
    const std::function<std::optional<micro_usd>(const std::string& provider)>& balance,
    const std::function<micro_usd(const budget_rule& rule, civil_day from, civil_day to)>& spent) {
  std::vector<fired_alert> out;
  for (const auto& r : rules) {
    if (!r.enabled) continue;
    const civil_day from = period_start(r.period, today);
    const std::optional<micro_usd> measured =
        r.kind == "low_balance" ? balance(r.scope_value) : spent(r, from, today);
    if (!measured) continue;
    std::string level = alert_level(r, *measured);
    if (!level.empty()) out.push_back({&r, from, std::move(level), *measured});
  }
  return out;
}

const budget_rule* find_rule(const std::vector<budget_rule>& rules, std::int64_t id) {
  const auto it = std::find_if(rules.begin(), rules.end(),
                               [&](const budget_rule& r) { return r.id == id && r.enabled; });
  return it == rules.end() ? nullptr : &*it;
}

bool delivered_everywhere(const budget_alert& a, const std::vector<std::string>& took) {
  return std::all_of(a.rule.channels.begin(), a.rule.channels.end(), [&](const auto& ch) {
    return std::find(took.begin(), took.end(), channel_id(ch)) != took.end();
  });
}

}  // namespace detail

std::vector<budget_rule> config_budget_rules() {
  std::vector<budget_rule> out;
  const std::string prefix = "COSTS_BUDGET_";
  for (const auto& [key, value] : config_values_with_prefix(prefix)) {
    budget_spec spec;
    std::string name = key.substr(prefix.size());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    spec.name = "config:" + name;
    std::istringstream words(value);
    for (std::string word; words >> word;) {
      const auto eq = word.find('=');
      const std::string k = word.substr(0, eq);
      const std::string v = eq == std::string::npos ? "" : word.substr(eq + 1);
      if (v.empty())
        throw config_error("config.bad_budget", key + ": '" + word + "' is not key=value");
      if (k == "kind")
        spec.kind = v;
      else if (k == "scope")
        spec.scope = v;
      else if (k == "period")
        spec.period = v;
      else if (k == "threshold")
        spec.threshold = v;
      else if (k == "warn")
        spec.warn_ratio = v;
      else if (auto channel = channel_word(k, v))
        spec.channels.push_back(std::move(*channel));
      else
        throw config_error("config.bad_budget",
                           key + ": unknown '" + k +
                               "'; use kind, scope, period, threshold, warn, webhook, slack, ntfy, "
                               "telegram=BOT_TOKEN:CHAT_ID or channel=NAME");
    }
    try {
      out.push_back(make_rule(spec));
    } catch (const config_error& e) {
      throw config_error("config.bad_budget", key + ": " + e.message());
    }
  }
  return out;
}

std::map<std::string, nlohmann::json> configured_channels() {
  const std::string prefix = "COSTS_CHANNEL_";
  std::map<std::string, std::string> entries;
  for (const auto& [key, value] : config_values_with_prefix(prefix)) entries[key] = value;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry = *e;
    const auto eq = entry.find('=');
    if (entry.rfind(prefix, 0) == 0 && eq != std::string::npos && eq + 1 < entry.size())
      entries[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  std::map<std::string, nlohmann::json> out;
  for (const auto& [key, value] : entries) {
    std::string name = key.substr(prefix.size());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto eq = value.find('=');
    const auto channel = eq == std::string::npos
                             ? std::nullopt
                             : channel_word(value.substr(0, eq), value.substr(eq + 1));
    if (!valid_channel_name(name) || !channel || channel->contains("channel"))
      throw config_error("config.bad_channel",
                         key +
                             ": a channel is one of webhook=URL, slack=URL, ntfy=URL (an http:// "
                             "or https:// URL) or telegram=BOT_TOKEN:CHAT_ID");
    out[name] = *channel;
  }
  return out;
}

int apply_config_rules(budget_book& book, const std::vector<budget_rule>& rules) {
  int changed = 0;
  const auto existing = book.list();
  auto same = [](const budget_rule& a, const budget_rule& b) {
    return a.kind == b.kind && a.scope() == b.scope() && a.period == b.period &&
           a.threshold == b.threshold && a.warn_permille == b.warn_permille &&
           a.channels == b.channels;
  };
  for (const auto& old : existing) {
    if (old.name.rfind("config:", 0) != 0) continue;
    const auto now = std::find_if(rules.begin(), rules.end(),
                                  [&](const budget_rule& r) { return r.name == old.name; });
    if (now == rules.end() || !same(old, *now)) {
      book.remove(old.id);
      ++changed;
    }
  }
  for (const auto& r : rules) {
    const auto kept = std::find_if(existing.begin(), existing.end(), [&](const budget_rule& old) {
      return old.name == r.name && same(old, r);
    });
    if (kept == existing.end()) {
      book.add(r);
      ++changed;
    }
  }
  return changed;
}

namespace {

std::string percent_of(micro_usd part, micro_usd whole) {
  if (whole.value <= 0) return "";
  const long long pct = (part.value * 100 + whole.value / 2) / whole.value;
  return std::to_string(pct) + "%";
}

}  // namespace

std::string alert_text(const budget_alert& a, const std::string& page_url) {
  const auto& r = a.rule;
  const std::string label = r.name.empty() ? r.scope() : r.name + " (" + r.scope() + ")";
  std::string text = a.level == "exceeded" ? "🔴 costs: " : "⚠ costs: ";
  if (r.kind == "low_balance") {
    text += label + " balance " + format_usd(a.spent) + ", under " +
            (a.level == "exceeded" ? "" : "or near ") + "the " + format_usd(a.threshold) + " alert";
  } else {
    text += label + " " + r.period + " budget " +
            (a.level == "exceeded" ? "exceeded" : "at " + percent_of(a.spent, a.threshold)) + ": " +
            format_usd(a.spent) + " of " + format_usd(a.threshold) + " (since " +
            a.period_start.to_string() + ")";
  }
  if (!page_url.empty()) text += ". " + page_url;
  return text;
}

std::string channel_id(const nlohmann::json& channel) {
  // FNV-1a over the channel's JSON: stable, and reveals nothing of the URL or token.
  const std::string text = channel.dump();
  std::uint64_t h = 14695981039346656037ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  char out[24];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return channel.value("type", std::string("channel")) + "-" + out;
}

namespace {

std::string deliver_checked(const budget_alert& a, const nlohmann::json& given,
                            const std::string& page_url) {
  // A rule stored by hand or by an older version may hold anything: it fails alone, said plainly.
  if (!given.is_object()) return "a channel of this rule is not an object; fix or remove the rule";
  nlohmann::json channel = given;
  if (given.contains("channel")) {
    if (!given["channel"].is_string())
      return "a channel of this rule names no channel (not a string); fix or remove the rule";
    const std::string name = given["channel"].get<std::string>();
    const auto configured = configured_channels();
    const auto it = configured.find(name);
    if (it == configured.end()) {
      std::string upper = name;
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return "no channel named '" + name + "' is configured; set COSTS_CHANNEL_" + upper;
    }
    channel = it->second;
  }
  const std::string type = channel.value("type", std::string());
  const std::string text = alert_text(a, page_url);
  detail::http_request request;
  request.method = "POST";
  request.headers = {{"Content-Type", "application/json"}};
  if (type == "webhook") {
    request.url = channel.value("url", std::string());
    request.body = nlohmann::json{{"text", text},
                                  {"page_url", page_url},
                                  {"alert",
                                   {{"budget_id", a.rule.id},
                                    {"name", a.rule.name},
                                    {"kind", a.rule.kind},
                                    {"scope", a.rule.scope()},
                                    {"period", a.rule.period},
                                    {"period_start", a.period_start.to_string()},
                                    {"level", a.level},
                                    {"spent_usd", to_decimal_string(a.spent)},
                                    {"threshold_usd", to_decimal_string(a.threshold)}}}}
                       .dump();
  } else if (type == "slack") {
    request.url = channel.value("url", std::string());
    request.body = nlohmann::json{{"text", text}}.dump();
  } else if (type == "telegram") {
    request.url = detail::base_url("telegram", "https://api.telegram.org") + "/bot" +
                  channel.value("token", std::string()) + "/sendMessage";
    request.body = nlohmann::json{
        {"chat_id", channel["chat_id"].is_string() ? channel["chat_id"].get<std::string>()
                                                   : channel["chat_id"].dump()},
        {"text", text},
        {"disable_web_page_preview",
         true}}.dump();
  } else if (type == "ntfy") {
    request.url = channel.value("url", std::string());
    request.headers = {{"Content-Type", "text/plain; charset=utf-8"},
                       {"Title", "costs: budget alert"},
                       {"Priority", a.level == "exceeded" ? "high" : "default"},
                       {"Tags", a.level == "exceeded" ? "rotating_light" : "warning"}};
    request.body = text;
  } else {
    return "unknown channel type '" + type + "'";
  }
  if (request.url.empty()) return type + " channel has no url";
  if (type != "telegram" && !web_url(request.url))
    return type + " channel: only http:// and https:// URLs are sent to; fix or remove the rule";
  request.public_only = setting("COSTS_ALLOW_PRIVATE_CHANNELS").value_or("") != "1";
  // An alert waits for no channel: a few seconds, one retry, then it is kept for the next run.
  request.timeout_ms = 5'000;
  if (const auto v = setting("COSTS_ALERT_TIMEOUT_MS")) {
    try {
      request.timeout_ms = std::max(100L, std::stol(*v));
    } catch (const std::exception&) {
      return "COSTS_ALERT_TIMEOUT_MS must be milliseconds, not '" + v->substr(0, 20) + "'";
    }
  }
  request.max_attempts = 2;
  const auto response = detail::http_send(request);
  if (response.ok()) return "";
  // Never the URL: webhook URLs and bot tokens are secrets.
  if (response.refused)
    return type +
           " channel: its host is a private or loopback address, refused; set "
           "COSTS_ALLOW_PRIVATE_CHANNELS=1 to allow one on your own network";
  if (!response.error.empty()) return type + " channel: " + response.error;
  return type + " channel answered " + std::to_string(response.status);
}

}  // namespace

std::string deliver_alert(const budget_alert& a, const nlohmann::json& given,
                          const std::string& page_url) {
  try {
    return deliver_checked(a, given, page_url);
  } catch (const nlohmann::json::exception&) {
    // A member of the wrong type in a stored rule: this channel fails, the others still go.
    return "a channel of this rule is malformed (a member has the wrong type); fix or remove "
           "the rule";
  }
}

}  // namespace costs
