// moonshot: the balance from /v1/users/me/balance (providers.md 5). The body names no
// currency: api.moonshot.ai answers in USD, api.moonshot.cn in CNY, so the host decides.
#include "providers/moonshot/moonshot.hpp"

#include "providers/api_json.hpp"
#include "providers/balance_provider.hpp"

namespace costs::detail {
namespace {

using namespace simdjson;

bool china_host(const std::string& base) {
  const auto scheme = base.find("://");
  const auto host_start = scheme == std::string::npos ? 0 : scheme + 3;
  std::string host = base.substr(host_start, base.find('/', host_start) - host_start);
  if (auto colon = host.find(':'); colon != std::string::npos) host.erase(colon);
  return host.size() >= 3 && host.compare(host.size() - 3, 3, ".cn") == 0;
}

std::optional<balance_reading> parse_moonshot(const std::string& text, const std::string& base) {
  ondemand::parser parser;
  json_body body(text);
  ondemand::object root;
  std::optional<micro_usd> available, voucher, cash;
  std::int64_t code = -1;
  std::string scode;
  const bool ok =
      body.open(parser, root) && each_field(root, [&](std::string_view k, ondemand::value v) {
        if (k == "code")
          code = as_int(v, -1);
        else if (k == "scode")
          as_string(v, scode);
        else if (k == "data")
          return each_field(v, [&](std::string_view f, ondemand::value x) {
            if (f == "available_balance")
              available = money_of(x);
            else if (f == "voucher_balance")
              voucher = money_of(x);
            else if (f == "cash_balance")
              cash = money_of(x);
          });
        return true;
      });
  // Moonshot may say in the body, with HTTP 200, that the key was refused.
  if (ok && (code == 401 || code == 403 || scode == "unauthorized")) {
    balance_reading refused;
    refused.refused = "code " + std::to_string(code) + (scode.empty() ? "" : ", " + scode);
    return refused;
  }
  if (!ok || code != 0 || !available) return std::nullopt;
  balance_reading out;
  out.amount = available;
  out.currency = china_host(base) ? "CNY" : "USD";
  out.units = {{"voucher_balance", voucher ? to_decimal_string(*voucher) : ""},
               {"cash_balance", cash ? to_decimal_string(*cash) : ""}};
  return out;
}

}  // namespace

std::unique_ptr<provider> make_moonshot_provider() {
  return std::make_unique<balance_provider>(
      balance_source{"moonshot", "Moonshot", "MOONSHOT_API_KEY", "moonshot-api-key",
                     "https://api.moonshot.ai", "/v1/users/me/balance", &parse_moonshot});
}

}  // namespace costs::detail
