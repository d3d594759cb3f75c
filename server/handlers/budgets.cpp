// /api/budgets: GET lists the rules (without their channels, which the reader cannot see);
// POST adds one and DELETE /api/budgets/:id removes one. Writes need the server's token and a
// database role that may write budgets (--admin-database-url); without both they are refused.
#include "costs/budgets.hpp"
#include "costs/error.hpp"
#include "routes.hpp"

namespace costs::server {
namespace {

void require_writes(const api_context& ctx) {
  if (ctx.token.empty() || ctx.admin_url.empty())
    throw http_error{403, "writes_disabled",
                     "budget writes are off: start costs-server with --token and "
                     "--admin-database-url"};
}

}  // namespace

nlohmann::json get_budgets(const Pistache::Rest::Request&, api_context& ctx) {
  pqxx::read_transaction tx(ctx.db->connection());
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& row : tx.exec_prepared("budgets"))
    rules.push_back({{"id", row[0].as<long long>()},
                     {"name", row[1].c_str()},
                     {"kind", row[2].c_str()},
                     {"scope", std::string(row[3].c_str()) == "total"
                                   ? std::string("total")
                                   : std::string(row[3].c_str()) + ":" + row[4].c_str()},
                     {"period", row[5].c_str()},
                     {"threshold_micro_usd", row[6].as<long long>()},
                     {"warn_ratio", row[7].as<int>() / 1000.0}});
  return {{"budgets", rules}};
}

nlohmann::json post_budget(const Pistache::Rest::Request& request, api_context& ctx) {
  require_writes(ctx);
  const auto body = nlohmann::json::parse(request.body(), nullptr, false);
  if (!body.is_object())
    throw http_error{400, "bad_body", "send a JSON object: {scope, period, threshold_usd, ...}"};
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
  if (body.contains("channels")) spec.channels = body["channels"];
  budget_rule rule;
  try {
    rule = make_rule(spec);
  } catch (const config_error& e) {
    throw http_error{400, "bad_budget", e.message()};
  }
  const auto id = open_budget_book(ctx.admin_url)->add(rule);
  ctx.cache->clear();  // the summary shows budgets
  return {{"id", id},
          {"scope", rule.scope()},
          {"period", rule.period},
          {"threshold_micro_usd", rule.threshold.value}};
}

nlohmann::json delete_budget(const Pistache::Rest::Request& request, api_context& ctx) {
  require_writes(ctx);
  long long id = 0;
  try {
    id = std::stoll(request.param(":id").as<std::string>());
  } catch (const std::exception&) {
    throw http_error{400, "bad_parameter", "the budget id is a whole number"};
  }
  if (!open_budget_book(ctx.admin_url)->remove(id))
    throw http_error{404, "not_found", "no budget " + std::to_string(id)};
  ctx.cache->clear();
  return {{"removed", id}};
}

}  // namespace costs::server
