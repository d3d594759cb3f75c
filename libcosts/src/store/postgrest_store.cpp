// The Supabase / PostgREST store: the same run through the REST API with the service key.
// REST has no transaction across tables, so each write is idempotent instead: daily rows are
// upserts (`on_conflict` + merge-duplicates), snapshots and log rows carry the run id and
// ignore duplicates. A run cut short is resent whole from the spool and adds nothing twice.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "costs/error.hpp"
#include "costs/store.hpp"
#include "http/http_client.hpp"

namespace costs {
namespace {

using json = nlohmann::json;
using detail::http_request;
using detail::http_response;

constexpr std::size_t rows_per_request = 500;

json money(const std::optional<micro_usd>& m) {
  return m ? json(to_decimal_string(*m)) : json();
}

class postgrest_store final : public store {
 public:
  postgrest_store(std::string base, std::string key)
      : base_(std::move(base)), key_(std::move(key)) {
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
  }

  write_summary write(const sync_batch& batch) override {
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
    done.daily_costs = post("cost_daily", rows, "provider,host,date", "merge-duplicates");
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
    done.daily_usage = post("usage_daily", rows, "date,provider,host,model,agent,project,task",
                            "merge-duplicates");
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
    done.snapshots = post("usage_snapshots", rows, "run_id,provider,host", "ignore-duplicates");
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
    done.log = post("cost_sync_log", rows, "run_id,provider,host", "ignore-duplicates");
    return done;
  }

 private:
  std::int64_t post(const std::string& table, const json& rows, const std::string& conflict,
                    const std::string& resolution) {
    for (std::size_t start = 0; start < rows.size(); start += rows_per_request) {
      const json slice(rows.begin() + static_cast<std::ptrdiff_t>(start),
                       rows.begin() + static_cast<std::ptrdiff_t>(
                                          std::min(rows.size(), start + rows_per_request)));
      http_request request;
      request.method = "POST";
      request.url = base_ + "/rest/v1/" + table + "?on_conflict=" + conflict;
      request.headers = {{"apikey", key_},
                         {"Content-Type", "application/json"},
                         {"Prefer", "resolution=" + resolution + ",return=minimal"}};
      // Legacy keys are JWTs and go in Authorization too; new sb_secret_ keys only as apikey.
      if (std::count(key_.begin(), key_.end(), '.') == 2)
        request.headers.emplace_back("Authorization", "Bearer " + key_);
      request.body = slice.dump();
      const http_response r = detail::http_send(request);
      if (!r.ok()) throw failure(r, table);
    }
    return static_cast<std::int64_t>(rows.size());
  }

  // One line from a PostgREST error body {code, message, details, hint}.
  store_error failure(const http_response& r, const std::string& table) const {
    if (!r.error.empty() || r.status >= 500)
      return store_error("store.connect",
                         "cannot reach the database through " + base_ + " (" +
                             (r.error.empty() ? "status " + std::to_string(r.status) : r.error) +
                             ")");
    std::string code, message;
    const auto body = json::parse(r.body, nullptr, false);
    if (body.is_object()) {
      code = body.value("code", "");
      message = body.value("message", "");
    }
    std::string hint;
    if (code == "PGRST205" || code == "42P01")
      hint = "; the table is missing: run `supabase db push` or `costs-sync db migrate`";
    else if (code == "42501")
      hint = "; the key's role may not write " + table + ": use the service key, not the anon key";
    else if (r.status == 401 || code == "PGRST301")
      hint = "; check COSTS_SUPABASE_KEY (the service_role or sb_secret_ key)";
    return store_error("store.rest", "writing " + table + " failed: " + std::to_string(r.status) +
                                         " " + (code.empty() ? "" : code + " ") + message + hint);
  }

  std::string base_;
  std::string key_;
};

}  // namespace

std::unique_ptr<store> open_postgrest_store(const std::string& base_url, const std::string& key) {
  if (key.empty())
    throw config_error("store.no_key",
                       "writing to " + base_url + " needs the service key: set COSTS_SUPABASE_KEY");
  return std::make_unique<postgrest_store>(base_url, key);
}

}  // namespace costs
