'use client';
// The /costs page: loads every answer it needs, refreshes each minute, and shows one of four
// states: loading, needs a token, API error, or the dashboard (with an empty state when no sync
// has written anything yet).
import { useCallback, useEffect, useState } from 'react';
import {
  api_error,
  get_json,
  save_token,
  saved_token,
  type BurnProvider,
  type DailyRow,
  type LatestProvider,
  type ProviderInfo,
  type Reconcile,
  type Summary,
  type SyncRow,
} from '@/lib/api';
import { ago, exact_time } from '@/lib/format';
import { filter_query, filter_slug, filters_from_url, filters_to_search, has_filters, type Filters } from '@/lib/filters';
import { browser_zone, range_from_url, range_phrase, range_to_search, today_in, type DayRange } from '@/lib/range';
import FilterBar from './filter_bar';
import RangePicker from './range_picker';
import SyncNow from './sync_now';
import Azure from './azure';
import Setup from './setup';
import Overview from './overview';
import ProviderCards from './provider_cards';
import DailyChart from './daily_chart';
import Breakdowns from './breakdowns';
import Budgets from './budgets';
import RunwayTable from './runway';
import SyncLog from './sync_log';
import Reconciliation from './reconcile';

export interface Snapshot {
  summary: Summary;
  latest: LatestProvider[];
  burn: BurnProvider[];
  daily: DailyRow[];
  filtered_daily: DailyRow[]; // the chart's days: `daily` under the filters
  syncs: SyncRow[];
  reconcile: Reconcile;
  providers: ProviderInfo[];
  range: DayRange;
  range_query: string; // from=&to=&tz= as the range's answers were asked for
  filters: Filters;
  chart_query: string; // range_query and the filters
  loaded_at: number;
}

type State =
  | { kind: 'loading' }
  | { kind: 'token'; message: string }
  | { kind: 'error'; message: string; last?: Snapshot }
  | { kind: 'ready'; data: Snapshot };

const refresh_ms = 60_000;

// The range in the URL, on today in the browser's zone (the days the API is asked for).
function url_range(): DayRange {
  return range_from_url(window.location.search, today_in(browser_zone()));
}

async function load(token: string, range: DayRange, filters: Filters): Promise<Snapshot> {
  const tz = encodeURIComponent(browser_zone());
  const days = `from=${range.from}&to=${range.to}&tz=${tz}`;
  const chart_query = days + filter_query(filters);
  // The cards keep every provider's spend; the chart follows the filters.
  const filtered = has_filters(filters)
    ? get_json<{ rows: DailyRow[] }>(`/api/costs/daily?${chart_query}`, token).then((r) => r.rows)
    : null;
  const [summary, latest, burn, daily, syncs, reconcile, providers, filtered_daily] = await Promise.all([
    get_json<Summary>(`/api/costs/summary?tz=${tz}`, token),
    get_json<{ providers: LatestProvider[] }>('/api/costs/latest', token),
    get_json<{ providers: BurnProvider[] }>(`/api/costs/burn?tz=${tz}`, token),
    get_json<{ rows: DailyRow[] }>(`/api/costs/daily?${days}`, token),
    get_json<{ rows: SyncRow[] }>('/api/sync/log?limit=10', token),
    get_json<Reconcile>(`/api/costs/reconcile?${days}`, token),
    get_json<{ providers: ProviderInfo[] }>('/api/providers', token),
    filtered,
  ]);
  return {
    summary,
    latest: latest.providers,
    burn: burn.providers,
    daily: daily.rows,
    filtered_daily: filtered_daily ?? daily.rows,
    syncs: syncs.rows,
    reconcile,
    providers: providers.providers,
    range,
    range_query: days,
    filters,
    chart_query,
    loaded_at: Date.now(),
  };
}

export default function Dashboard() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [token, setToken] = useState<string | null>(null);
  // A load in flight while figures are on screen: the figures stay, marked as being refreshed.
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async (with_token: string) => {
    setBusy(true);
    try {
      const data = await load(with_token, url_range(), filters_from_url(window.location.search));
      setState({ kind: 'ready', data });
    } catch (e) {
      if (e instanceof api_error && e.kind === 'unauthorized') {
        setState({ kind: 'token', message: with_token ? 'That token was refused.' : '' });
        return;
      }
      const message = e instanceof Error ? e.message : String(e);
      setState((previous) => ({
        kind: 'error',
        message,
        last: previous.kind === 'ready' ? previous.data : previous.kind === 'error' ? previous.last : undefined,
      }));
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    const t = saved_token();
    setToken(t);
    void refresh(t);
    // Back and forward move between ranges as between pages.
    const on_pop = () => void refresh(t);
    window.addEventListener('popstate', on_pop);
    return () => window.removeEventListener('popstate', on_pop);
  }, [refresh]);

  // A new range goes into the URL (to share it; Back returns to the last one), then loads.
  const choose = (r: DayRange) => {
    window.history.pushState(null, '', `${window.location.pathname}${range_to_search(r, window.location.search)}`);
    void refresh(token ?? '');
  };
  // Filters go into the URL the same way.
  const filter = (f: Filters) => {
    window.history.pushState(null, '', `${window.location.pathname}${filters_to_search(f, window.location.search)}`);
    void refresh(token ?? '');
  };

  useEffect(() => {
    if (token === null) return;
    const timer = window.setInterval(() => void refresh(token), refresh_ms);
    return () => window.clearInterval(timer);
  }, [refresh, token]);

  const retry = () => void refresh(token ?? '');

  return (
    <main className="page" aria-busy={state.kind === 'loading'}>
      <header className="masthead">
        <h1>AI spend</h1>
        <div className="masthead-side">
          {state.kind === 'ready' && (
            <span className="muted" data-testid="updated">
              Updated {ago(Math.round((Date.now() - state.data.loaded_at) / 1000))} · days in{' '}
              {state.data.summary.time_zone}
            </span>
          )}
          {busy && state.kind !== 'loading' && (
            <span className="muted" role="status" data-testid="refreshing">
              Refreshing…
            </span>
          )}
          <button type="button" onClick={retry} data-testid="refresh" disabled={busy} aria-busy={busy}>
            {busy && state.kind !== 'loading' ? 'Refreshing…' : 'Refresh'}
          </button>
          {state.kind === 'ready' && <SyncNow token={token ?? ''} reload={retry} />}
        </div>
      </header>

      {state.kind === 'loading' && (
        <p className="notice" role="status" data-testid="loading">
          Loading spend…
        </p>
      )}

      {state.kind === 'token' && (
        <TokenForm
          message={state.message}
          onSubmit={(t) => {
            save_token(t);
            setToken(t);
            setState({ kind: 'loading' });
            void refresh(t);
          }}
        />
      )}

      {state.kind === 'error' && (
        <div className="notice error" role="alert" data-testid="error">
          <strong>Can’t load spend.</strong> {state.message} Is <code>costs-server</code> running?{' '}
          <button type="button" onClick={retry}>
            Try again
          </button>
          {state.last && (
            <p className="muted" data-testid="stale-age" data-loaded-at={state.last.loaded_at}>
              The figures below are from the last successful load, {exact_time(new Date(state.last.loaded_at).toISOString())}{' '}
              ({ago(Math.round((Date.now() - state.last.loaded_at) / 1000))}): they may be out of date.
            </p>
          )}
        </div>
      )}

      {state.kind === 'ready' && (
        <Body data={state.data} token={token ?? ''} choose={choose} filter={filter} reload={retry} />
      )}
      {state.kind === 'error' && state.last && (
        <Body data={state.last} token={token ?? ''} choose={choose} filter={filter} reload={retry} />
      )}
    </main>
  );
}

function Body({
  data,
  token,
  choose,
  filter,
  reload,
}: {
  data: Snapshot;
  token: string;
  choose: (r: DayRange) => void;
  filter: (f: Filters) => void;
  reload: () => void;
}) {
  const labels = new Map([...data.providers, ...data.latest, ...data.burn].map((p) => [p.provider, p.label]));
  // A drill-down: one more filter, then the breakdown that shows what it holds.
  const drill = (key: keyof Filters, value: string) => {
    filter({ ...data.filters, [key]: value });
    document.getElementById('breakdown-title')?.scrollIntoView({ block: 'start' });
  };
  const empty =
    data.latest.length === 0 && data.daily.length === 0 && data.summary.periods.all_time.total_micro_usd === 0;
  // Source by source: what the last sync looked for, and what to set where it found nothing.
  const looked = data.providers.filter((p) => p.last_sync !== null);
  if (empty) {
    return (
      <section className="notice" data-testid="empty" aria-labelledby="empty-title">
        <h2 id="empty-title">No spend recorded yet</h2>
        <p>Run the first sync on the machine where your agents run:</p>
        <pre>
          <code>costs-sync db migrate{'\n'}costs-sync run</code>
        </pre>
        <p>
          It reads Claude Code, Codex, OpenClaw and Gemini CLI logs and every provider key it finds. Then{' '}
          <code>costs-sync schedule install</code> keeps this page fresh.
        </p>
        {looked.length > 0 && (
          <>
            <h3>What the last sync found</h3>
            <ul className="sources" data-testid="sources">
              {looked.map((p) => (
                <li key={p.provider} data-provider={p.provider} data-status={p.last_sync?.status}>
                  <strong>{p.label}</strong>:{' '}
                  {p.last_sync?.status === 'not_configured' ? 'not set up' : p.last_sync?.status.replace(/_/g, ' ')}
                  {p.last_sync?.error && <span className="muted"> ({p.last_sync.error})</span>}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    );
  }
  return (
    <>
      <Overview summary={data.summary} />
      <RangePicker range={data.range} today={data.summary.today} onChange={choose} />
      <ProviderCards
        latest={data.latest}
        burn={data.burn}
        daily={data.daily}
        period={range_phrase(data.range)}
        token={token}
        drill={(provider) => drill('provider', provider)}
        plans={data.summary.subscriptions}
      />
      <FilterBar filters={data.filters} labels={labels} onChange={filter} />
      <DailyChart
        rows={data.filtered_daily}
        range={data.range}
        query={data.chart_query}
        token={token}
        labels={labels}
        slug={filter_slug(data.filters)}
      />
      <Budgets summary={data.summary} burn={data.burn} token={token} reload={reload} />
      <RunwayTable burn={data.burn} token={token} />
      <Reconciliation
        data={data.reconcile}
        period={range_phrase(data.range)}
        query={data.range_query}
        token={token}
      />
      <Breakdowns
        token={token}
        range={data.range}
        filters={data.filters}
        labels={labels}
        drill={drill}
        reload={data.loaded_at}
      />
      <Azure query={data.range_query} token={token} reload={data.loaded_at} />
      <Setup providers={data.providers} />
      <SyncLog rows={data.syncs} token={token} />
    </>
  );
}

function TokenForm({ message, onSubmit }: { message: string; onSubmit: (token: string) => void }) {
  const [value, setValue] = useState('');
  return (
    <form
      className="notice"
      data-testid="token-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(value.trim());
      }}
    >
      <h2>This server needs its API token</h2>
      {message && <p role="alert">{message}</p>}
      <label htmlFor="token">Token (kept in this browser only)</label>
      <input id="token" type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} />
      <button type="submit">Open</button>
    </form>
  );
}
