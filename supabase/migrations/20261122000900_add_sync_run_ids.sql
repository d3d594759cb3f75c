-- purpose: make a sync run's rows idempotent. a run is written to the spool before it is sent,
-- and resent after a crash or an outage; run_id lets a resend add nothing that already landed.
-- daily rows are upserts already; snapshots and sync-log rows are appends, so they get the key.

alter table public.usage_snapshots add column if not exists run_id text;
alter table public.cost_sync_log add column if not exists run_id text;

create unique index if not exists usage_snapshots_run_idx
  on public.usage_snapshots (run_id, provider, host) where run_id is not null;
create unique index if not exists cost_sync_log_run_idx
  on public.cost_sync_log (run_id, provider, host) where run_id is not null;

comment on column public.usage_snapshots.run_id is 'The sync run that wrote the row; a resend of the run adds nothing.';
comment on column public.cost_sync_log.run_id is 'The sync run that wrote the row; a resend of the run adds nothing.';
