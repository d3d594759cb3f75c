// Formatting at the edge: micro-dollars become text only here.

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const usd_small = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 4,
  maximumFractionDigits: 4,
});
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** "$12.35"; amounts under a cent keep four decimals ("$0.0042") so they never read as $0. */
export function money(micro: number | null | undefined, currency = 'USD'): string {
  if (micro === null || micro === undefined) return 'unpriced';
  if (micro !== 0 && Math.abs(micro) < 10_000 && currency === 'USD') return usd_small.format(micro / 1_000_000);
  // Cents from the integer, half away from zero: the rounding costs-sync uses too, so a balance
  // reads the same on the page, in `costs-sync burn` and in a chat reply.
  const cents = Math.sign(micro) * Math.floor((Math.abs(micro) + 5_000) / 10_000);
  if (currency !== 'USD') {
    return `${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
  }
  return usd.format(cents / 100);
}

export function count(n: number): string {
  return compact.format(n);
}

export function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

/** "3 h ago", "5 min ago", "2 d ago". */
export function ago(seconds: number): string {
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400 * 2) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

/** The exact instant, for a hover title: "2026-11-22 14:05:09 UTC". */
export function exact_time(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC');
}

/** What went wrong in a sync, in a few words: "key rejected, check OPENROUTER_API_KEY". */
export function sync_problem(status: string, error: string): string {
  const what: Record<string, string> = {
    auth_failed: 'key rejected',
    http_error: 'the provider answered with an error',
    parse_error: 'the answer could not be read',
    partial: 'only partly collected',
    failed: 'failed',
  };
  const check = /check ([A-Z][A-Z0-9_]+)/.exec(error);
  return `${what[status] ?? status}${check ? `, check ${check[1]}` : ''}`;
}
