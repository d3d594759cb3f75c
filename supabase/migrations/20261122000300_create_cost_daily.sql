-- purpose: one row per (provider, host, day) with cost and tokens; upserted, so a re-sync
-- replaces a day and never duplicates it.
-- writer: service_role. reader: costs_reader. anon and authenticated: nothing.

create table if not exists public.cost_daily (
  provider text not null,
  host text not null default '',
  date date not null,
  source text not null check (source in ('api', 'admin_api', 'local_session')),
  cost_usd numeric(12, 6),
  input_tokens bigint not null default 0,
  output_tokens bigint not null default 0,
  cache_read_tokens bigint not null default 0,
  cache_write_tokens bigint not null default 0,
  total_tokens bigint not null default 0,
  updated_at timestamptz not null default now(),
  primary key (provider, host, date)
);

comment on table public.cost_daily is
  'Cost and tokens per provider, host and calendar day. cost_usd is null when unpriced.';

-- the timeline reads a date range across providers.
create index if not exists cost_daily_date_idx on public.cost_daily (date);

alter table public.cost_daily enable row level security;

revoke all on table public.cost_daily from public, anon, authenticated;
grant select, insert, update on table public.cost_daily to service_role;
grant select on table public.cost_daily to costs_reader;

create policy "service_role can read daily costs" on public.cost_daily
  for select to service_role using (true);
create policy "service_role can insert daily costs" on public.cost_daily
  for insert to service_role with check (true);
create policy "service_role can update daily costs" on public.cost_daily
  for update to service_role using (true) with check (true);
create policy "costs_reader can read daily costs" on public.cost_daily
  for select to costs_reader using (true);
