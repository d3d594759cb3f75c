-- purpose: one row per provider per sync run: what happened, how many rows, which error.
-- writer: service_role (append). reader: costs_reader. anon and authenticated: nothing.

create table if not exists public.cost_sync_log (
  id bigserial primary key,
  started_at timestamptz not null,
  finished_at timestamptz not null,
  provider text not null,
  host text not null default '',
  status text not null,
  rows_written bigint not null default 0,
  error text
);

comment on table public.cost_sync_log is
  'One row per provider per sync run. error is one line with no secrets.';

create index if not exists cost_sync_log_started_idx on public.cost_sync_log (started_at desc);

alter table public.cost_sync_log enable row level security;

revoke all on table public.cost_sync_log from public, anon, authenticated;
grant select, insert on table public.cost_sync_log to service_role;
grant usage, select on sequence public.cost_sync_log_id_seq to service_role;
grant select on table public.cost_sync_log to costs_reader;

create policy "service_role can read the sync log" on public.cost_sync_log
  for select to service_role using (true);
create policy "service_role can append to the sync log" on public.cost_sync_log
  for insert to service_role with check (true);
create policy "costs_reader can read the sync log" on public.cost_sync_log
  for select to costs_reader using (true);
