-- purpose: the flat-fee plans that cover an agent's local-log usage (e.g. Claude Max for Claude
-- Code, ChatGPT Pro for Codex). Their usage priced at list prices is what the API would have
-- cost ("API-equivalent"), not money spent: totals, forecasts and total budgets leave such a
-- provider out unless counts_in_spend is set. One row per provider key.
-- writer: service_role. reader: costs_reader. anon and authenticated: nothing.

create table if not exists public.subscriptions (
  provider text primary key,
  plan text not null check (length(plan) between 1 and 100),
  monthly_fee_usd numeric(12, 2) check (monthly_fee_usd >= 0),
  counts_in_spend boolean not null default false,
  updated_at timestamptz not null default now()
);

comment on table public.subscriptions is
  'Flat-fee plans covering a provider''s usage: shown as API-equivalent, out of spend unless opted in.';

alter table public.subscriptions enable row level security;

revoke all on table public.subscriptions from public, anon, authenticated;
grant select, insert, update, delete on table public.subscriptions to service_role;
grant select on table public.subscriptions to costs_reader;

create policy "service_role can read subscriptions" on public.subscriptions
  for select to service_role using (true);
create policy "service_role can insert subscriptions" on public.subscriptions
  for insert to service_role with check (true);
create policy "service_role can update subscriptions" on public.subscriptions
  for update to service_role using (true) with check (true);
create policy "service_role can delete subscriptions" on public.subscriptions
  for delete to service_role using (true);
create policy "costs_reader can read subscriptions" on public.subscriptions
  for select to costs_reader using (true);
