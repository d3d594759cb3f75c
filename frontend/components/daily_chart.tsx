'use client';
// Spend over the page's range, stacked by provider, per day, week (from Monday) or month: plain
// SVG (no chart library, so the page stays small) with a money axis, a tooltip per bar, provider
// names in the legend, and the same numbers as a table for screen readers and keyboards.
import { useEffect, useState } from 'react';
import { get_json, type DailyRow } from '@/lib/api';
import { money } from '@/lib/format';
import { add_days, range_phrase, type DayRange } from '@/lib/range';
import CsvButton from './csv_button';
import TableWrap from './table_wrap';

const palette = [
  '#4f7cff', '#f28b30', '#2fb57a', '#d9485f', '#9b6cf0', '#1fb3c4', '#c9a227',
  '#e0619f', '#6b8e23', '#8d6e63', '#5c6bc0', '#26a69a', '#ef6c00', '#78909c',
];

export type Interval = 'day' | 'week' | 'month';
const interval_names: Record<Interval, string> = { day: 'Day', week: 'Week', month: 'Month' };

/** The first day of the bucket `day` falls in: itself, its Monday, or the 1st of its month. */
export function bucket_of(day: string, interval: Interval): string {
  if (interval === 'month') return `${day.slice(0, 8)}01`;
  if (interval === 'week') return add_days(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
  return day;
}

function buckets(r: DayRange, interval: Interval): string[] {
  const out: string[] = [];
  for (let d = r.from; d <= r.to; d = add_days(d, 1)) {
    const b = bucket_of(d, interval);
    if (out[out.length - 1] !== b) out.push(b);
  }
  return out;
}

export default function DailyChart({
  rows,
  range,
  query,
  token,
  labels,
  slug = '',
}: {
  rows: DailyRow[]; // per day, as the page loaded them
  range: DayRange;
  query: string; // from=&to=&tz=, as the rows were asked for
  token: string;
  labels: Map<string, string>; // provider key -> its name
  slug?: string; // the filters, for the heading and the file name; "" when none
}) {
  const [interval, setGrouping] = useState<Interval>('day');
  const [grouped, setGrouped] = useState<DailyRow[] | null>(null);
  useEffect(() => {
    if (interval === 'day') return;
    let live = true;
    setGrouped(null);
    get_json<{ rows: DailyRow[] }>(`/api/costs/timeline?interval=${interval}&${query}`, token)
      .then((r) => live && setGrouped(r.rows))
      .catch(() => live && setGrouped([]));
    return () => {
      live = false;
    };
  }, [interval, query, token]);
  const shown = interval === 'day' ? rows : (grouped ?? []);
  const slots = buckets(range, interval);
  const providers = [...new Set(shown.map((r) => r.key))].sort();
  const color = new Map(providers.map((p, i) => [p, palette[i % palette.length]]));
  const name = (key: string) => labels.get(key) ?? key;
  const cost = new Map<string, Map<string, number>>();
  let unpriced = false;
  for (const r of shown) {
    if (r.cost_micro_usd === null) unpriced = true;
    const at = bucket_of(r.date, interval);
    const slot = cost.get(at) ?? new Map<string, number>();
    slot.set(r.key, (slot.get(r.key) ?? 0) + (r.cost_micro_usd ?? 0));
    cost.set(at, slot);
  }
  const totals = slots.map((d) => [...(cost.get(d)?.values() ?? [])].reduce((a, b) => a + b, 0));
  const peak = Math.max(0, ...totals);
  const top = Math.max(1, peak);
  const width = 600;
  const height = 180;
  const bar = width / slots.length;
  const unit = interval === 'day' ? 'day' : interval;
  return (
    <section aria-labelledby="chart-title">
      <div className="section-head">
        <h2 id="chart-title">
          Spend per {unit}, {range_phrase(range)}
          {slug && <span className="muted"> (filtered)</span>}
        </h2>
        <span className="chart-tools">
          <span role="group" aria-label="Group by" className="segmented">
            {(['day', 'week', 'month'] as const).map((i) => (
              <button
                key={i}
                type="button"
                aria-pressed={interval === i}
                onClick={() => setGrouping(i)}
                data-testid={`interval-${i}`}
              >
                {interval_names[i]}
              </button>
            ))}
          </span>
          <CsvButton
            path={`/api/costs/timeline?interval=${interval}&${query}`}
            token={token}
            filename={`${interval === 'day' ? 'daily' : `${interval}ly`}-${range.from}-${range.to}${slug ? `-${slug}` : ''}.csv`}
          />
        </span>
      </div>
      <figure
        className="chart"
        data-testid="daily-chart"
        data-interval={interval}
        data-days={interval === 'day' ? slots.length : undefined}
        data-buckets={slots.length}
        aria-busy={interval !== 'day' && grouped === null}
      >
        <div className="chart-plot">
          <div className="y-axis" aria-hidden="true">
            <span>{money(peak)}</span>
            <span>{money(Math.round(peak / 2))}</span>
            <span>$0</span>
          </div>
          <svg
            viewBox={`0 0 ${width} ${height}`}
            preserveAspectRatio="none"
            role="img"
            aria-label={`Spend per ${unit} by provider over ${slots.length} ${unit}s; highest ${money(peak)}`}
          >
            {[0.5, 1].map((f) => (
              <line key={f} className="gridline" x1={0} x2={width} y1={height - f * (height - 4)} y2={height - f * (height - 4)} />
            ))}
            {slots.map((d, i) => {
              let y = height;
              const parts = providers
                .map((p) => [p, cost.get(d)?.get(p) ?? 0] as const)
                .filter(([, v]) => v > 0);
              return (
                <g key={d} data-testid="chart-slot" data-date={d} data-micro={totals[i]}>
                  <title>
                    {`${d}${interval === 'day' ? '' : ` (${unit} from)`}: ${money(totals[i])}`}
                    {parts.map(([p, v]) => `\n${name(p)}: ${money(v)}`).join('')}
                  </title>
                  <rect x={i * bar} y={0} width={bar} height={height} fill="transparent" />
                  {parts.map(([p, v]) => {
                    const h = (v / top) * (height - 4);
                    y -= h;
                    return <rect key={p} x={i * bar + 1} y={y} width={Math.max(1, bar - 2)} height={h} fill={color.get(p)} />;
                  })}
                </g>
              );
            })}
          </svg>
        </div>
        <div className="axis" aria-hidden="true">
          <span>{slots[0]}</span>
          {slots.length > 2 && <span>{slots[Math.floor(slots.length / 2)]}</span>}
          <span>{slots[slots.length - 1]}</span>
        </div>
        <figcaption>
          <ul className="legend" data-testid="chart-legend">
            {providers.map((p) => (
              <li key={p} data-provider={p}>
                <span className="swatch" style={{ background: color.get(p) }} aria-hidden="true" />
                {name(p)}
              </li>
            ))}
          </ul>
          {unpriced && <p className="muted">Periods with unpriced usage show only the priced part.</p>}
          <details>
            <summary>Show as a table</summary>
            <TableWrap label="Spend as a table">
              <table data-testid="chart-table">
                <caption className="visually-hidden">Spend per {unit} and provider</caption>
                <thead>
                  <tr>
                    <th scope="col">{interval_names[interval]}</th>
                    {providers.map((p) => (
                      <th key={p} scope="col" className="num">
                        {name(p)}
                      </th>
                    ))}
                    <th scope="col" className="num">
                      Total
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {slots.map((d, i) => (
                    <tr key={d}>
                      <th scope="row">{d}</th>
                      {providers.map((p) => (
                        <td key={p} className="num">
                          {money(cost.get(d)?.get(p) ?? 0)}
                        </td>
                      ))}
                      <td className="num">{money(totals[i])}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </details>
        </figcaption>
      </figure>
    </section>
  );
}
