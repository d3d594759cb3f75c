-- purpose: spend per provider, host and hour for the last days, so an hour far above its
-- recent median shows as a spike. Local sources fill it from per-call timestamps; upserted, so a
-- re-sync replaces an hour and never duplicates it.
-- writer: service_role. reader: costs_reader. anon and authenticated: nothing.

create table if not exists public.cost_hourly (
  provider text not null,
  host text not null default '',
  hour timestamptz not null,
  source text not null check (source in ('api', 'admin_api', 'local_session')),
  cost_usd numeric(12, 6),
  calls bigint not null default 0,
  updated_at timestamptz not null default now(),
  primary key (provider, host, hour)
);

comment on table public.cost_hourly is
  'Spend per provider, host and hour (recent days). cost_usd holds what could be priced.';

create index if not exists cost_hourly_hour_idx on public.cost_hourly (hour);

alter table public.cost_hourly enable row level security;

revoke all on table public.cost_hourly from public, anon, authenticated;
grant select, insert, update on table public.cost_hourly to service_role;
grant select on table public.cost_hourly to costs_reader;

create policy "service_role can read hourly costs" on public.cost_hourly
  for select to service_role using (true);
create policy "service_role can insert hourly costs" on public.cost_hourly
  for insert to service_role with check (true);
create policy "service_role can update hourly costs" on public.cost_hourly
  for update to service_role using (true) with check (true);
create policy "costs_reader can read hourly costs" on public.cost_hourly
  for select to costs_reader using (true);
