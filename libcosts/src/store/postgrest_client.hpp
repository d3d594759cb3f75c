// Private: requests to a PostgREST (Supabase's REST API) with the service key, and its error
// bodies turned into one actionable line.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include <optional>

#include "costs/batch.hpp"
#include "costs/error.hpp"
#include "costs/money.hpp"

namespace costs::detail {

class postgrest_client {
 public:
  postgrest_client(std::string base, std::string key);

  /// `path` is the table and query ("budgets?select=*&order=id"). `prefer` is the Prefer header
  /// (empty for none). Returns the parsed body (null when empty).
  /// @throws costs::store_error with one line (the `doing` says what was being done).
  nlohmann::json call(const std::string& method, const std::string& path,
                      const nlohmann::json& body, const std::string& prefer,
                      const std::string& doing) const;

  const std::string& base() const { return base_; }

 private:
  std::string base_;
  std::string key_;
};

/// A PostgREST value (a JSON number or string) as exact money; nullopt for null.
std::optional<micro_usd> rest_money(const nlohmann::json& value);

/// A sync run written through the REST API: idempotent upserts, table by table.
/// @throws costs::store_error with one line.
write_summary write_batch_rest(const postgrest_client& client, const sync_batch& batch);

}  // namespace costs::detail
