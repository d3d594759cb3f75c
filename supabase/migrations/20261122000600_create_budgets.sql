-- purpose: budget rules. a rule has a scope (total, or one provider, agent or model), a period,
-- a threshold and a warning ratio; kind 'low_balance' warns when a balance falls under it.
-- writer: service_role. reader: costs_reader. anon and authenticated: nothing.

create table if not exists public.budgets (
  id bigserial primary key,
  name text not null default '',
  kind text not null default 'spend' check (kind in ('spend', 'low_balance')),
  scope_kind text not null default 'total'
    check (scope_kind in ('total', 'provider', 'agent', 'model')),
  scope_value text not null default '',
  period text not null default 'month' check (period in ('day', 'week', 'month')),
  threshold_usd numeric(12, 6) not null check (threshold_usd >= 0),
  warn_ratio numeric(4, 3) not null default 0.8 check (warn_ratio > 0 and warn_ratio <= 1),
  channels jsonb not null default '[]'::jsonb,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  check ((scope_kind = 'total') = (scope_value = ''))
);

comment on table public.budgets is
  'Budget rules. channels lists where alerts go; webhook urls are secrets to the reader.';

alter table public.budgets enable row level security;

revoke all on table public.budgets from public, anon, authenticated;
grant select, insert, update, delete on table public.budgets to service_role;
grant usage, select on sequence public.budgets_id_seq to service_role;
-- the reader sees the rules but not the channels, which can hold webhook secrets.
grant select (id, name, kind, scope_kind, scope_value, period, threshold_usd, warn_ratio,
              enabled, created_at)
  on table public.budgets to costs_reader;

create policy "service_role can read budgets" on public.budgets
  for select to service_role using (true);
create policy "service_role can add budgets" on public.budgets
  for insert to service_role with check (true);
create policy "service_role can change budgets" on public.budgets
  for update to service_role using (true) with check (true);
create policy "service_role can remove budgets" on public.budgets
  for delete to service_role using (true);
create policy "costs_reader can read budgets" on public.budgets
  for select to costs_reader using (true);
