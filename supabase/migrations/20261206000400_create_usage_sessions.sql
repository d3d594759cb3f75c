-- purpose: one row per agent session read from local logs (Claude Code, Codex, OpenClaw, Gemini
-- CLI), so the page can go from an agent to its sessions and from a session to its transcript:
-- its id, the file it was read from, when it ran, its models, tokens, calls and cost. Upserted
-- on (provider, host, session): a re-sync updates a session and never duplicates it.
-- cost_usd is null when any call was unpriced (never 0); priced_cost_usd holds what could be.
-- writer: service_role. reader: costs_reader. anon and authenticated: nothing.

create table if not exists public.usage_sessions (
  provider text not null,
  host text not null default '',
  session text not null,
  agent text not null default '',
  project text not null default '',
  transcript text not null default '',
  models text[] not null default '{}',
  first_at timestamptz not null,
  last_at timestamptz not null,
  input_tokens bigint not null default 0,
  output_tokens bigint not null default 0,
  cache_write_tokens bigint not null default 0,
  cache_read_tokens bigint not null default 0,
  reasoning_tokens bigint not null default 0,
  calls bigint not null default 0,
  cost_usd numeric(12, 6),
  priced_cost_usd numeric(12, 6) not null default 0,
  updated_at timestamptz not null default now(),
  primary key (provider, host, session)
);

comment on table public.usage_sessions is
  'Per agent session from local logs: transcript path, first and last call, models, tokens, cost.';

create index if not exists usage_sessions_last_at_idx on public.usage_sessions (last_at);
create index if not exists usage_sessions_agent_idx on public.usage_sessions (agent, last_at);

alter table public.usage_sessions enable row level security;

revoke all on table public.usage_sessions from public, anon, authenticated;
grant select, insert, update on table public.usage_sessions to service_role;
grant select on table public.usage_sessions to costs_reader;

create policy "service_role can read sessions" on public.usage_sessions
  for select to service_role using (true);
create policy "service_role can insert sessions" on public.usage_sessions
  for insert to service_role with check (true);
create policy "service_role can update sessions" on public.usage_sessions
  for update to service_role using (true) with check (true);
create policy "costs_reader can read sessions" on public.usage_sessions
  for select to costs_reader using (true);
