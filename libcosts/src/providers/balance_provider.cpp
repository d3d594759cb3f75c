#include "providers/balance_provider.hpp"

#include "costs/registry.hpp"

namespace costs::detail {

balance_provider::balance_provider(balance_source source) : source_(std::move(source)) {}

const provider_info& balance_provider::info() const {
  return *find_provider(source_.key);
}

detection balance_provider::detect() const {
  if (auto c = find_credential(source_.variable, source_.file))
    return {true, c->origin + " found", c->where};
  return {false, std::string("set ") + source_.variable};
}

collect_result balance_provider::collect(const collect_context& ctx) {
  collect_result result;
  const auto c = find_credential(source_.variable, source_.file);
  if (!c) {
    result.status = collect_status::not_configured;
    return result;
  }
  const std::string base = base_url(source_.key, source_.default_base);
  http_request request;
  request.url = base + source_.path;
  request.headers = {{"Authorization", "Bearer " + c->value}, {"Accept", "application/json"}};
  const http_response r = http_send(request);
  if (!r.ok()) {
    result.status = r.status == 401 || r.status == 403 ? collect_status::auth_failed
                                                       : collect_status::http_error;
    result.error = describe_failure(r, source_.label, c->origin);
    return result;
  }
  const auto reading = source_.parse(r.body, base);
  if (reading && !reading->refused.empty()) {
    result.status = collect_status::auth_failed;
    result.error =
        source_.label + " refused the key (" + reading->refused + "); check " + c->origin;
    return result;
  }
  if (!reading) {
    result.status = collect_status::parse_error;
    result.error = source_.label + " sent a balance we could not read; nothing was stored";
    return result;
  }
  snapshot snap;
  snap.provider = source_.key;
  snap.source = "api";
  snap.fetched_at = ctx.now;
  snap.currency = reading->currency;
  if (reading->currency == "USD") snap.balance = reading->amount;  // other currencies stay in units
  snap.units = reading->units;
  snap.units["balance"] = reading->amount ? to_decimal_string(*reading->amount) : "";
  snap.units["currency"] = reading->currency;
  snap.raw_response = snap.units;
  result.snap = std::move(snap);
  return result;
}

}  // namespace costs::detail
