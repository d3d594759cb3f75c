-- purpose: one provider's state at one fetch; append-only.
-- writer: service_role (insert only). reader: costs_reader. anon and authenticated: nothing.

create table if not exists public.usage_snapshots (
  id bigserial primary key,
  provider text not null,
  source text not null check (source in ('api', 'admin_api', 'local_session')),
  host text not null default '',
  fetched_at timestamptz not null default now(),
  total_cost_usd numeric(12, 6),
  input_tokens bigint not null default 0,
  output_tokens bigint not null default 0,
  cache_read_tokens bigint not null default 0,
  cache_write_tokens bigint not null default 0,
  total_tokens bigint not null default 0,
  balance_usd numeric(12, 6),
  credit_limit_usd numeric(12, 6),
  currency text not null default 'USD',
  units jsonb not null default '{}'::jsonb,
  model_breakdown jsonb not null default '[]'::jsonb,
  raw_response jsonb not null default '{}'::jsonb
);

comment on table public.usage_snapshots is
  'One provider''s state at one fetch; append-only. Secrets are removed from raw_response.';

-- usage_latest walks this index: one short descent per (provider, host).
create index if not exists usage_snapshots_latest_idx
  on public.usage_snapshots (provider, host, fetched_at desc, id desc);

alter table public.usage_snapshots enable row level security;

revoke all on table public.usage_snapshots from public, anon, authenticated;
grant select, insert on table public.usage_snapshots to service_role;
grant usage, select on sequence public.usage_snapshots_id_seq to service_role;
grant select on table public.usage_snapshots to costs_reader;

create policy "service_role can read snapshots" on public.usage_snapshots
  for select to service_role using (true);
create policy "service_role can append snapshots" on public.usage_snapshots
  for insert to service_role with check (true);
create policy "costs_reader can read snapshots" on public.usage_snapshots
  for select to costs_reader using (true);
