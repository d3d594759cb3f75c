// The dashboard's reads on Postgres: one libpqxx connection, its statements prepared once.
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "costs/batch.hpp"
#include "costs/error.hpp"
#include "costs/money.hpp"
#include "costs/target.hpp"
#include "store/pg_error.hpp"
#include "store/pg_writes.hpp"
#include "store/rest_target.hpp"

namespace costs {
namespace {

std::optional<std::int64_t> opt_int(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::int64_t>();
}

std::optional<std::string> opt_text(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return std::string(f.c_str());
}

std::string text(const pqxx::field& f) {
  return f.is_null() ? std::string() : std::string(f.c_str());
}

token_sums tokens_of(const pqxx::row& r) {
  return {r["input_tokens"].as<std::int64_t>(), r["output_tokens"].as<std::int64_t>(),
          r["cache_read_tokens"].as<std::int64_t>(), r["cache_write_tokens"].as<std::int64_t>()};
}

// Channel ids are [a-z0-9-] only, so a text[] needs no quoting either way: '{a,b}'.
std::vector<std::string> text_array(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (const char c : text) {
    if (c == '{' || c == '}' || c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  return out;
}

std::string to_text_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const auto& item : items) out += (out.size() > 1 ? "," : "") + item;
  return out + "}";
}

// Timestamps leave the database as ISO 8601 UTC text with microseconds.
#define ISO(col) "to_char(" col " at time zone 'utc', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

void prepare_statements(pqxx::connection& c) {
  c.prepare("ping", "select 1");
  // The newest snapshot per provider and host, with that pair's newest sync-log row; then the
  // pairs whose newest sync failed before any snapshot was stored (fetched_at null), so a key
  // rejected from the first run still gets a card that says so. Failed syncs sort first.
  // The log names the machine that ran the sync; account-wide API data has host '', so a log
  // row's host counts only for the local sources ($1, the keys of local providers).
  c.prepare("latest", R"sql(
    with recursive log_pairs (provider, host) as (  -- every (provider, host) in the log, by
      (select provider, host from public.cost_sync_log  -- one descent of the pair index each
        order by provider, host limit 1)
      union all
      select next_pair.provider, next_pair.host
        from log_pairs p
        cross join lateral (select s.provider, s.host from public.cost_sync_log s
                             where (s.provider, s.host) > (p.provider, p.host)
                             order by s.provider, s.host limit 1) next_pair),
    newest_sync as (  -- each pair's newest of the last 8 days; older news: a dead badge
      select distinct on (provider, data_host) provider, data_host as host, status,
             coalesce(error, '') as error, finished_at
        from (select l.*, case when l.provider = any($1::text[]) then l.host else '' end as data_host
                from log_pairs p
                cross join lateral (select s.provider, s.host, s.status, s.error, s.finished_at,
                                           s.started_at, s.id
                                      from public.cost_sync_log s
                                     where s.provider = p.provider and s.host = p.host
                                       and s.started_at > now() - interval '8 days'
                                     order by s.started_at desc, s.id desc limit 1) l) recent
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
    select r.provider, r.source, r.host, )sql" ISO("r.fetched_at") R"sql( as fetched_at,
           floor(extract(epoch from (now() - r.fetched_at)))::bigint as age_seconds,
           r.total_cost_micro_usd, r.input_tokens, r.output_tokens, r.cache_read_tokens,
           r.cache_write_tokens, r.total_tokens, r.balance_micro_usd, r.credit_limit_micro_usd,
           r.currency, r.units, r.model_breakdown,
           s.status as sync_status, s.error as sync_error,
           )sql" ISO("s.finished_at") R"sql( as synced_at,
           coalesce(s.status not in ('ok', 'not_configured', 'unavailable'), false) as sync_failed
      from rows r
      left join newest_sync s on s.provider = r.provider and s.host = r.host
     order by sync_failed desc, r.provider, r.host)sql");
  c.prepare("balances", R"sql(
    select distinct on (provider) provider,
           (balance_usd * 1000000)::bigint as balance_micro_usd, currency
      from public.usage_latest
     where balance_usd is not null order by provider, fetched_at desc)sql");
  // The timeline: cost per day and key from $1 to $2. A group with any unpriced row has no cost
  // (null), never a partial sum shown as whole. By provider from cost_daily (every source has
  // it), optionally one provider ($3); by model or agent, or by provider under an itemised
  // filter, from usage_daily, filtered by provider, model, agent, project and task ($3-$7).
  const char* const sums = R"sql(
           (case when bool_and(cost_usd is not null) then sum(cost_usd) end * 1000000)::bigint
             as cost_micro_usd,
           sum(input_tokens)::bigint as input_tokens, sum(output_tokens)::bigint as output_tokens,
           sum(cache_read_tokens)::bigint as cache_read_tokens,
           sum(cache_write_tokens)::bigint as cache_write_tokens)sql";
  const char* const itemised = R"sql(
           ($3 = '' or provider = $3) and ($4 = '' or model = $4) and ($5 = '' or agent = $5)
           and ($6 = '' or project = $6) and ($7 = '' or task = $7))sql";
  c.prepare("daily_provider", std::string(R"sql(
    select date::text as date, provider as key,)sql") +
                                  sums + R"sql(
      from public.cost_daily
     where date between $1::date and $2::date and ($3 = '' or provider = $3)
     group by 1, 2 order by 1, 2)sql");
  for (const char* key : {"provider", "model", "agent"})
    c.prepare(std::string("daily_itemised_") + key, std::string(R"sql(
    select date::text as date, )sql") + key + " as key," +
                                                        sums + R"sql(
      from public.usage_daily
     where date between $1::date and $2::date and )sql" +
                                                        itemised + R"sql(
     group by 1, 2 order by 1, 2)sql");
  // A breakdown covers every dollar the chart does: usage_daily's itemised rows, plus each
  // billed cost_daily day that has no itemised rows (e.g. OpenAI's admin costs, OpenRouter's
  // today from /key) under the key '' ("not itemised"), while no itemised filter is set.
  for (const char* key : {"provider", "model", "agent", "project", "task", "date"}) {
    const std::string k = key;
    const std::string row_key = k == "date" ? "date::text" : k;
    const std::string billed_key = k == "provider" ? "d.provider"
                                   : k == "date"   ? "d.date::text"
                                                   : "''::text";
    c.prepare("breakdown_" + k, R"sql(
    select key,
           (case when bool_and(cost_usd is not null) then sum(cost_usd) end * 1000000)::bigint
             as cost_micro_usd,
           (sum(cost_usd) * 1000000)::bigint as priced_cost_micro_usd, sum(calls)::bigint as calls,
           sum(input_tokens)::bigint as input_tokens, sum(output_tokens)::bigint as output_tokens,
           sum(cache_read_tokens)::bigint as cache_read_tokens,
           sum(cache_write_tokens)::bigint as cache_write_tokens
      from (select )sql" + row_key + R"sql( as key, cost_usd, calls, input_tokens, output_tokens,
                   cache_read_tokens, cache_write_tokens
              from public.usage_daily
             where date between $1::date and $2::date and )sql" +
                                    itemised + R"sql(
            union all
            select )sql" + billed_key +
                                    R"sql(, d.cost_usd, 0, d.input_tokens, d.output_tokens,
                   d.cache_read_tokens, d.cache_write_tokens
              from public.cost_daily d
             where d.date between $1::date and $2::date and ($3 = '' or d.provider = $3)
               and $4 = '' and $5 = '' and $6 = '' and $7 = ''
               and d.source <> 'local_session'
               and not exists (select 1 from public.usage_daily u
                                where u.provider = d.provider and u.date = d.date)) rows
     group by 1 order by 3 desc nulls last, 1)sql");
  }
  // Sessions that ran on a day of the range in the caller's zone ($3), newest first.
  c.prepare("sessions", R"sql(
    select provider, host, session, agent, project, transcript, array_to_json(models)::text as models,
           )sql" ISO("first_at") R"sql( as first_at, )sql" ISO("last_at") R"sql( as last_at,
           input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, calls,
           (cost_usd * 1000000)::bigint as cost_micro_usd,
           (priced_cost_usd * 1000000)::bigint as priced_cost_micro_usd
      from public.usage_sessions
     where (last_at at time zone $3)::date >= $1::date
       and (first_at at time zone $3)::date <= $2::date
       and ($4 = '' or provider = $4) and ($5 = '' or $5 = any(models))
       and ($6 = '' or agent = $6) and ($7 = '' or project = $7)
     order by last_at desc, session
     limit $8)sql");
  c.prepare("service_costs", R"sql(
    select date::text as date, model as service, project as resource_group,
           (case when bool_and(cost_usd is not null) then sum(cost_usd) end * 1000000)::bigint
             as cost_micro_usd
      from public.usage_daily
     where provider = $1 and date between $2::date and $3::date
     group by 1, 2, 3 order by 1, 2, 3)sql");
  // Reported calls ($1, a JSON array): each id once, the batch's repeats too; only the calls new
  // to the table are added to the provider agent_reports' daily and hourly rows. A day's or an
  // hour's cost holds what could be priced (as for local logs); usage_daily's cost is null once
  // any call in its group was unpriced.
  c.prepare("record_calls", R"sql(
    with incoming as (
      select distinct on (call_id) *
        from jsonb_to_recordset($1::jsonb) as x(
               call_id text, occurred_at timestamptz, date date, agent text, session text,
               task text, model text, vendor text, input_tokens bigint, output_tokens bigint,
               cache_write_tokens bigint, cache_read_tokens bigint, reasoning_tokens bigint,
               cost_usd numeric, reported_cost_usd numeric)
       order by call_id),
    fresh as (
      insert into public.llm_calls
        (call_id, occurred_at, date, agent, session, task, model, vendor, input_tokens,
         output_tokens, cache_write_tokens, cache_read_tokens, reasoning_tokens, cost_usd,
         reported_cost_usd)
      select call_id, occurred_at, date, agent, session, task, model, vendor, input_tokens,
             output_tokens, cache_write_tokens, cache_read_tokens, reasoning_tokens, cost_usd,
             reported_cost_usd
        from incoming
      on conflict (call_id) do nothing
      returning *),
    usage as (
      insert into public.usage_daily as u
        (date, provider, host, model, agent, project, task, input_tokens, output_tokens,
         cache_write_tokens, cache_read_tokens, reasoning_tokens, calls, cost_usd,
         reported_cost_usd)
      select date, 'agent_reports', '', model, agent, '', task, sum(input_tokens),
             sum(output_tokens), sum(cache_write_tokens), sum(cache_read_tokens),
             sum(reasoning_tokens), count(*),
             case when bool_and(cost_usd is not null) then sum(cost_usd) end,
             sum(reported_cost_usd)
        from fresh group by date, model, agent, task
      on conflict (date, provider, host, model, agent, project, task) do update set
        input_tokens = u.input_tokens + excluded.input_tokens,
        output_tokens = u.output_tokens + excluded.output_tokens,
        cache_write_tokens = u.cache_write_tokens + excluded.cache_write_tokens,
        cache_read_tokens = u.cache_read_tokens + excluded.cache_read_tokens,
        reasoning_tokens = u.reasoning_tokens + excluded.reasoning_tokens,
        calls = u.calls + excluded.calls,
        cost_usd = u.cost_usd + excluded.cost_usd,
        reported_cost_usd = case when u.reported_cost_usd is null
                                  and excluded.reported_cost_usd is null then null
                                 else coalesce(u.reported_cost_usd, 0)
                                      + coalesce(excluded.reported_cost_usd, 0) end,
        updated_at = now()
      returning 1),
    days as (
      insert into public.cost_daily as d
        (provider, host, date, source, cost_usd, input_tokens, output_tokens, cache_read_tokens,
         cache_write_tokens, total_tokens)
      select 'agent_reports', '', date, 'local_session', sum(cost_usd), sum(input_tokens),
             sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens),
             sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens)
        from fresh group by date
      on conflict (provider, host, date) do update set
        cost_usd = case when d.cost_usd is null and excluded.cost_usd is null then null
                        else coalesce(d.cost_usd, 0) + coalesce(excluded.cost_usd, 0) end,
        input_tokens = d.input_tokens + excluded.input_tokens,
        output_tokens = d.output_tokens + excluded.output_tokens,
        cache_read_tokens = d.cache_read_tokens + excluded.cache_read_tokens,
        cache_write_tokens = d.cache_write_tokens + excluded.cache_write_tokens,
        total_tokens = d.total_tokens + excluded.total_tokens,
        updated_at = now()
      returning 1),
    hours as (
      insert into public.cost_hourly as h (provider, host, hour, source, cost_usd, calls)
      select 'agent_reports', '', date_trunc('hour', occurred_at), 'local_session',
             sum(cost_usd), count(*)
        from fresh group by 3
      on conflict (provider, host, hour) do update set
        cost_usd = case when h.cost_usd is null and excluded.cost_usd is null then null
                        else coalesce(h.cost_usd, 0) + coalesce(excluded.cost_usd, 0) end,
        calls = h.calls + excluded.calls,
        updated_at = now()
      returning 1)
    select count(*) as recorded from fresh)sql");
  // Daily spend between $1 and $2, split into billed (a provider's API) and estimated (priced
  // from local logs); unpriced rows are counted, never summed as $0. A local day's cost holds
  // only what could be priced, so its unpriced part is counted from usage_daily's rows without
  // a price; an API day without a cost counts once.
  // Spend leaves out the providers a flat-fee plan covers (their usage is API-equivalent, not
  // money spent), unless the plan says to count it.
#define NOT_COVERED \
  " provider not in (select s.provider from public.subscriptions s where not s.counts_in_spend) "
  c.prepare("spend_by_day", R"sql(
    select date::text as date, source = 'local_session' as estimated,
           (sum(cost_usd) * 1000000)::bigint as cost_micro_usd,
           count(*) filter (where cost_usd is null and source <> 'local_session') as unpriced_rows
      from public.cost_daily
     where date between $1::date and $2::date and)sql" NOT_COVERED R"sql(
     group by 1, 2
    union all
    select date::text, true, null, count(*)
      from public.usage_daily
     where date between $1::date and $2::date and cost_usd is null and)sql" NOT_COVERED R"sql(
     group by 1
     order by 1)sql");
  c.prepare("spend_by_hour", R"sql(
    select to_char(hour at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as hour,
           coalesce((sum(cost_usd) * 1000000)::bigint, 0) as cost_micro_usd
      from public.cost_hourly where hour >= $1::timestamptz and)sql" NOT_COVERED R"sql(
     group by 1 order by 1)sql");
  c.prepare("spend_all_time", R"sql(
    select source = 'local_session' as estimated,
           coalesce((sum(cost_usd) * 1000000)::bigint, 0) as cost_micro_usd,
           count(*) filter (where cost_usd is null and source <> 'local_session') as unpriced_rows,
           coalesce(min(date)::text, '') as first_date
      from public.cost_daily where)sql" NOT_COVERED R"sql( group by 1
    union all
    select true, 0, count(*), '' from public.usage_daily
     where cost_usd is null and)sql" NOT_COVERED R"sql()sql");
  c.prepare("subscriptions", R"sql(
    select provider, plan, (monthly_fee_usd * 1000000)::bigint as monthly_fee_micro_usd,
           counts_in_spend
      from public.subscriptions order by provider)sql");
  c.prepare("set_subscription", R"sql(
    insert into public.subscriptions (provider, plan, monthly_fee_usd, counts_in_spend)
    values ($1, $2, $3::numeric, $4)
    on conflict (provider) do update set
      plan = excluded.plan, monthly_fee_usd = excluded.monthly_fee_usd,
      counts_in_spend = excluded.counts_in_spend, updated_at = now())sql");
  c.prepare("clear_subscription",
            "delete from public.subscriptions where provider = $1 returning provider");
  c.prepare("spend_by_provider_day", R"sql(
    select provider, date::text as date, (sum(cost_usd) * 1000000)::bigint as cost_micro_usd,
           bool_or(source = 'local_session') as estimated,
           count(*) filter (where cost_usd is null) as unpriced_rows
      from public.cost_daily
     where date between $1::date and $2::date
     group by 1, 2 order by 1, 2)sql");
  // Reconciliation: billed per admin-API provider and day; estimated per day and model from the
  // local sources (the vendor is told from the model's name by the caller).
  c.prepare("billed_by_day", R"sql(
    select provider, date::text as date, (sum(cost_usd) * 1000000)::bigint as cost_micro_usd
      from public.cost_daily
     where date between $1::date and $2::date and source <> 'local_session'
       and provider = any($3::text[]) and cost_usd is not null
     group by 1, 2)sql");
  c.prepare("estimated_by_model", R"sql(
    select date::text as date, model,
           coalesce((sum(cost_usd) * 1000000)::bigint, 0) as cost_micro_usd
      from public.usage_daily
     where date between $1::date and $2::date
       and provider = any($3::text[])
     group by 1, 2)sql");
  c.prepare("budgets", R"sql(
    select id, name, kind, scope_kind, scope_value, period,
           (threshold_usd * 1000000)::bigint as threshold_micro_usd,
           (warn_ratio * 1000)::int as warn_permille
      from public.budgets where enabled order by id)sql");
  // What a budget's scope spent from $1 to $2: totals and providers from cost_daily, agents and
  // models from usage_daily.
  c.prepare("scope_spend_total", R"sql(
    select coalesce((sum(cost_usd) * 1000000)::bigint, 0) as cost_micro_usd
      from public.cost_daily
     where date between $1::date and $2::date
       and (provider = $3 or ($3 = '' and)sql" NOT_COVERED R"sql()))sql");
#undef NOT_COVERED
  for (const char* key : {"agent", "model"})
    c.prepare(std::string("scope_spend_") + key, std::string(R"sql(
    select coalesce((sum(cost_usd) * 1000000)::bigint, 0) as cost_micro_usd
      from public.usage_daily
     where date between $1::date and $2::date and )sql") +
                                                     key + " = $3");
  // Budgets and their alerts: what the budget book reads and writes.
  c.prepare("budget_records", R"sql(
    select id, name, kind, scope_kind, scope_value, period,
           (threshold_usd * 1000000)::bigint as threshold_micro_usd,
           (warn_ratio * 1000)::int as warn_permille, channels::text as channels, enabled
      from public.budgets order by id)sql");
  c.prepare("add_budget", R"sql(
    insert into public.budgets (name, kind, scope_kind, scope_value, period, threshold_usd,
                                warn_ratio, channels, enabled)
    values ($1, $2, $3, $4, $5, $6::numeric, $7::numeric / 1000, $8::jsonb, $9)
    returning id)sql");
  c.prepare("remove_budget", "delete from public.budgets where id = $1");
  c.prepare("update_budget", R"sql(
    update public.budgets
       set name = $2, kind = $3, scope_kind = $4, scope_value = $5, period = $6,
           threshold_usd = $7::numeric, warn_ratio = $8::numeric / 1000, channels = $9::jsonb,
           enabled = $10
     where id = $1)sql");
  c.prepare("alert_history", R"sql(
    select a.id, a.budget_id, a.period_start::text as period_start, a.level,
           (a.spent_usd * 1000000)::bigint as spent_micro_usd,
           (a.threshold_usd * 1000000)::bigint as threshold_micro_usd,
           a.delivered_channels::text as delivered_channels, b.name,
           case when b.scope_kind = 'total' then 'total'
                else b.scope_kind || ':' || b.scope_value end as scope, b.period,
           )sql" ISO("a.fired_at") R"sql( as fired_at,
           coalesce()sql" ISO("a.delivered_at") R"sql(, '') as delivered_at,
           coalesce(a.delivery_error, '') as delivery_error
      from public.alert_events a join public.budgets b on b.id = a.budget_id
     order by a.fired_at desc, a.id desc limit $1)sql");
  c.prepare("record_alert", R"sql(
    insert into public.alert_events (budget_id, period_start, level, spent_usd, threshold_usd)
    values ($1, $2::date, $3, $4::numeric, $5::numeric)
    on conflict (budget_id, period_start, level) do nothing)sql");
  c.prepare("undelivered_alerts", R"sql(
    select id, budget_id, period_start::text as period_start, level,
           (spent_usd * 1000000)::bigint as spent_micro_usd,
           (threshold_usd * 1000000)::bigint as threshold_micro_usd,
           delivered_channels::text as delivered_channels
      from public.alert_events where delivered_at is null order by id)sql");
  c.prepare("record_delivery", R"sql(
    update public.alert_events set delivered_channels = $2::text[],
           delivered_at = case when $3 then now() end, delivery_error = nullif($4, '')
     where id = $1)sql");
  c.prepare("known_agents",
            "select distinct agent from public.usage_daily where agent <> '' order by 1");
  // Each provider's newest row: a skip scan of cost_sync_log_provider_finished_idx (one short
  // descent per provider), where distinct on would sort the whole log on every request.
  c.prepare("last_syncs", R"sql(
    with recursive providers (provider) as (
      (select provider from public.cost_sync_log order by provider limit 1)
      union all
      select (select s.provider from public.cost_sync_log s
               where s.provider > p.provider order by s.provider limit 1)
        from providers p where p.provider is not null)
    select l.provider, l.host, l.status,
           )sql" ISO("l.started_at") R"sql( as started_at,
           )sql" ISO("l.finished_at") R"sql( as finished_at, l.rows_written,
           coalesce(l.error, '') as error, coalesce(l.run_id, '') as run_id
      from providers p
      cross join lateral (select * from public.cost_sync_log s
                           where s.provider = p.provider
                           order by s.finished_at desc limit 1) l
     where p.provider is not null
     order by l.provider)sql");
  c.prepare("sync_log", R"sql(
    select )sql" ISO("started_at") R"sql( as started_at,
           )sql" ISO("finished_at") R"sql( as finished_at,
           provider, host, status, rows_written, coalesce(error, '') as error,
           coalesce(run_id, '') as run_id
      from public.cost_sync_log
     where $2 or status not in ('not_configured', 'unavailable')
     -- the column, not the text alias of the same name: the index gives this order
     order by cost_sync_log.started_at desc, id desc limit $1)sql");
}

#undef ISO

alert_record alert_of(const pqxx::row& r) {
  alert_record a;
  a.id = r["id"].as<std::int64_t>();
  a.budget_id = r["budget_id"].as<std::int64_t>();
  a.period_start = civil_day::parse(text(r["period_start"]));
  a.level = text(r["level"]);
  a.spent_micro_usd = r["spent_micro_usd"].as<std::int64_t>();
  a.threshold_micro_usd = r["threshold_micro_usd"].as<std::int64_t>();
  a.delivered_channels = text_array(text(r["delivered_channels"]));
  return a;
}

sync_row sync_of(const pqxx::row& r) {
  return {text(r["provider"]),   text(r["host"]),        text(r["status"]),
          text(r["started_at"]), text(r["finished_at"]), r["rows_written"].as<std::int64_t>(),
          text(r["error"]),      text(r["run_id"])};
}

class postgres_target final : public target {
 public:
  postgres_target(const std::string& url, target_options options) {
    try {
      std::string conninfo = url;
      if (options.connect_timeout.count() > 0 &&
          conninfo.find("connect_timeout=") == std::string::npos)
        conninfo += (conninfo.find('?') == std::string::npos ? "?" : "&") +
                    std::string("connect_timeout=") +
                    std::to_string(options.connect_timeout.count());
      c_ = std::make_unique<pqxx::connection>(conninfo);
      if (options.statement_timeout.count() > 0) {
        pqxx::nontransaction tx(*c_);
        tx.exec0("set statement_timeout = " + std::to_string(options.statement_timeout.count()));
      }
      prepare_statements(*c_);
    } catch (const pqxx::broken_connection& e) {
      std::string why = e.what();
      if (const auto nl = why.find('\n'); nl != std::string::npos) why.erase(nl);
      throw store_error("store.unavailable", "cannot reach the database: " + why.substr(0, 200) +
                                                 "; check the target URL and that it is up");
    } catch (const pqxx::failure& e) {
      throw detail::to_store_error(e, "opening the database");
    }
  }

  bool connected() const noexcept override { return c_ && c_->is_open(); }

  void ping() override {
    read("ping", [](pqxx::transaction_base& tx) { tx.exec_prepared1("ping"); });
  }

  std::vector<latest_row> latest(const std::vector<std::string>& local_keys) override {
    const std::string array = to_text_array(local_keys);
    std::vector<latest_row> out;
    read("latest", [&](pqxx::transaction_base& tx) {
      for (const auto& r : tx.exec_prepared("latest", array)) {
        latest_row l;
        l.provider = text(r["provider"]);
        l.source = opt_text(r["source"]);
        l.host = text(r["host"]);
        l.fetched_at = opt_text(r["fetched_at"]);
        l.age_seconds = opt_int(r["age_seconds"]);
        l.total_cost_micro_usd = opt_int(r["total_cost_micro_usd"]);
        l.balance_micro_usd = opt_int(r["balance_micro_usd"]);
        l.credit_limit_micro_usd = opt_int(r["credit_limit_micro_usd"]);
        l.currency = text(r["currency"]);
        l.tokens = tokens_of(r);
        l.total_tokens = r["total_tokens"].as<std::int64_t>();
        l.units_json = opt_text(r["units"]);
        l.model_breakdown_json = opt_text(r["model_breakdown"]);
        l.sync_status = opt_text(r["sync_status"]);
        l.sync_error = text(r["sync_error"]);
        l.synced_at = text(r["synced_at"]);
        l.sync_failed = r["sync_failed"].as<bool>();
        out.push_back(std::move(l));
      }
    });
    return out;
  }

  std::vector<balance_row> balances() override {
    std::vector<balance_row> out;
    read("balances", [&](pqxx::transaction_base& tx) {
      for (const auto& r : tx.exec_prepared("balances"))
        out.push_back(
            {text(r["provider"]), r["balance_micro_usd"].as<std::int64_t>(), text(r["currency"])});
    });
    return out;
  }

  std::vector<daily_row> daily(const std::string& group, civil_day from, civil_day to,
                               const usage_filter& f) override {
    if (group != "provider" && group != "model" && group != "agent")
      throw config_error("target.bad_group", "group is provider, model or agent");
    std::vector<daily_row> out;
    read("the daily costs", [&](pqxx::transaction_base& tx) {
      const pqxx::result rows =
          group == "provider" && !f.itemised()
              ? tx.exec_prepared("daily_provider", from.to_string(), to.to_string(), f.provider)
              : tx.exec_prepared("daily_itemised_" + group, from.to_string(), to.to_string(),
                                 f.provider, f.model, f.agent, f.project, f.task);
      for (const auto& r : rows)
        out.push_back(
            {text(r["date"]), text(r["key"]), opt_int(r["cost_micro_usd"]), tokens_of(r)});
    });
    return out;
  }

  std::vector<breakdown_row> breakdown(const std::string& by, civil_day from, civil_day to,
                                       const usage_filter& f) override {
    if (by != "provider" && by != "model" && by != "agent" && by != "project" && by != "task" &&
        by != "date")
      throw config_error("target.bad_group", "by is provider, model, agent, project, task or date");
    std::vector<breakdown_row> out;
    read("the breakdown", [&](pqxx::transaction_base& tx) {
      for (const auto& r : tx.exec_prepared("breakdown_" + by, from.to_string(), to.to_string(),
                                            f.provider, f.model, f.agent, f.project, f.task))
        out.push_back({text(r["key"]), opt_int(r["cost_micro_usd"]),
                       opt_int(r["priced_cost_micro_usd"]), r["calls"].as<std::int64_t>(),
                       tokens_of(r)});
    });
    return out;
  }

  std::vector<subscription> subscriptions() override {
    std::vector<subscription> out;
    read("the plans", [&](pqxx::transaction_base& tx) {
      for (const auto& r : tx.exec_prepared("subscriptions"))
        out.push_back({text(r["provider"]), text(r["plan"]), opt_int(r["monthly_fee_micro_usd"]),
                       r["counts_in_spend"].as<bool>()});
    });
    return out;
  }

  void set_subscription(const subscription& s) override {
    write("setting a plan", [&](pqxx::work& tx) {
      tx.exec_prepared0(
          "set_subscription", s.provider, s.plan,
          s.monthly_fee_micro_usd
              ? std::optional<std::string>(to_decimal_string(micro_usd{*s.monthly_fee_micro_usd}))
              : std::nullopt,
          s.counts_in_spend);
    });
  }

  bool clear_subscription(const std::string& provider) override {
    bool removed = false;
    write("clearing a plan", [&](pqxx::work& tx) {
      removed = !tx.exec_prepared("clear_subscription", provider).empty();
    });
    return removed;
  }

  std::vector<session_view> sessions(civil_day from, civil_day to, const std::string& zone,
                                     const usage_filter& f, int limit) override {
    std::vector<session_view> out;
    read("the sessions", [&](pqxx::transaction_base& tx) {
      for (const auto& r : tx.exec_prepared("sessions", from.to_string(), to.to_string(), zone,
                                            f.provider, f.model, f.agent, f.project, limit)) {
        session_view s;
        s.provider = text(r["provider"]);
        s.host = text(r["host"]);
        s.session = text(r["session"]);
        s.agent = text(r["agent"]);
        s.project = text(r["project"]);
        s.transcript = text(r["transcript"]);
        s.models = nlohmann::json::parse(text(r["models"])).get<std::vector<std::string>>();
        s.first_at = text(r["first_at"]);
        s.last_at = text(r["last_at"]);
        s.tokens = tokens_of(r);
        s.calls = r["calls"].as<std::int64_t>();
        s.cost_micro_usd = opt_int(r["cost_micro_usd"]);
        s.priced_cost_micro_usd = r["priced_cost_micro_usd"].as<std::int64_t>();
        out.push_back(std::move(s));
      }
    });
    return out;
  }

  std::int64_t record_calls(const std::vector<reported_call>& calls) override {
    if (calls.empty()) return 0;
    // One JSON parameter for the whole batch: one round trip, however many calls.
    nlohmann::json rows = nlohmann::json::array();
    auto money = [](const std::optional<std::int64_t>& v) {
      return v ? nlohmann::json(to_decimal_string(micro_usd{*v})) : nlohmann::json();
    };
    for (const reported_call& c : calls)
      rows.push_back({{"call_id", c.id},
                      {"occurred_at", format_timestamp(c.at)},
                      {"date", c.date.to_string()},
                      {"agent", c.agent},
                      {"session", c.session},
                      {"task", c.task},
                      {"model", c.model},
                      {"vendor", c.vendor},
                      {"input_tokens", c.input},
                      {"output_tokens", c.output},
                      {"cache_write_tokens", c.cache_write},
                      {"cache_read_tokens", c.cache_read},
                      {"reasoning_tokens", c.reasoning},
                      {"cost_usd", money(c.cost_micro_usd)},
                      {"reported_cost_usd", money(c.reported_cost_micro_usd)}});
    std::int64_t recorded = 0;
    write("recording reported calls", [&](pqxx::work& tx) {
      recorded = tx.exec_prepared1("record_calls", rows.dump())["recorded"].as<std::int64_t>();
    });
    return recorded;
  }

  std::vector<service_day_row> service_costs(const std::string& provider, civil_day from,
                                             civil_day to) override {
    std::vector<service_day_row> out;
    read("the bill by service", [&](pqxx::transaction_base& tx) {
      for (const auto& r :
           tx.exec_prepared("service_costs", provider, from.to_string(), to.to_string()))
        out.push_back({text(r["date"]), text(r["service"]), text(r["resource_group"]),
                       opt_int(r["cost_micro_usd"])});
    });
    return out;
  }

  std::vector<spend_day_row> spend_by_day(civil_day from, civil_day to) override {
    std::vector<spend_day_row> out;
    read("the spend by day", [&](pqxx::transaction_base& tx) {
      for (const auto& r : tx.exec_prepared("spend_by_day", from.to_string(), to.to_string()))
        out.push_back({text(r["date"]), r["estimated"].as<bool>(), opt_int(r["cost_micro_usd"]),
                       r["unpriced_rows"].as<std::int64_t>()});
    });
    return out;
  }

  std::vector<spend_total_row> spend_all_time() override {
    std::vector<spend_total_row> out;
    read("the spend of all time", [&](pqxx::transaction_base& tx) {
      for (const auto& r : tx.exec_prepared("spend_all_time"))
        out.push_back({r["estimated"].as<bool>(), r["cost_micro_usd"].as<std::int64_t>(),
                       r["unpriced_rows"].as<std::int64_t>(), text(r["first_date"])});
    });
    return out;
  }

  std::vector<hour_spend_row> spend_by_hour(timestamp since) override {
    std::vector<hour_spend_row> out;
    read("the spend by hour", [&](pqxx::transaction_base& tx) {
      for (const auto& r : tx.exec_prepared("spend_by_hour", format_timestamp(since)))
        out.push_back({text(r["hour"]), r["cost_micro_usd"].as<std::int64_t>()});
    });
    return out;
  }

  std::vector<provider_day_row> spend_by_provider_day(civil_day from, civil_day to) override {
    std::vector<provider_day_row> out;
    read("the spend by provider", [&](pqxx::transaction_base& tx) {
      for (const auto& r :
           tx.exec_prepared("spend_by_provider_day", from.to_string(), to.to_string()))
        out.push_back({text(r["provider"]), text(r["date"]), opt_int(r["cost_micro_usd"]),
                       r["estimated"].as<bool>(), r["unpriced_rows"].as<std::int64_t>()});
    });
    return out;
  }

  std::vector<billed_day_row> billed_by_day(civil_day from, civil_day to,
                                            const std::vector<std::string>& providers) override {
    std::vector<billed_day_row> out;
    read("the bills", [&](pqxx::transaction_base& tx) {
      for (const auto& r : tx.exec_prepared("billed_by_day", from.to_string(), to.to_string(),
                                            to_text_array(providers)))
        out.push_back(
            {text(r["provider"]), text(r["date"]), r["cost_micro_usd"].as<std::int64_t>()});
    });
    return out;
  }

  std::vector<estimated_model_row> estimated_by_model(
      civil_day from, civil_day to, const std::vector<std::string>& providers) override {
    std::vector<estimated_model_row> out;
    read("the estimates", [&](pqxx::transaction_base& tx) {
      for (const auto& r : tx.exec_prepared("estimated_by_model", from.to_string(), to.to_string(),
                                            to_text_array(providers)))
        out.push_back({text(r["date"]), text(r["model"]), r["cost_micro_usd"].as<std::int64_t>()});
    });
    return out;
  }

  std::vector<budget_view> budgets() override {
    std::vector<budget_view> out;
    read("the budgets", [&](pqxx::transaction_base& tx) {
      for (const auto& r : tx.exec_prepared("budgets"))
        out.push_back({r["id"].as<std::int64_t>(), text(r["name"]), text(r["kind"]),
                       text(r["scope_kind"]), text(r["scope_value"]), text(r["period"]),
                       r["threshold_micro_usd"].as<std::int64_t>(), r["warn_permille"].as<int>()});
    });
    return out;
  }

  std::int64_t scope_spend_micro_usd(const std::string& scope_kind, const std::string& value,
                                     civil_day from, civil_day to) override {
    const std::string statement = scope_kind == "agent" || scope_kind == "model"
                                      ? "scope_spend_" + scope_kind
                                      : std::string("scope_spend_total");
    std::int64_t spent = 0;
    read("a budget's spend", [&](pqxx::transaction_base& tx) {
      spent =
          tx.exec_prepared1(statement, from.to_string(), to.to_string(), value)["cost_micro_usd"]
              .as<std::int64_t>();
    });
    return spent;
  }

  std::vector<std::string> known_agents() override {
    std::vector<std::string> out;
    read("the agents", [&](pqxx::transaction_base& tx) {
      for (const auto& r : tx.exec_prepared("known_agents")) out.push_back(text(r["agent"]));
    });
    return out;
  }

  std::vector<sync_row> last_syncs() override {
    std::vector<sync_row> out;
    read("the last syncs", [&](pqxx::transaction_base& tx) {
      for (const auto& r : tx.exec_prepared("last_syncs")) out.push_back(sync_of(r));
    });
    return out;
  }

  std::vector<sync_row> sync_log(int limit, bool all) override {
    std::vector<sync_row> out;
    read("the sync log", [&](pqxx::transaction_base& tx) {
      for (const auto& r : tx.exec_prepared("sync_log", limit, all)) out.push_back(sync_of(r));
    });
    return out;
  }

  write_summary write(const sync_batch& batch) override {
    if (!writes_prepared_) {
      try {
        detail::prepare_writes(*c_);
      } catch (const pqxx::failure& e) {
        throw detail::to_store_error(e, "writing the sync run");
      }
      writes_prepared_ = true;
    }
    try {
      return detail::write_batch(*c_, batch);
    } catch (const store_error& e) {
      if (e.code() != "store.query" || connected()) throw;
      throw store_error("store.unavailable", e.message());  // the connection went meanwhile
    }
  }

  std::int64_t prune_raw_responses(timestamp before, int batch) override {
    std::int64_t pruned = 0;
    write("pruning raw responses", [&](pqxx::work& tx) {
      pruned = tx.exec_params1("select public.prune_raw_responses($1::timestamptz, $2)",
                               format_timestamp(before), batch)[0]
                   .as<std::int64_t>();
    });
    return pruned;
  }

  std::vector<budget_record> budget_records() override {
    std::vector<budget_record> out;
    read("the budgets", [&](pqxx::transaction_base& tx) {
      for (const auto& r : tx.exec_prepared("budget_records")) {
        budget_record b;
        b.id = r["id"].as<std::int64_t>();
        b.name = text(r["name"]);
        b.kind = text(r["kind"]);
        b.scope_kind = text(r["scope_kind"]);
        b.scope_value = text(r["scope_value"]);
        b.period = text(r["period"]);
        b.threshold_micro_usd = r["threshold_micro_usd"].as<std::int64_t>();
        b.warn_permille = r["warn_permille"].as<int>();
        b.channels_json = text(r["channels"]);
        b.enabled = r["enabled"].as<bool>();
        out.push_back(std::move(b));
      }
    });
    return out;
  }

  std::int64_t add_budget(const budget_record& b) override {
    std::int64_t id = 0;
    write("adding a budget", [&](pqxx::work& tx) {
      id = tx.exec_prepared1("add_budget", b.name, b.kind, b.scope_kind, b.scope_value, b.period,
                             to_decimal_string(micro_usd{b.threshold_micro_usd}), b.warn_permille,
                             b.channels_json, b.enabled)["id"]
               .as<std::int64_t>();
    });
    return id;
  }

  bool remove_budget(std::int64_t id) override {
    bool removed = false;
    write("removing a budget", [&](pqxx::work& tx) {
      removed = tx.exec_prepared("remove_budget", id).affected_rows() > 0;
    });
    return removed;
  }

  bool update_budget(std::int64_t id, const budget_record& b) override {
    bool updated = false;
    write("changing a budget", [&](pqxx::work& tx) {
      updated = tx.exec_prepared("update_budget", id, b.name, b.kind, b.scope_kind, b.scope_value,
                                 b.period, to_decimal_string(micro_usd{b.threshold_micro_usd}),
                                 b.warn_permille, b.channels_json, b.enabled)
                    .affected_rows() > 0;
    });
    return updated;
  }

  std::vector<alert_history_row> alert_history(int limit) override {
    std::vector<alert_history_row> out;
    read("the alert history", [&](pqxx::transaction_base& tx) {
      for (const auto& r : tx.exec_prepared("alert_history", limit)) {
        alert_history_row h;
        h.alert = alert_of(r);
        h.budget_name = text(r["name"]);
        h.scope = text(r["scope"]);
        h.period = text(r["period"]);
        h.fired_at = text(r["fired_at"]);
        h.delivered_at = text(r["delivered_at"]);
        h.delivery_error = text(r["delivery_error"]);
        out.push_back(std::move(h));
      }
    });
    return out;
  }

  void record_alerts(const std::vector<alert_record>& alerts) override {
    if (alerts.empty()) return;
    write("recording alerts", [&](pqxx::work& tx) {
      for (const auto& a : alerts)
        tx.exec_prepared("record_alert", a.budget_id, a.period_start.to_string(), a.level,
                         to_decimal_string(micro_usd{a.spent_micro_usd}),
                         to_decimal_string(micro_usd{a.threshold_micro_usd}));
    });
  }

  std::vector<alert_record> undelivered_alerts() override {
    std::vector<alert_record> out;
    read("the alerts", [&](pqxx::transaction_base& tx) {
      for (const auto& r : tx.exec_prepared("undelivered_alerts")) out.push_back(alert_of(r));
    });
    return out;
  }

  void record_delivery(std::int64_t alert_id, const std::vector<std::string>& took, bool all,
                       const std::string& errors) override {
    write("recording a delivery", [&](pqxx::work& tx) {
      tx.exec_prepared("record_delivery", alert_id, to_text_array(took), all, errors);
    });
  }

 private:
  // One read-only transaction; libpqxx's failures become store_errors by what they mean.
  template <typename F>
  void read(const char* what, F&& body) {
    run<pqxx::read_transaction>(std::string("reading ") + what, body);
  }
  template <typename F>
  void write(const char* doing, F&& body) {
    run<pqxx::work>(doing, [&](pqxx::work& tx) {
      body(tx);
      tx.commit();
    });
  }
  template <typename transaction, typename F>
  void run(const std::string& doing, F&& body) {
    try {
      transaction tx(*c_);
      body(tx);
    } catch (const pqxx::broken_connection&) {
      throw store_error("store.unavailable", doing + ": the database connection was lost");
    } catch (const pqxx::failure& e) {
      // 57014: cancelled, here by statement_timeout (libpqxx 6 has no class for it).
      const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
      if (sql != nullptr && (sql->sqlstate() == "57014" ||
                             std::string(e.what()).find("statement timeout") != std::string::npos))
        throw store_error("store.unavailable", doing + ": the query took too long");
      if (!connected())
        throw store_error("store.unavailable", doing + ": the database connection was lost");
      throw detail::to_store_error(e, doing);
    }
  }

  std::unique_ptr<pqxx::connection> c_;
  bool writes_prepared_ = false;
};

}  // namespace

std::unique_ptr<target> open_target(const std::string& url, target_options options) {
  if (!is_postgres_url(url)) return detail::open_rest_target(url, options.rest_key);
  return std::make_unique<postgres_target>(url, options);
}

}  // namespace costs
