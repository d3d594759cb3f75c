-- purpose: which channels took each alert, so a retry after a failed channel reaches only the
-- channels that missed it. channel ids are hashes: they reveal no webhook url or bot token.

alter table public.alert_events
  add column if not exists delivered_channels text[] not null default '{}';
