#include "db.hpp"

#include <memory>

namespace costs::server {
namespace {

thread_local std::unique_ptr<pqxx::connection> this_thread_connection;

void prepare_statements(pqxx::connection& c) {
  c.prepare("healthz", "select 1");
  c.prepare("latest", R"sql(
    select provider, source, host,
           to_char(fetched_at at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as fetched_at,
           floor(extract(epoch from (now() - fetched_at)))::bigint as age_seconds,
           (total_cost_usd * 1000000)::bigint as total_cost_micro_usd,
           input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, total_tokens,
           (balance_usd * 1000000)::bigint as balance_micro_usd,
           (credit_limit_usd * 1000000)::bigint as credit_limit_micro_usd,
           currency, units::text as units, model_breakdown::text as model_breakdown
      from public.usage_latest
     order by provider, host)sql");
}

}  // namespace

pqxx::connection& database::connection() {
  if (!this_thread_connection || !this_thread_connection->is_open()) {
    this_thread_connection.reset();
    auto fresh = std::make_unique<pqxx::connection>(url_);
    prepare_statements(*fresh);
    this_thread_connection = std::move(fresh);
  }
  return *this_thread_connection;
}

bool database::connected() const noexcept {
  return this_thread_connection && this_thread_connection->is_open();
}

void database::reset() noexcept {
  this_thread_connection.reset();
}

}  // namespace costs::server
