-- purpose: /api/costs/latest shows each (provider, host)'s newest sync of the last 8 days. This
-- index lets it descend once per pair (a skip scan, as usage_latest does for snapshots)
-- instead of sorting 8 days of the log on every request.

create index if not exists cost_sync_log_pair_started_idx
  on public.cost_sync_log (provider, host, started_at desc, id desc);
