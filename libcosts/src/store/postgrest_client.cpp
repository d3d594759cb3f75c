#include "store/postgrest_client.hpp"

#include <algorithm>

#include "http/http_client.hpp"

namespace costs::detail {

postgrest_client::postgrest_client(std::string base, std::string key)
    : base_(std::move(base)), key_(std::move(key)) {
  while (!base_.empty() && base_.back() == '/') base_.pop_back();
  if (key_.empty())
    throw config_error("store.no_key", base_ + " needs the service key: set COSTS_SUPABASE_KEY");
}

nlohmann::json postgrest_client::call(const std::string& method, const std::string& path,
                                      const nlohmann::json& body, const std::string& prefer,
                                      const std::string& doing) const {
  http_request request;
  request.method = method;
  request.url = base_ + "/rest/v1/" + path;
  request.headers = {{"apikey", key_}, {"Content-Type", "application/json"}};
  if (!prefer.empty()) request.headers.emplace_back("Prefer", prefer);
  // Legacy keys are JWTs and go in Authorization too; new sb_secret_ keys only as apikey.
  if (std::count(key_.begin(), key_.end(), '.') == 2)
    request.headers.emplace_back("Authorization", "Bearer " + key_);
  if (!body.is_null()) request.body = body.dump();
  const http_response r = http_send(request);
  if (r.ok()) {
    if (r.body.empty()) return nullptr;
    auto parsed = nlohmann::json::parse(r.body, nullptr, false);
    if (parsed.is_discarded())
      throw store_error("store.query", doing + ": the REST API answered something not JSON");
    return parsed;
  }
  if (!r.error.empty() || r.status >= 500)
    throw store_error("store.unavailable",
                      "cannot reach the database through " + base_ + " (" +
                          (r.error.empty() ? "status " + std::to_string(r.status) : r.error) + ")");
  std::string code, message;
  const auto error = nlohmann::json::parse(r.body, nullptr, false);
  if (error.is_object()) {
    code = error.value("code", "");
    message = error.value("message", "");
  }
  const std::string table = path.substr(0, path.find('?'));
  std::string hint;
  if (code == "PGRST205" || code == "42P01")
    hint = "; the table is missing: run `supabase db push` or `costs-sync db migrate`";
  else if (code == "42501")
    hint = "; the key's role may not use " + table + ": use the service key, not the anon key";
  else if (r.status == 401 || code == "PGRST301")
    hint = "; check COSTS_SUPABASE_KEY (the service_role or sb_secret_ key)";
  // SQLSTATE classes 22 and 23: a value out of range or against a rule of the table.
  const bool bad_value = code.size() == 5 && (code.rfind("22", 0) == 0 || code.rfind("23", 0) == 0);
  throw store_error(bad_value ? "store.bad_value" : "store.query",
                    doing + " failed: " + std::to_string(r.status) + " " +
                        (code.empty() ? "" : code + " ") + message + hint);
}

std::optional<micro_usd> rest_money(const nlohmann::json& value) {
  if (value.is_null()) return std::nullopt;
  // PostgREST sends numeric as a JSON number; its shortest text round-trips the six decimals.
  return parse_usd(value.is_string() ? value.get<std::string>() : value.dump());
}

}  // namespace costs::detail
