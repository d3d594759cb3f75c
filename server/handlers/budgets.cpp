// /api/budgets: GET lists the rules (without their channels, which the reader cannot see);
// POST adds one, PUT /api/budgets/:id changes one in place (its alerts stay with it) and
// DELETE /api/budgets/:id removes one. Writes need the server's admin token
// (--admin-token) and a database role that may write budgets (--admin-database-url). Alerts go
// only to channels the operator named in the server's configuration (COSTS_CHANNEL_<NAME>): a
// caller picks channels by name and can never point the sync at a URL of its own.
#include "costs/budgets.hpp"
#include "costs/error.hpp"
#include "routes.hpp"

namespace costs::server {
namespace {

// make_rule knows the providers; an agent scope must name an agent the data has seen.
void check_scope(const budget_rule& rule, api_context& ctx) {
  if (rule.scope_kind == "agent") {
    std::string list;
    for (const std::string& agent : ctx.db->reader().known_agents()) {
      if (agent == rule.scope_value) return;
      list += (list.empty() ? "" : ", ") + agent;
    }
    throw http_error{400, "bad_budget",
                     "scope: no usage recorded for agent '" + rule.scope_value + "'" +
                         (list.empty() ? std::string(" (none yet)") : "; agents seen: " + list)};
  }
}

nlohmann::json named_channels(const nlohmann::json& body) {
  nlohmann::json out = nlohmann::json::array();
  if (!body.contains("channels")) return out;
  const auto& given = body["channels"];
  const auto configured = configured_channels();
  std::string names;
  for (const auto& [name, channel] : configured) names += (names.empty() ? "" : ", ") + name;
  if (!given.is_array() || given.size() > 16)
    throw http_error{400, "bad_budget", "channels: a list of up to 16 channel names"};
  for (const auto& c : given) {
    if (!c.is_string())
      throw http_error{400, "bad_budget",
                       "channels: names of channels the operator configured (COSTS_CHANNEL_<NAME>)"
                       "; URLs and tokens are not accepted here"};
    const std::string name = c.get<std::string>();
    if (configured.find(name) == configured.end())
      throw http_error{400, "bad_budget",
                       "channels: no channel named '" + name +
                           "'; configured: " + (names.empty() ? std::string("none") : names)};
    out.push_back({{"channel", name}});
  }
  return out;
}

}  // namespace

nlohmann::json get_budgets(const Pistache::Rest::Request&, api_context& ctx) {
  nlohmann::json rules = nlohmann::json::array();
  for (const budget_view& row : ctx.db->reader().budgets())
    rules.push_back({{"id", row.id},
                     {"name", row.name},
                     {"kind", row.kind},
                     {"scope", row.scope_kind == "total" ? std::string("total")
                                                         : row.scope_kind + ":" + row.scope_value},
                     {"period", row.period},
                     {"threshold_micro_usd", row.threshold_micro_usd},
                     {"warn_ratio", row.warn_permille / 1000.0}});
  return {{"budgets", rules}};
}

namespace {

// A rule from a POST or PUT body (a JSON object), checked as the command line checks one.
nlohmann::json body_of(const Pistache::Rest::Request& request) {
  auto body = nlohmann::json::parse(request.body(), nullptr, false);
  if (!body.is_object())
    throw http_error{400, "bad_body", "send a JSON object: {scope, period, threshold_usd, ...}"};
  return body;
}

budget_rule rule_from_body(const nlohmann::json& body, api_context& ctx) {
  budget_spec spec;
  auto text = [&](const char* key, std::string& into) {
    if (!body.contains(key)) return;
    if (body[key].is_string())
      into = body[key].get<std::string>();
    else if (body[key].is_number())
      into = body[key].dump();  // the number's own text, never through a double
    else
      throw http_error{400, "bad_body", std::string(key) + " must be a string or a number"};
  };
  text("kind", spec.kind);
  text("scope", spec.scope);
  text("period", spec.period);
  text("threshold_usd", spec.threshold);
  text("warn_ratio", spec.warn_ratio);
  text("name", spec.name);
  if (spec.name.size() > 200) throw http_error{400, "bad_budget", "name: at most 200 characters"};
  for (const auto& [key, value] : body.items())
    if (key != "kind" && key != "scope" && key != "period" && key != "threshold_usd" &&
        key != "warn_ratio" && key != "name" && key != "channels")
      throw http_error{400, "bad_budget",
                       "unknown field '" + key +
                           "'; send kind, scope, period, threshold_usd, warn_ratio, name, "
                           "channels"};
  if (!body.contains("threshold_usd"))
    throw http_error{400, "bad_budget", "threshold_usd is required"};
  spec.channels = named_channels(body);
  budget_rule rule;
  try {
    rule = make_rule(spec);
  } catch (const config_error& e) {
    throw http_error{400, "bad_budget", e.message()};
  }
  check_scope(rule, ctx);
  return rule;
}

nlohmann::json rule_answer(std::int64_t id, const budget_rule& rule) {
  return {{"id", id},
          {"scope", rule.scope()},
          {"period", rule.period},
          {"threshold_micro_usd", rule.threshold.value}};
}

std::int64_t budget_id(const Pistache::Rest::Request& request) {
  try {
    const std::string text = request.param(":id").as<std::string>();
    std::size_t used = 0;
    const long long id = std::stoll(text, &used);
    if (used != text.size() || id <= 0) throw std::invalid_argument("not an id");
    return id;
  } catch (const std::exception&) {
    throw http_error{400, "bad_parameter", "the budget id is a whole number above 0"};
  }
}

}  // namespace

nlohmann::json post_budget(const Pistache::Rest::Request& request, api_context& ctx) {
  require_admin(request, ctx);
  const budget_rule rule = rule_from_body(body_of(request), ctx);
  const auto id = open_budget_book(ctx.admin_url)->add(rule);
  ctx.cache->clear();  // the summary shows budgets
  return rule_answer(id, rule);
}

nlohmann::json put_budget(const Pistache::Rest::Request& request, api_context& ctx) {
  require_admin(request, ctx);
  const std::int64_t id = budget_id(request);
  const nlohmann::json body = body_of(request);
  budget_rule rule = rule_from_body(body, ctx);
  const auto book = open_budget_book(ctx.admin_url);
  // The channels are not readable through the API, so a body without them keeps the rule's.
  if (!body.contains("channels"))
    for (const budget_rule& old : book->list())
      if (old.id == id) rule.channels = old.channels;
  if (!book->replace(id, rule))
    throw http_error{404, "not_found", "no budget " + std::to_string(id)};
  ctx.cache->clear();
  return rule_answer(id, rule);
}

nlohmann::json delete_budget(const Pistache::Rest::Request& request, api_context& ctx) {
  require_admin(request, ctx);
  const std::int64_t id = budget_id(request);
  if (!open_budget_book(ctx.admin_url)->remove(id))
    throw http_error{404, "not_found", "no budget " + std::to_string(id)};
  ctx.cache->clear();
  return {{"removed", id}};
}

}  // namespace costs::server
