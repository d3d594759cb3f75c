'use client';
// Where the money went over the page's range, by provider, model, agent, project, task or day,
// under the page's filters: sortable tables whose names drill down (a name becomes a filter, and
// the table moves on to what that name holds).
import { useEffect, useState } from 'react';
import { get_json, type BreakdownRow, type SessionRow } from '@/lib/api';
import { count, money } from '@/lib/format';
import { filter_keys, filter_query, filter_slug, type FilterKey, type Filters } from '@/lib/filters';
import { browser_zone, range_phrase, type DayRange } from '@/lib/range';
import CsvButton from './csv_button';
import SessionsTable from './sessions_table';

const dimensions = ['provider', 'model', 'agent', 'project', 'task', 'date', 'session'] as const;
type Dimension = (typeof dimensions)[number];
const tab_names: Record<Dimension, string> = {
  provider: 'provider',
  model: 'model',
  agent: 'agent',
  project: 'project',
  task: 'task',
  date: 'day',
  session: 'session',
};

// After a drill-down into `by`, the view that says most about the name picked.
const next_view: Record<FilterKey, Dimension[]> = {
  provider: ['model', 'agent', 'date'],
  model: ['agent', 'project', 'date'],
  agent: ['session', 'model', 'project', 'date'],
  project: ['agent', 'session', 'model', 'date'],
  task: ['model', 'agent', 'date'],
};

const is_filter = (d: Dimension): d is FilterKey => (filter_keys as readonly string[]).includes(d);
type SortKey = 'key' | 'cost' | 'calls' | 'tokens';

function tokens_of(r: BreakdownRow): number {
  return r.tokens.input + r.tokens.output + r.tokens.cache_read + r.tokens.cache_write;
}

function value_of(r: BreakdownRow, key: SortKey): number | string {
  if (key === 'key') return r.label ?? r.key;
  if (key === 'calls') return r.calls;
  if (key === 'tokens') return tokens_of(r);
  return r.priced_cost_micro_usd ?? -1;
}

export default function Breakdowns({
  token,
  range,
  filters,
  labels,
  drill,
  reload,
}: {
  token: string;
  range: DayRange;
  filters: Filters;
  labels: Map<string, string>; // provider key -> its name
  drill: (key: FilterKey, value: string) => void;
  reload: number;
}) {
  const [by, setBy] = useState<Dimension>('model');
  const [rows, setRows] = useState<BreakdownRow[] | null>(null);
  const [sessions, setSessions] = useState<{ rows: SessionRow[]; more: boolean } | null>(null);
  const [failed, setFailed] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'cost', descending: true });

  // Sessions are kept per session, not per task: their tab leaves when a task is picked.
  const shown_dimensions = dimensions.filter((d) => d !== 'session' || !filters.task);
  const path =
    by === 'session'
      ? `/api/costs/sessions?from=${range.from}&to=${range.to}&tz=${encodeURIComponent(browser_zone())}${filter_query(filters)}`
      : `/api/costs/breakdown?by=${by}&from=${range.from}&to=${range.to}${filter_query(filters)}`;
  useEffect(() => {
    let live = true;
    setRows(null);
    setSessions(null);
    get_json<{ rows: BreakdownRow[] & SessionRow[]; more?: boolean }>(path, token)
      .then((r) => {
        if (live) {
          if (by === 'session') setSessions({ rows: r.rows, more: r.more ?? false });
          setRows(r.rows);
          setFailed('');
        }
      })
      .catch((e: unknown) => live && setFailed(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [path, token, reload]);

  const name_of = (key: string) => (by === 'provider' ? (labels.get(key) ?? key) : key);
  // When the filters change to cover the table's own dimension (a name picked here, a card, the
  // filter bar), it would hold one row: it moves on to what that name holds. A tab chosen by
  // hand stays.
  const filter_text = filter_query(filters);
  useEffect(() => {
    setBy((now) => {
      if (now === 'session' && filters.task) return 'model';
      return is_filter(now) && filters[now] ? (next_view[now].find((d) => (d === 'session' ? !filters.task : !is_filter(d) || !filters[d])) ?? 'date') : now;
    });
  }, [filter_text]);  // filters is a new object each load: its text says when it changed
  const open = (key: string) => {
    if (is_filter(by)) drill(by, key);
  };
  const drillable = is_filter(by) && !filters[by];

  const sorted = [...(rows ?? [])].sort((a, b) => {
    const x = value_of(a, sort.key);
    const y = value_of(b, sort.key);
    const order = typeof x === 'string' ? x.localeCompare(String(y)) : x - (y as number);
    return sort.descending ? -order : order;
  });

  const header = (key: SortKey, label: string, numeric = false) => {
    const active = sort.key === key;
    return (
      <th
        scope="col"
        className={numeric ? 'num' : undefined}
        aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}
      >
        <button
          type="button"
          className="sort"
          onClick={() => setSort({ key, descending: active ? !sort.descending : key !== 'key' })}
        >
          {label}
          <span aria-hidden="true">{active ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
        </button>
      </th>
    );
  };

  return (
    <section aria-labelledby="breakdown-title">
      <div className="section-head">
        <h2 id="breakdown-title">
          Breakdown, {range_phrase(range)}
          {filter_slug(filters) && <span className="muted"> (filtered)</span>}
        </h2>
        <CsvButton
          path={path}
          token={token}
          filename={`${by === 'session' ? 'sessions' : `breakdown-${by}`}-${range.from}-${range.to}${filter_slug(filters) ? `-${filter_slug(filters)}` : ''}.csv`}
        />
      </div>
      <div role="tablist" aria-label="Break down by" className="tabs">
        {shown_dimensions.map((d) => (
          <button
            key={d}
            type="button"
            role="tab"
            aria-selected={by === d}
            aria-controls="breakdown-panel"
            className={by === d ? 'tab active' : 'tab'}
            onClick={() => setBy(d)}
            data-testid={`tab-${d}`}
          >
            {tab_names[d]}
          </button>
        ))}
      </div>
      <div id="breakdown-panel" role="tabpanel" className="table-wrap" tabIndex={0} aria-busy={rows === null}>
        {failed && <p role="alert">{failed}</p>}
        {rows === null && !failed && (
          <p className="muted" role="status" data-testid="breakdown-loading">
            Loading…
          </p>
        )}
        {rows !== null && rows.length === 0 && (
          <p className="muted">Nothing recorded by {tab_names[by]} in these days{filter_slug(filters) && ' under these filters'}.</p>
        )}
        {by === 'session' && sessions !== null && sessions.rows.length > 0 && (
          <SessionsTable rows={sessions.rows} more={sessions.more} labels={labels} />
        )}
        {by !== 'session' && rows !== null && rows.length > 0 && (
          <table data-testid="breakdown-table" data-by={by}>
            <caption className="visually-hidden">Spend by {by}; select a column heading to sort</caption>
            <thead>
              <tr>
                {header('key', tab_names[by])}
                {header('cost', 'Cost', true)}
                {header('calls', 'Calls', true)}
                {header('tokens', 'Tokens', true)}
              </tr>
            </thead>
            <tbody>
              {sorted.map((r) => (
                <tr key={r.key} data-key={r.key}>
                  <th scope="row">
                    {!r.key ? (
                      `billed, not itemised by ${tab_names[by]}`
                    ) : drillable ? (
                      <button
                        type="button"
                        className="link"
                        data-testid="drill"
                        title={`Show only ${name_of(r.key)}`}
                        onClick={() => open(r.key)}
                      >
                        {name_of(r.key)}
                      </button>
                    ) : (
                      name_of(r.key)
                    )}
                  </th>
                  <td className="num" data-testid="breakdown-cost" data-micro={r.cost_micro_usd ?? undefined}>
                    {r.cost_micro_usd === null ? (
                      r.priced_cost_micro_usd ? (
                        <span title="Part of this has no price; the priced part is shown">
                          {money(r.priced_cost_micro_usd)} + unpriced
                        </span>
                      ) : (
                        <span className="tag tag-unpriced">unpriced</span>
                      )
                    ) : (
                      money(r.cost_micro_usd)
                    )}
                  </td>
                  <td className="num">{count(r.calls)}</td>
                  <td className="num">{count(tokens_of(r))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
