-- purpose: the daily breakdown by model, agent, project and task; upserted on its key.
-- input_tokens is uncached input only. cost_usd is null when unpriced (never 0);
-- reported_cost_usd is what the source itself logged.
-- writer: service_role. reader: costs_reader. anon and authenticated: nothing.

create table if not exists public.usage_daily (
  date date not null,
  provider text not null,
  host text not null default '',
  model text not null default '',
  agent text not null default '',
  project text not null default '',
  task text not null default '',
  input_tokens bigint not null default 0,
  output_tokens bigint not null default 0,
  cache_write_tokens bigint not null default 0,
  cache_read_tokens bigint not null default 0,
  reasoning_tokens bigint not null default 0,
  calls bigint not null default 0,
  cost_usd numeric(12, 6),
  reported_cost_usd numeric(12, 6),
  updated_at timestamptz not null default now(),
  primary key (date, provider, host, model, agent, project, task)
);

comment on table public.usage_daily is
  'Tokens, calls and cost per day, provider, host, model, agent, project and task.';

create index if not exists usage_daily_provider_date_idx on public.usage_daily (provider, date);

alter table public.usage_daily enable row level security;

revoke all on table public.usage_daily from public, anon, authenticated;
grant select, insert, update on table public.usage_daily to service_role;
grant select on table public.usage_daily to costs_reader;

create policy "service_role can read daily usage" on public.usage_daily
  for select to service_role using (true);
create policy "service_role can insert daily usage" on public.usage_daily
  for insert to service_role with check (true);
create policy "service_role can update daily usage" on public.usage_daily
  for update to service_role using (true) with check (true);
create policy "costs_reader can read daily usage" on public.usage_daily
  for select to costs_reader using (true);
