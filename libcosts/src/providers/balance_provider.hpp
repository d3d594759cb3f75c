// Private: what balance-only providers (DeepSeek, Moonshot) share: one authenticated GET, a
// snapshot with the balance in the currency the provider states, never relabelled as USD.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "costs/provider.hpp"
#include "costs/secrets.hpp"
#include "http/http_client.hpp"

namespace costs::detail {

struct balance_reading {
  std::optional<micro_usd> amount;
  std::string currency;  ///< "USD", "CNY", ...
  nlohmann::json units = nlohmann::json::object();
  /// The body says the key was refused (Moonshot answers {"code":401,"scode":"unauthorized"}):
  /// the provider's own words for it, e.g. "code 401, unauthorized".
  std::string refused;
};

struct balance_source {
  std::string key;           ///< registry key
  std::string label;         ///< for messages
  const char* variable;      ///< credential variable
  std::string file;          ///< ~/.openclaw/credentials/<file>
  std::string default_base;  ///< overridable by COSTS_<KEY>_BASE_URL
  std::string path;          ///< appended to the base
  /// Reads the body; nullopt when it is not the documented shape. `base` tells the currency
  /// where the body does not (Moonshot: .cn answers in CNY).
  std::function<std::optional<balance_reading>(const std::string& body, const std::string& base)>
      parse;
};

class balance_provider final : public provider {
 public:
  explicit balance_provider(balance_source source);
  const provider_info& info() const override;
  detection detect() const override;
  collect_result collect(const collect_context& ctx) override;

 private:
  balance_source source_;
};

}  // namespace costs::detail
