-- purpose: retention of snapshots' raw responses. A snapshot's figures are kept for good; the
-- provider's raw answer beside it only for history_retention_days (default 90), after which
-- the sync sets it to null, a bounded batch at a time. Daily rows are never touched.
-- caller: service_role (the sync), through public.prune_raw_responses only.

alter table public.usage_snapshots alter column raw_response drop not null;

comment on column public.usage_snapshots.raw_response is
  'The provider''s answer, secrets removed; null once older than the retention period.';

-- Holds only the snapshots that still have a raw response: each batch is a short walk from
-- the oldest, and the index shrinks as they are pruned, however large the table grows.
create index if not exists usage_snapshots_raw_kept_idx
  on public.usage_snapshots (fetched_at)
  where raw_response is not null;

-- Nulls the raw responses of at most `batch` (1 to 10000) snapshots fetched before `before`,
-- oldest first, skipping rows another prune holds. Returns how many it nulled: fewer than
-- `batch` means none are left. Security definer: the sync may prune, never update otherwise.
create or replace function public.prune_raw_responses(before timestamptz, batch integer)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  pruned integer;
begin
  with doomed as (
    select s.id
    from public.usage_snapshots s
    where s.raw_response is not null and s.fetched_at < before
    order by s.fetched_at
    limit least(greatest(batch, 1), 10000)
    for update skip locked
  )
  update public.usage_snapshots s
  set raw_response = null
  from doomed
  where s.id = doomed.id;
  get diagnostics pruned = row_count;
  return pruned;
end;
$$;

revoke all on function public.prune_raw_responses(timestamptz, integer) from public, anon, authenticated;
grant execute on function public.prune_raw_responses(timestamptz, integer) to service_role;
