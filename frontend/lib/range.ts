// The date range every section of the page follows, kept in the URL (?range=7d, or
// ?range=custom&from=YYYY-MM-DD&to=YYYY-MM-DD) so a view can be shared. Days are the browser's
// zone's days, as the API is asked for them (tz=).

export const range_keys = ['today', '7d', '30d', 'month', 'last-month', 'custom'] as const;
export type RangeKey = (typeof range_keys)[number];

export interface DayRange {
  key: RangeKey;
  from: string;  // YYYY-MM-DD, inclusive
  to: string;    // YYYY-MM-DD, inclusive
}

export const range_labels: Record<RangeKey, string> = {
  today: 'Today',
  '7d': '7 d',
  '30d': '30 d',
  month: 'This month',
  'last-month': 'Last month',
  custom: 'Custom',
};

const day_ms = 86_400_000;
const iso_day = /^\d{4}-\d{2}-\d{2}$/;

export function add_days(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * day_ms).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function days_in(r: {from: string; to: string}): number {
  return Math.round(
             (Date.parse(`${r.to}T00:00:00Z`) - Date.parse(`${r.from}T00:00:00Z`)) / day_ms) +
      1;
}

/** The browser's IANA zone (UTC when it cannot say): the days the API is asked for. */
export function browser_zone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Today in `zone`, as the server counts it for tz=zone. */
export function today_in(zone: string, now = new Date()): string {
  return new Intl
      .DateTimeFormat('en-CA', {timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit'})
      .format(now);
}

/** The range a key means on `today`; custom needs its days. */
export function range_of(key: RangeKey, today: string, from = '', to = ''): DayRange {
  switch (key) {
    case 'today': return {key, from: today, to: today};
    case '7d': return {key, from: add_days(today, -6), to: today};
    case 'month': return {key, from: `${today.slice(0, 8)}01`, to: today};
    case 'last-month': {
      const last = add_days(`${today.slice(0, 8)}01`, -1);
      return {key, from: `${last.slice(0, 8)}01`, to: last};
    }
    case 'custom':
      if (iso_day.test(from) && iso_day.test(to) && from <= to && days_in({from, to}) <= 3660)
        return {key, from, to};
      return range_of('30d', today);
    default: return {key: '30d', from: add_days(today, -29), to: today};
  }
}

/** The range the URL asks for (30 days when it asks for none, or for one that is not one). */
export function range_from_url(search: string, today: string): DayRange {
  const q = new URLSearchParams(search);
  const key = q.get('range') ?? (q.get('from') && q.get('to') ? 'custom' : '30d');
  const known = (range_keys as readonly string[]).includes(key) ? (key as RangeKey) : '30d';
  return range_of(known, today, q.get('from') ?? '', q.get('to') ?? '');
}

/** The URL's search part for a range, other parameters kept. */
export function range_to_search(r: DayRange, search: string): string {
  const q = new URLSearchParams(search);
  q.delete('from');
  q.delete('to');
  if (r.key === '30d')
    q.delete('range');
  else
    q.set('range', r.key);
  if (r.key === 'custom') {
    q.set('from', r.from);
    q.set('to', r.to);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** "Dec 1 – Dec 6, 2026", for headings. */
export function range_text(r: DayRange): string {
  const fmt = (d: string, year: boolean) => new Date(`${d}T00:00:00Z`).toLocaleDateString('en-US', {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    ...(year ? {year: 'numeric'} : {}),
  });
  if (r.from === r.to) return fmt(r.to, true);
  return `${fmt(r.from, r.from.slice(0, 4) !== r.to.slice(0, 4))} – ${fmt(r.to, true)}`;
}

/** "last 7 days", "this month", or the days: for the notes beside figures. */
export function range_phrase(r: DayRange): string {
  switch (r.key) {
    case 'today': return 'today';
    case '7d': return 'last 7 days';
    case '30d': return 'last 30 days';
    case 'month': return 'this month';
    case 'last-month': return 'last month';
    default: return range_text(r);
  }
}
