// deepseek: the balance per currency from /user/balance (providers.md 6). Amounts are strings;
// the USD entry is the balance, and a CNY-only account is shown in CNY, never as dollars.
#include "providers/deepseek/deepseek.hpp"

#include "providers/api_json.hpp"
#include "providers/balance_provider.hpp"

namespace costs::detail {
namespace {

using namespace simdjson;

std::optional<balance_reading> parse_deepseek(const std::string& text, const std::string&) {
  ondemand::parser parser;
  json_body body(text);
  ondemand::object root;
  balance_reading usd, first;
  bool found_usd = false, found_any = false, available = true;
  nlohmann::json per_currency = nlohmann::json::object();
  const bool ok =
      body.open(parser, root) && each_field(root, [&](std::string_view k, ondemand::value v) {
        if (k == "is_available") {
          available = as_bool(v);
        } else if (k == "balance_infos") {
          ondemand::array infos;
          if (v.get_array().get(infos)) return false;
          for (auto info_result : infos) {
            ondemand::object info;
            if (info_result.get_object().get(info)) return false;
            balance_reading b;
            const bool info_ok = each_field(info, [&](std::string_view f, ondemand::value x) {
              if (f == "currency")
                as_string(x, b.currency);
              else if (f == "total_balance")
                b.amount = money_of(x);
            });
            if (!info_ok || b.currency.empty() || !b.amount) return false;
            per_currency[b.currency] = to_decimal_string(*b.amount);
            if (b.currency == "USD") {
              usd = b;
              found_usd = true;
            }
            if (!found_any) first = b;
            found_any = true;
          }
        }
        return true;
      });
  if (!ok || !found_any) return std::nullopt;
  balance_reading out = found_usd ? usd : first;
  out.units = {{"balances", per_currency}, {"is_available", available}};
  return out;
}

}  // namespace

std::unique_ptr<provider> make_deepseek_provider() {
  return std::make_unique<balance_provider>(
      balance_source{"deepseek", "DeepSeek", "DEEPSEEK_API_KEY", "deepseek-api-key",
                     "https://api.deepseek.com", "/user/balance", &parse_deepseek});
}

}  // namespace costs::detail
