-- purpose: the alerts fired: one per (budget, period, level), so an alert fires once and again
-- only at the next level. delivered_at stays null until a channel accepted it.
-- writer: service_role. reader: costs_reader. anon and authenticated: nothing.

create table if not exists public.alert_events (
  id bigserial primary key,
  budget_id bigint not null references public.budgets (id) on delete cascade,
  period_start date not null,
  level text not null check (level in ('warn', 'exceeded')),
  spent_usd numeric(12, 6) not null,
  threshold_usd numeric(12, 6) not null,
  fired_at timestamptz not null default now(),
  delivered_at timestamptz,
  delivery_error text,
  unique (budget_id, period_start, level)
);

comment on table public.alert_events is 'Alerts fired: one per budget, period and level.';

create index if not exists alert_events_fired_idx on public.alert_events (fired_at desc);

alter table public.alert_events enable row level security;

revoke all on table public.alert_events from public, anon, authenticated;
grant select, insert, update on table public.alert_events to service_role;
grant usage, select on sequence public.alert_events_id_seq to service_role;
grant select on table public.alert_events to costs_reader;

create policy "service_role can read alerts" on public.alert_events
  for select to service_role using (true);
create policy "service_role can record alerts" on public.alert_events
  for insert to service_role with check (true);
create policy "service_role can mark alerts delivered" on public.alert_events
  for update to service_role using (true) with check (true);
create policy "costs_reader can read alerts" on public.alert_events
  for select to costs_reader using (true);
