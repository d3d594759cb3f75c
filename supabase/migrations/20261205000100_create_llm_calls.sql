-- purpose: LLM calls that agents report as they happen (POST /api/costs/llm), one row per call,
-- kept by the caller's id so a resent call is never counted twice. Their daily sums go into
-- usage_daily and cost_daily under the provider 'agent_reports', an estimate like local logs.
-- cost_usd is the caller's figure, else the price table's, else null (unpriced, never 0).
-- writer: service_role. reader: costs_reader. anon and authenticated: nothing.

create table if not exists public.llm_calls (
  call_id text primary key check (length(call_id) between 1 and 200),
  occurred_at timestamptz not null,
  date date not null,
  agent text not null default '',
  session text not null default '',
  task text not null default '',
  model text not null check (length(model) between 1 and 200),
  vendor text not null default '',
  input_tokens bigint not null default 0 check (input_tokens >= 0),
  output_tokens bigint not null default 0 check (output_tokens >= 0),
  cache_write_tokens bigint not null default 0 check (cache_write_tokens >= 0),
  cache_read_tokens bigint not null default 0 check (cache_read_tokens >= 0),
  reasoning_tokens bigint not null default 0 check (reasoning_tokens >= 0),
  cost_usd numeric(12, 6),
  reported_cost_usd numeric(12, 6),
  received_at timestamptz not null default now()
);

comment on table public.llm_calls is
  'LLM calls reported by agents over the API, idempotent on the caller''s call_id.';

create index if not exists llm_calls_occurred_at_idx on public.llm_calls (occurred_at);

alter table public.llm_calls enable row level security;

revoke all on table public.llm_calls from public, anon, authenticated;
grant select, insert on table public.llm_calls to service_role;
grant select on table public.llm_calls to costs_reader;

create policy "service_role can read reported calls" on public.llm_calls
  for select to service_role using (true);
create policy "service_role can insert reported calls" on public.llm_calls
  for insert to service_role with check (true);
create policy "costs_reader can read reported calls" on public.llm_calls
  for select to costs_reader using (true);
