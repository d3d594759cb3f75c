'use client';
// Where the money went over the page's range, by model, agent, project or task: sortable tables.
import { useEffect, useState } from 'react';
import { get_json, type BreakdownRow } from '@/lib/api';
import { count, money } from '@/lib/format';
import { range_phrase, type DayRange } from '@/lib/range';
import CsvButton from './csv_button';

const dimensions = ['model', 'agent', 'project', 'task'] as const;
type Dimension = (typeof dimensions)[number];
type SortKey = 'key' | 'cost' | 'calls' | 'tokens';

function tokens_of(r: BreakdownRow): number {
  return r.tokens.input + r.tokens.output + r.tokens.cache_read + r.tokens.cache_write;
}

function value_of(r: BreakdownRow, key: SortKey): number | string {
  if (key === 'key') return r.key;
  if (key === 'calls') return r.calls;
  if (key === 'tokens') return tokens_of(r);
  return r.priced_cost_micro_usd ?? -1;
}

export default function Breakdowns({
  token,
  range,
  reload,
}: {
  token: string;
  range: DayRange;
  reload: number;
}) {
  const [by, setBy] = useState<Dimension>('model');
  const [rows, setRows] = useState<BreakdownRow[] | null>(null);
  const [failed, setFailed] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'cost', descending: true });

  useEffect(() => {
    let live = true;
    get_json<{ rows: BreakdownRow[] }>(`/api/costs/breakdown?by=${by}&from=${range.from}&to=${range.to}`, token)
      .then((r) => {
        if (live) {
          setRows(r.rows);
          setFailed('');
        }
      })
      .catch((e: unknown) => live && setFailed(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [by, token, range.from, range.to, reload]);

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
        <h2 id="breakdown-title">Breakdown, {range_phrase(range)}</h2>
        <CsvButton
          path={`/api/costs/breakdown?by=${by}&from=${range.from}&to=${range.to}`}
          token={token}
          filename={`breakdown-${by}-${range.from}-${range.to}.csv`}
        />
      </div>
      <div role="tablist" aria-label="Break down by" className="tabs">
        {dimensions.map((d) => (
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
            {d}
          </button>
        ))}
      </div>
      <div id="breakdown-panel" role="tabpanel" className="table-wrap" tabIndex={0}>
        {failed && <p role="alert">{failed}</p>}
        {rows !== null && rows.length === 0 && <p className="muted">Nothing recorded by {by} in these days.</p>}
        {rows !== null && rows.length > 0 && (
          <table data-testid="breakdown-table" data-by={by}>
            <caption className="visually-hidden">Spend by {by}; select a column heading to sort</caption>
            <thead>
              <tr>
                {header('key', by)}
                {header('cost', 'Cost', true)}
                {header('calls', 'Calls', true)}
                {header('tokens', 'Tokens', true)}
              </tr>
            </thead>
            <tbody>
              {sorted.map((r) => (
                <tr key={r.key}>
                  <th scope="row">{r.key || `billed, not itemised by ${by}`}</th>
                  <td className="num" data-testid="breakdown-cost">
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
