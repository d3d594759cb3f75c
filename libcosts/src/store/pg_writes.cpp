// A sync run written into Postgres: one transaction, prepared statements, exact decimals as
// text. costs::target's Postgres side calls it on its own connection.
#include <pqxx/pqxx>

#include "costs/batch.hpp"
#include "costs/error.hpp"
#include "store/pg_error.hpp"
#include "store/pg_writes.hpp"

namespace costs {
namespace {

std::optional<std::string> decimal(const std::optional<micro_usd>& amount) {
  if (!amount) return std::nullopt;
  return to_decimal_string(*amount);
}

}  // namespace

namespace detail {

void prepare_writes(pqxx::connection& c) {
  c.prepare("insert_snapshot", R"sql(
      insert into public.usage_snapshots
        (provider, source, host, fetched_at, total_cost_usd, input_tokens, output_tokens,
         cache_read_tokens, cache_write_tokens, total_tokens, balance_usd, credit_limit_usd,
         currency, units, model_breakdown, raw_response, run_id)
      values ($1, $2, $3, $4::timestamptz, $5::numeric, $6, $7, $8, $9, $10, $11::numeric,
              $12::numeric, $13, $14::jsonb, $15::jsonb, $16::jsonb, nullif($17, ''))
      on conflict (run_id, provider, host) do nothing)sql");
  c.prepare("upsert_cost_daily", R"sql(
      insert into public.cost_daily
        (provider, host, date, source, cost_usd, input_tokens, output_tokens, cache_read_tokens,
         cache_write_tokens, total_tokens)
      values ($1, $2, $3::date, $4, $5::numeric, $6, $7, $8, $9, $10)
      on conflict (provider, host, date) do update set
        source = excluded.source, cost_usd = excluded.cost_usd,
        input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
        cache_read_tokens = excluded.cache_read_tokens,
        cache_write_tokens = excluded.cache_write_tokens, total_tokens = excluded.total_tokens,
        updated_at = now())sql");
  c.prepare("upsert_cost_hourly", R"sql(
      insert into public.cost_hourly (provider, host, hour, source, cost_usd, calls)
      values ($1, $2, $3::timestamptz, $4, $5::numeric, $6)
      on conflict (provider, host, hour) do update set
        source = excluded.source, cost_usd = excluded.cost_usd, calls = excluded.calls,
        updated_at = now())sql");
  c.prepare("upsert_usage_session", R"sql(
      insert into public.usage_sessions
        (provider, host, session, agent, project, transcript, models, first_at, last_at,
         input_tokens, output_tokens, cache_write_tokens, cache_read_tokens, reasoning_tokens,
         calls, cost_usd, priced_cost_usd)
      values ($1, $2, $3, $4, $5, $6,
              (select coalesce(array_agg(m), '{}') from jsonb_array_elements_text($7::jsonb) m),
              $8::timestamptz, $9::timestamptz, $10, $11,
              $12, $13, $14, $15, $16::numeric, $17::numeric)
      on conflict (provider, host, session) do update set
        agent = excluded.agent, project = excluded.project, transcript = excluded.transcript,
        models = excluded.models, first_at = excluded.first_at, last_at = excluded.last_at,
        input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
        cache_write_tokens = excluded.cache_write_tokens,
        cache_read_tokens = excluded.cache_read_tokens,
        reasoning_tokens = excluded.reasoning_tokens, calls = excluded.calls,
        cost_usd = excluded.cost_usd, priced_cost_usd = excluded.priced_cost_usd,
        updated_at = now())sql");
  c.prepare("upsert_usage_daily", R"sql(
      insert into public.usage_daily
        (date, provider, host, model, agent, project, task, input_tokens, output_tokens,
         cache_write_tokens, cache_read_tokens, reasoning_tokens, calls, cost_usd,
         reported_cost_usd)
      values ($1::date, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::numeric,
              $15::numeric)
      on conflict (date, provider, host, model, agent, project, task) do update set
        input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
        cache_write_tokens = excluded.cache_write_tokens,
        cache_read_tokens = excluded.cache_read_tokens,
        reasoning_tokens = excluded.reasoning_tokens, calls = excluded.calls,
        cost_usd = excluded.cost_usd, reported_cost_usd = excluded.reported_cost_usd,
        updated_at = now())sql");
  c.prepare("insert_sync_log", R"sql(
      insert into public.cost_sync_log
        (started_at, finished_at, provider, host, status, rows_written, error, run_id)
      values ($1::timestamptz, $2::timestamptz, $3, $4, $5, $6, nullif($7, ''), nullif($8, ''))
      on conflict (run_id, provider, host) do nothing)sql");
}

write_summary write_batch(pqxx::connection& c, const sync_batch& batch) {
  try {
    pqxx::work tx(c);
    write_summary done;
    for (const auto& s : batch.snapshots) {
      // A resent run (after a crash or an outage) inserts nothing twice: counted as written.
      done.snapshots += static_cast<std::int64_t>(
          tx.exec_prepared("insert_snapshot", s.provider, s.source, s.host,
                           format_timestamp(s.fetched_at), decimal(s.total_cost), s.tokens.input,
                           s.tokens.output, s.tokens.cache_read, s.tokens.cache_write(),
                           s.tokens.total(), decimal(s.balance), decimal(s.credit_limit),
                           s.currency, s.units.dump(), s.model_breakdown.dump(),
                           s.raw_response.dump(), batch.run_id)
              .affected_rows());
    }
    for (const auto& d : batch.daily_costs) {
      tx.exec_prepared0("upsert_cost_daily", d.provider, d.host, d.date.to_string(), d.source,
                        decimal(d.cost), d.tokens.input, d.tokens.output, d.tokens.cache_read,
                        d.tokens.cache_write(), d.tokens.total());
      ++done.daily_costs;
    }
    for (const auto& u : batch.daily_usage) {
      tx.exec_prepared0("upsert_usage_daily", u.date.to_string(), u.provider, u.host, u.model,
                        u.agent, u.project, u.task, u.tokens.input, u.tokens.output,
                        u.tokens.cache_write(), u.tokens.cache_read, u.tokens.reasoning, u.calls,
                        decimal(u.cost), decimal(u.reported_cost));
      ++done.daily_usage;
    }
    for (const auto& s : batch.sessions)
      tx.exec_prepared0("upsert_usage_session", s.provider, s.host, s.session, s.agent, s.project,
                        s.transcript, nlohmann::json(s.models).dump(), format_timestamp(s.first_at),
                        format_timestamp(s.last_at), s.tokens.input, s.tokens.output,
                        s.tokens.cache_write(), s.tokens.cache_read, s.tokens.reasoning, s.calls,
                        decimal(s.cost), decimal(std::optional<micro_usd>(s.priced_cost)));
    for (const auto& h : batch.hourly_costs)
      tx.exec_prepared0("upsert_cost_hourly", h.provider, h.host, format_timestamp(h.hour),
                        h.source, decimal(h.cost), h.calls);
    for (const auto& l : batch.log) {
      done.log += static_cast<std::int64_t>(
          tx.exec_prepared("insert_sync_log", format_timestamp(l.started_at),
                           format_timestamp(l.finished_at), l.provider, l.host, l.status,
                           l.rows_written, l.error, batch.run_id)
              .affected_rows());
    }
    tx.commit();
    return done;
  } catch (const pqxx::failure& e) {
    throw detail::to_store_error(e, "writing the sync run");
  }
}

}  // namespace detail

}  // namespace costs
