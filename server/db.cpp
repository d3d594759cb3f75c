#include "db.hpp"

#include <memory>

namespace costs::server {
namespace {

thread_local std::unique_ptr<pqxx::connection> this_thread_connection;

void prepare_statements(pqxx::connection& c) {
  c.prepare("healthz", "select 1");
  // The newest snapshot per provider and host, with that pair's newest sync-log row; then the
  // pairs whose newest sync failed before any snapshot was stored (fetched_at null), so a key
  // rejected from the first run still gets a card that says so. Failed syncs sort first.
  // The log names the machine that ran the sync; account-wide API data has host '', so a log
  // row's host counts only for the local sources ($1, the keys of local providers).
  c.prepare("latest", R"sql(
    with newest_sync as (
      select distinct on (provider, data_host) provider, data_host as host, status,
             coalesce(error, '') as error, finished_at
        from (select *, case when provider = any($1::text[]) then host else '' end as data_host
                from public.cost_sync_log
               where started_at > now() - interval '8 days') recent  -- older news: a dead badge
       order by provider, data_host, started_at desc, id desc),
    rows as (
      select l.provider, l.source, l.host, l.fetched_at,
             (l.total_cost_usd * 1000000)::bigint as total_cost_micro_usd,
             l.input_tokens, l.output_tokens, l.cache_read_tokens, l.cache_write_tokens,
             l.total_tokens, (l.balance_usd * 1000000)::bigint as balance_micro_usd,
             (l.credit_limit_usd * 1000000)::bigint as credit_limit_micro_usd, l.currency,
             l.units::text as units, l.model_breakdown::text as model_breakdown
        from public.usage_latest l
      union all
      select s.provider, null, s.host, null, null, 0, 0, 0, 0, 0, null, null, 'USD', null, null
        from newest_sync s
       where s.status not in ('ok', 'not_configured', 'unavailable')
         and not exists (select 1 from public.usage_latest l
                          where l.provider = s.provider and l.host = s.host))
    select r.provider, r.source, r.host,
           to_char(r.fetched_at at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as fetched_at,
           floor(extract(epoch from (now() - r.fetched_at)))::bigint as age_seconds,
           r.total_cost_micro_usd, r.input_tokens, r.output_tokens, r.cache_read_tokens,
           r.cache_write_tokens, r.total_tokens, r.balance_micro_usd, r.credit_limit_micro_usd,
           r.currency, r.units, r.model_breakdown,
           s.status as sync_status, s.error as sync_error,
           to_char(s.finished_at at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as synced_at,
           coalesce(s.status not in ('ok', 'not_configured', 'unavailable'), false) as sync_failed
      from rows r
      left join newest_sync s on s.provider = r.provider and s.host = r.host
     order by sync_failed desc, r.provider, r.host)sql");
  // Each provider's newest balance (the first host's where several report one).
  c.prepare("balances", R"sql(
    select provider, (balance_usd * 1000000)::bigint, currency from public.usage_latest
     where balance_usd is not null order by provider, host)sql");
  // The timeline: cost per day and key from $1 to $3 (the caller's days), optionally one
  // provider ($2).
  // A group with any unpriced row has no cost (null), never a partial sum shown as whole.
  // By provider from cost_daily (every source has it); by model or agent from usage_daily.
  const std::pair<const char*, const char*> daily[] = {
      {"provider", "cost_daily"}, {"model", "usage_daily"}, {"agent", "usage_daily"}};
  for (const auto& [key, table] : daily) {
    c.prepare(std::string("daily_") + key, std::string(R"sql(
    select date::text, )sql") + key + R"sql( as key,
           (case when bool_and(cost_usd is not null) then sum(cost_usd) end * 1000000)::bigint as cost,
           sum(input_tokens)::bigint, sum(output_tokens)::bigint, sum(cache_read_tokens)::bigint,
           sum(cache_write_tokens)::bigint
      from public.)sql" + table + R"sql(
     where date between $1::date and $3::date and ($2 = '' or provider = $2)
     group by 1, 2 order by 1, 2)sql");
  }
  // A breakdown covers every dollar the chart does: usage_daily's itemised rows, plus each
  // billed cost_daily day that has no itemised rows (e.g. OpenAI's admin costs, OpenRouter's
  // today from /key) under the key '' ("not itemised"). Optionally one provider ($3).
  for (const char* key : {"provider", "model", "agent", "project", "task"}) {
    const std::string k = key;
    const std::string billed_key = k == "provider" ? "provider" : "''::text";
    c.prepare("breakdown_" + k, R"sql(
    select key,
           (case when bool_and(cost_usd is not null) then sum(cost_usd) end * 1000000)::bigint as cost,
           (sum(cost_usd) * 1000000)::bigint as priced, sum(calls)::bigint,
           sum(input_tokens)::bigint, sum(output_tokens)::bigint, sum(cache_read_tokens)::bigint,
           sum(cache_write_tokens)::bigint
      from (select )sql" + k + R"sql( as key, cost_usd, calls, input_tokens, output_tokens,
                   cache_read_tokens, cache_write_tokens
              from public.usage_daily
             where date between $1::date and $2::date and ($3 = '' or provider = $3)
            union all
            select )sql" + billed_key +
                                    R"sql(, d.cost_usd, 0, d.input_tokens, d.output_tokens,
                   d.cache_read_tokens, d.cache_write_tokens
              from public.cost_daily d
             where d.date between $1::date and $2::date and ($3 = '' or d.provider = $3)
               and d.source <> 'local_session'
               and not exists (select 1 from public.usage_daily u
                                where u.provider = d.provider and u.date = d.date)) rows
     group by 1 order by 3 desc nulls last, 1)sql");
  }
  // Daily spend between $1 and $2, split into billed (a provider's API) and estimated (priced
  // from local logs); unpriced rows are counted, never summed as $0.
  // A local day's cost holds only what could be priced, so its unpriced part is counted from
  // usage_daily's rows (day, model, ...) without a price; an API day without a cost counts once.
  c.prepare("spend_by_day", R"sql(
    select date::text, source = 'local_session' as estimated,
           (sum(cost_usd) * 1000000)::bigint,
           count(*) filter (where cost_usd is null and source <> 'local_session')
      from public.cost_daily
     where date between $1::date and $2::date
     group by 1, 2
    union all
    select date::text, true, null, count(*)
      from public.usage_daily
     where date between $1::date and $2::date and cost_usd is null
     group by 1
     order by 1)sql");
  c.prepare("spend_by_hour", R"sql(
    select to_char(hour at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           coalesce((sum(cost_usd) * 1000000)::bigint, 0)
      from public.cost_hourly where hour >= now() - interval '8 days' group by 1)sql");
  c.prepare("spend_all_time", R"sql(
    select source = 'local_session' as estimated, coalesce((sum(cost_usd) * 1000000)::bigint, 0),
           count(*) filter (where cost_usd is null and source <> 'local_session'),
           coalesce(min(date)::text, '')
      from public.cost_daily group by 1
    union all
    select true, 0, count(*), '' from public.usage_daily where cost_usd is null)sql");
  c.prepare("spend_by_provider_day", R"sql(
    select provider, date::text, (sum(cost_usd) * 1000000)::bigint,
           bool_or(source = 'local_session'), count(*) filter (where cost_usd is null)
      from public.cost_daily
     where date between $1::date and $2::date
     group by 1, 2 order by 1, 2)sql");
  // Reconciliation: billed per admin-API provider and day; estimated per day and model from the
  // local sources (the vendor is told from the model's name in C++).
  c.prepare("billed_by_day", R"sql(
    select provider, date::text, (sum(cost_usd) * 1000000)::bigint
      from public.cost_daily
     where date between $1::date and $2::date and source <> 'local_session'
       and provider in ('anthropic_api', 'openai_api') and cost_usd is not null
     group by 1, 2)sql");
  c.prepare("estimated_by_model", R"sql(
    select date::text, model, coalesce((sum(cost_usd) * 1000000)::bigint, 0)
      from public.usage_daily
     where date between $1::date and $2::date
       and provider in ('claude_local', 'codex_local', 'openclaw_local', 'gemini_local')
     group by 1, 2)sql");
  c.prepare("budgets", R"sql(
    select id, name, kind, scope_kind, scope_value, period,
           (threshold_usd * 1000000)::bigint, (warn_ratio * 1000)::int
      from public.budgets where enabled order by id)sql");
  // What a budget's scope spent from $1 to $2: totals and providers from cost_daily, agents and
  // models from usage_daily.
  c.prepare("scope_spend_total", R"sql(
    select coalesce((sum(cost_usd) * 1000000)::bigint, 0) from public.cost_daily
     where date between $1::date and $2::date and ($3 = '' or provider = $3))sql");
  for (const char* key : {"agent", "model"})
    c.prepare(std::string("scope_spend_") + key, std::string(R"sql(
    select coalesce((sum(cost_usd) * 1000000)::bigint, 0) from public.usage_daily
     where date between $1::date and $2::date and )sql") +
                                                     key + " = $3");
  c.prepare("known_agents",
            "select distinct agent from public.usage_daily where agent <> '' order by 1");
  c.prepare("last_syncs", R"sql(
    select distinct on (provider) provider, status,
           to_char(finished_at at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), coalesce(error, '')
      from public.cost_sync_log order by provider, finished_at desc)sql");
  c.prepare("sync_log", R"sql(
    select to_char(started_at at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
           to_char(finished_at at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
           provider, host, status, rows_written, coalesce(error, '')
      from public.cost_sync_log
     where $2 or status not in ('not_configured', 'unavailable')
     order by started_at desc, id desc limit $1)sql");
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
