// A PostgREST-protocol stand-in for tests, over the real Postgres (PostgREST itself cannot run
// here). It does what the sync uses and no more: insert and upsert (`on_conflict`, `Prefer:
// resolution=merge-duplicates|ignore-duplicates`) and select with `select`, `col=op.value`
// filters, `order` and `limit`, answering errors in PostgREST's {code, message, details, hint}
// shape. The API key picks the Supabase role and every request runs `set local role` to it, so
// grants and row level security are really enforced.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include <pqxx/pqxx>

#include "support/fake_http.hpp"

namespace costs::test {

class postgrest_standin {
 public:
  /// Keys: `service_key` acts as service_role, `anon_key` as anon; any other key is refused.
  postgrest_standin(const std::string& database_url, std::string service_key, std::string anon_key);
  std::string base() const { return server_.base(); }

 private:
  fake_response handle(const recorded_request& request);
  /// POST rpc/<name> with named arguments as a JSON object: the function's result as JSON.
  fake_response call_function(const recorded_request& request, const std::string& role,
                              const std::string& name);
  std::mutex mutex_;
  pqxx::connection db_;
  std::string service_key_, anon_key_;
  test_http_server server_;  // last: destroyed first
};

}  // namespace costs::test
