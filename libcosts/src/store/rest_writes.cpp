// A sync run written through Supabase's REST API (or any PostgREST) with the service key.
// REST has no transaction across tables, so each write is idempotent instead: daily rows are
// upserts (`on_conflict` + merge-duplicates), snapshots and log rows carry the run id and
// ignore duplicates. A run cut short is resent whole from the spool and adds nothing twice.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "costs/batch.hpp"
#include "costs/error.hpp"
#include "store/postgrest_client.hpp"

namespace costs {
namespace {

using json = nlohmann::json;

constexpr std::size_t rows_per_request = 500;

json money(const std::optional<micro_usd>& m) {
  return m ? json(to_decimal_string(*m)) : json();
}

std::int64_t post(const detail::postgrest_client& client, const std::string& table,
                  const json& rows, const std::string& conflict, const std::string& resolution) {
  for (std::size_t start = 0; start < rows.size(); start += rows_per_request) {
    const json slice(rows.begin() + static_cast<std::ptrdiff_t>(start),
                     rows.begin() + static_cast<std::ptrdiff_t>(
                                        std::min(rows.size(), start + rows_per_request)));
    client.call("POST", table + "?on_conflict=" + conflict, slice,
                "resolution=" + resolution + ",return=minimal", "writing " + table);
  }
  return static_cast<std::int64_t>(rows.size());
}

}  // namespace

namespace detail {

write_summary write_batch_rest(const postgrest_client& client, const sync_batch& batch) {
  write_summary done;
  json rows = json::array();
  for (const auto& d : batch.daily_costs)
    rows.push_back({{"provider", d.provider},
                    {"host", d.host},
                    {"date", d.date.to_string()},
                    {"source", d.source},
                    {"cost_usd", money(d.cost)},
                    {"input_tokens", d.tokens.input},
                    {"output_tokens", d.tokens.output},
                    {"cache_read_tokens", d.tokens.cache_read},
                    {"cache_write_tokens", d.tokens.cache_write()},
                    {"total_tokens", d.tokens.total()}});
  done.daily_costs = post(client, "cost_daily", rows, "provider,host,date", "merge-duplicates");
  rows = json::array();
  for (const auto& u : batch.daily_usage)
    rows.push_back({{"date", u.date.to_string()},
                    {"provider", u.provider},
                    {"host", u.host},
                    {"model", u.model},
                    {"agent", u.agent},
                    {"project", u.project},
                    {"task", u.task},
                    {"input_tokens", u.tokens.input},
                    {"output_tokens", u.tokens.output},
                    {"cache_write_tokens", u.tokens.cache_write()},
                    {"cache_read_tokens", u.tokens.cache_read},
                    {"reasoning_tokens", u.tokens.reasoning},
                    {"calls", u.calls},
                    {"cost_usd", money(u.cost)},
                    {"reported_cost_usd", money(u.reported_cost)}});
  done.daily_usage = post(client, "usage_daily", rows,
                          "date,provider,host,model,agent,project,task", "merge-duplicates");
  rows = json::array();
  for (const auto& h : batch.hourly_costs)
    rows.push_back({{"provider", h.provider},
                    {"host", h.host},
                    {"hour", format_timestamp(h.hour)},
                    {"source", h.source},
                    {"cost_usd", money(h.cost)},
                    {"calls", h.calls}});
  post(client, "cost_hourly", rows, "provider,host,hour", "merge-duplicates");
  rows = json::array();
  for (const auto& s : batch.sessions)
    rows.push_back({{"provider", s.provider},
                    {"host", s.host},
                    {"session", s.session},
                    {"agent", s.agent},
                    {"project", s.project},
                    {"transcript", s.transcript},
                    {"models", s.models},
                    {"first_at", format_timestamp(s.first_at)},
                    {"last_at", format_timestamp(s.last_at)},
                    {"input_tokens", s.tokens.input},
                    {"output_tokens", s.tokens.output},
                    {"cache_write_tokens", s.tokens.cache_write()},
                    {"cache_read_tokens", s.tokens.cache_read},
                    {"reasoning_tokens", s.tokens.reasoning},
                    {"calls", s.calls},
                    {"cost_usd", money(s.cost)},
                    {"priced_cost_usd", money(std::optional<micro_usd>(s.priced_cost))}});
  post(client, "usage_sessions", rows, "provider,host,session", "merge-duplicates");
  rows = json::array();
  for (const auto& s : batch.snapshots)
    rows.push_back({{"provider", s.provider},
                    {"source", s.source},
                    {"host", s.host},
                    {"fetched_at", format_timestamp(s.fetched_at)},
                    {"total_cost_usd", money(s.total_cost)},
                    {"input_tokens", s.tokens.input},
                    {"output_tokens", s.tokens.output},
                    {"cache_read_tokens", s.tokens.cache_read},
                    {"cache_write_tokens", s.tokens.cache_write()},
                    {"total_tokens", s.tokens.total()},
                    {"balance_usd", money(s.balance)},
                    {"credit_limit_usd", money(s.credit_limit)},
                    {"currency", s.currency},
                    {"units", s.units},
                    {"model_breakdown", s.model_breakdown},
                    {"raw_response", s.raw_response},
                    {"run_id", batch.run_id.empty() ? json() : json(batch.run_id)}});
  done.snapshots =
      post(client, "usage_snapshots", rows, "run_id,provider,host", "ignore-duplicates");
  rows = json::array();
  for (const auto& l : batch.log)
    rows.push_back({{"started_at", format_timestamp(l.started_at)},
                    {"finished_at", format_timestamp(l.finished_at)},
                    {"provider", l.provider},
                    {"host", l.host},
                    {"status", l.status},
                    {"rows_written", l.rows_written},
                    {"error", l.error.empty() ? json() : json(l.error)},
                    {"run_id", batch.run_id.empty() ? json() : json(batch.run_id)}});
  done.log = post(client, "cost_sync_log", rows, "run_id,provider,host", "ignore-duplicates");
  return done;
}

}  // namespace detail

}  // namespace costs
