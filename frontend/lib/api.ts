// The costs-server API as the page uses it: types for each answer and one fetch helper.
// Money arrives as integer micro-dollars; null means unpriced, never $0.

export type Freshness = 'fresh' | 'stale' | 'dead' | 'never';
export type Basis = 'billed' | 'estimated' | 'mixed' | 'none';

export interface Tokens {
  input: number;
  output: number;
  cache_read: number;
  cache_write: number;
  total?: number;
}

export interface LatestProvider {
  provider: string;
  label: string;
  source: 'api' | 'admin_api' | 'local_session';
  host: string;
  fetched_at: string | null; // null: no snapshot yet, only a failed sync
  age_seconds: number | null;
  expected_interval_seconds: number;
  freshness: Freshness;
  last_sync: LastSync | null;
  sync_failed: boolean;
  total_cost_micro_usd: number | null;
  balance_micro_usd: number | null;
  credit_limit_micro_usd: number | null;
  currency: string;
  tokens: Tokens;
  units: Record<string, unknown> | null;
}

export interface Period {
  from: string;
  to: string;
  total_micro_usd: number;
  billed_micro_usd: number;
  estimated_micro_usd: number;
  basis: Basis;
  unpriced_rows: number;
}

export interface Budget {
  id: number;
  name: string;
  kind: 'spend' | 'low_balance';
  scope: string;
  period: 'day' | 'week' | 'month';
  threshold_micro_usd: number;
  warn_ratio: number;
  from?: string;  // the period's first day (spend rules)
  spent_micro_usd?: number;
  used_ratio?: number | null;
  level?: 'ok' | 'warn' | 'exceeded';
}

/** A flat-fee plan covering a provider's usage: that usage is API-equivalent, not spend. */
export interface Plan {
  provider: string;
  label: string;
  plan: string;
  monthly_fee_micro_usd: number|null;
  counts_in_spend: boolean;
  month_api_equivalent_micro_usd: number;
}

export interface Summary {
  generated_at: string;
  time_zone: string;
  today: string;
  periods: Record<'today' | 'yesterday' | 'week' | 'month' | 'all_time', Period>;
  change_vs_yesterday: { micro_usd: number; ratio: number | null };
  forecast: {
    month_to_date_micro_usd: number;
    daily_rate_micro_usd: number;
    days_left: number;
    projected_month_end_micro_usd: number;
    basis: Basis;
    budget_micro_usd: number | null;
    projected_budget_ratio: number | null;
  };
  budgets: Budget[];
  spikes: { date: string; cost_micro_usd: number; median_micro_usd: number }[];
  hour_spikes: { hour: string; cost_micro_usd: number; median_micro_usd: number }[];
  subscriptions?: Plan[];
}

export interface AlertRow {
  id: number;
  budget_id: number;
  budget: string;
  scope: string;
  period: 'day'|'week'|'month';
  period_start: string;
  level: 'warn'|'exceeded';
  spent_micro_usd: number;
  threshold_micro_usd: number;
  fired_at: string;
  delivered_at: string|null;
  delivered_channels: string[];
  delivery_error: string|null;
}

/** A rule as POST and PUT /api/budgets take it. */
export interface BudgetBody {
  name: string;
  kind: 'spend'|'low_balance';
  scope: string;
  period: 'day'|'week'|'month';
  threshold_usd: string;  // the typed text, never through a float
  warn_ratio: string;
}

export interface BurnProvider {
  provider: string;
  label: string;
  basis: Basis;
  per_hour_micro_usd: number;
  per_day_micro_usd: number;
  per_week_micro_usd: number;
  today_micro_usd: number;
  balance_micro_usd: number | null;
  currency: string;
  runway_days: number | null;
  runway_until: string | null;
  low_balance: boolean | null;
}

export interface DailyRow {
  date: string;
  key: string;
  cost_micro_usd: number | null;
  tokens: Tokens;
}

export interface BreakdownRow {
  key: string;
  label?: string;  // by provider: its name
  cost_micro_usd: number | null;
  priced_cost_micro_usd: number | null;
  calls: number;
  tokens: Tokens;
}

/** One agent session from local logs, whole, with where its transcript is. */
export interface SessionRow {
  provider: string;
  host: string;
  session: string;
  agent: string;
  project: string;
  transcript: string;  // the file it was read from; "" when not known
  models: string[];
  first_at: string;
  last_at: string;
  tokens: Tokens;
  calls: number;
  cost_micro_usd: number|null;
  priced_cost_micro_usd: number;
}

export interface ReconcileFigures {
  billed_micro_usd: number | null;
  estimated_micro_usd: number;
  difference_micro_usd: number | null;
  explained_ratio: number | null;
}

export interface Reconcile {
  from: string;
  to: string;
  pairs: (ReconcileFigures & {
    vendor: string;
    label: string;
    billed_provider: string;
    unbilled_estimated_micro_usd: number; // logs on days not billed yet: not in the comparison
    days: (ReconcileFigures & { date: string })[];
  })[];
}

export interface LastSync {
  status: string;
  finished_at: string;
  error: string;
}

/** A provider the server knows, with its newest sync-log row (also "not configured" ones). */
export interface ProviderInfo {
  provider: string;
  label: string;
  source: string;
  collector: boolean;
  status: 'configured'|'not_configured';
  detail: string;  // which variable or file, or what to set
  hint: string|null;
  last_sync: LastSync | null;
}

export interface AzureCosts {
  from: string;
  to: string;
  total_micro_usd: number|null;
  by_service: {service: string; cost_micro_usd: number | null}[];
  by_resource_group: {resource_group: string; cost_micro_usd: number | null}[];
  rows: {date: string; service: string; resource_group: string; cost_micro_usd: number | null}[];
}

export interface SyncRow {
  started_at: string;
  finished_at: string;
  provider: string;
  host: string;
  status: string;
  rows_written: number;
  error: string;
}

/** Why a load failed, in terms the page can act on. */
export class api_error extends Error {
  constructor(
    message: string,
    readonly kind: 'unreachable' | 'unauthorized' | 'server',
  ) {
    super(message);
  }
}

// Same origin unless the build names the API's URL (a page on Vercel, the API elsewhere).
export const api_base = (process.env.NEXT_PUBLIC_COSTS_API_URL ?? '').replace(/\/$/, '');

const token_key = 'costs.api_token';
const admin_key = 'costs.admin_token';

type Storage = 'localStorage'|'sessionStorage';

function stored(where: Storage, key: string): string {
  try {
    return window[where].getItem(key) ?? '';
  } catch {
    return '';
  }
}

function store(where: Storage, key: string, value: string): void {
  try {
    if (value)
      window[where].setItem(key, value);
    else
      window[where].removeItem(key);
  } catch {
    // storage off (private mode): the token lasts this page view only
  }
}

/** The read token: kept in this browser. */
export const saved_token = (): string => stored('localStorage', token_key);
export const save_token = (token: string): void => store('localStorage', token_key, token);
/** The admin token for writes: this tab's session only, never kept on disk. */
export const saved_admin_token = (): string => stored('sessionStorage', admin_key);
export const save_admin_token = (token: string): void => store('sessionStorage', admin_key, token);

// A browser tells a server that is down from one that refuses this page's origin (CORS) by
// nothing, so an API on another origin is told both ways.
function unreachable(): string {
  const here = window.location.origin;
  if (!api_base || new URL(api_base, here).origin === here)
    return `The API at ${api_base || here} cannot be reached.`;
  return `The API at ${api_base} cannot be reached, or does not let this page read it: start ` +
      `costs-server with --cors-origin ${here} (or add ${here} to COSTS_CORS_ORIGINS).`;
}

// One API request; an answer that is not 2xx becomes the api_error the page acts on.
async function request(path: string, token: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(api_base + path, {
      ...init,
      headers: {
        ...(token ? {Authorization: `Bearer ${token}`} : {}),
        ...(init.body ? {'Content-Type': 'application/json'} : {}),
      },
      cache: 'no-cache',
    });
  } catch {
    throw new api_error(unreachable(), 'unreachable');
  }
  if (response.status === 401) {
    throw new api_error(
        init.method ? 'The admin token was refused.' : 'The API wants a token.', 'unauthorized');
  }
  if (!response.ok) {
    let message = `The API answered ${response.status}.`;
    try {
      const body = (await response.json()) as { error?: { message?: string } };
      if (body.error?.message) message = `The API answered ${response.status}: ${body.error.message}.`;
    } catch {
      // not JSON: keep the status line
    }
    throw new api_error(message, response.status >= 500 ? 'server' : 'unreachable');
  }
  return response;
}

export async function get_json<T>(path: string, token: string): Promise<T> {
  return (await (await request(path, token)).json()) as T;
}

/** A write (POST, PUT, DELETE) with the admin token; its answer, or the API's message thrown. */
export async function send_json<T>(
    method: string, path: string, admin_token: string, body?: unknown): Promise<T> {
  const init: RequestInit = {method};
  if (body !== undefined) init.body = JSON.stringify(body);
  return (await (await request(path, admin_token, init)).json()) as T;
}

/** Saves a route's table as CSV (the API's format=csv) under `filename`. */
export async function download_csv(path: string, token: string, filename: string): Promise<void> {
  const response = await request(`${path}${path.includes('?') ? '&' : '?'}format=csv`, token);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
