-- purpose: the sync log grows by every provider on every run, for good; its two reads walk
-- indexes instead of sorting all of it: each provider's newest row (one short descent per
-- provider, as usage_latest does for snapshots) and the newest page of the log.

create index if not exists cost_sync_log_provider_finished_idx
  on public.cost_sync_log (provider, finished_at desc);

-- The log page's order, id breaking ties; it replaces the index on started_at alone.
create index if not exists cost_sync_log_started_id_idx
  on public.cost_sync_log (started_at desc, id desc);
drop index if exists public.cost_sync_log_started_idx;
