-- purpose: make a sync run's rows idempotent. a run is written to the spool before it is sent,
-- and resent after a crash or an outage; run_id lets a resend add nothing that already landed.
-- daily rows are upserts already; snapshots and sync-log rows are appends, so they get the key.

alter table public.usage_snapshots add column if not exists run_id text;
alter table public.cost_sync_log add column if not exists run_id text;

-- not partial: rows without a run id never collide (nulls are distinct), and a plain index is
-- what `on conflict (run_id, provider, host)` matches, over SQL and over PostgREST alike.
create unique index if not exists usage_snapshots_run_idx
  on public.usage_snapshots (run_id, provider, host);
create unique index if not exists cost_sync_log_run_idx
  on public.cost_sync_log (run_id, provider, host);

comment on column public.usage_snapshots.run_id is 'The sync run that wrote the row; a resend of the run adds nothing.';
comment on column public.cost_sync_log.run_id is 'The sync run that wrote the row; a resend of the run adds nothing.';
