// Spend per day of the page's range, stacked by provider: plain SVG (no chart library, so the page stays small),
// with the same numbers as a table for screen readers and keyboards.
import type { DailyRow } from '@/lib/api';
import { money } from '@/lib/format';
import { add_days, range_phrase, type DayRange } from '@/lib/range';
import CsvButton from './csv_button';

const palette = [
  '#4f7cff', '#f28b30', '#2fb57a', '#d9485f', '#9b6cf0', '#1fb3c4', '#c9a227',
  '#e0619f', '#6b8e23', '#8d6e63', '#5c6bc0', '#26a69a', '#ef6c00', '#78909c',
];

function every_day(r: DayRange): string[] {
  const out: string[] = [];
  for (let d = r.from; d <= r.to; d = add_days(d, 1)) out.push(d);
  return out;
}

export default function DailyChart({
  rows,
  range,
  query,
  token,
}: {
  rows: DailyRow[];
  range: DayRange;
  query: string; // from=&to=&tz=, as the rows were asked for
  token: string;
}) {
  const days = every_day(range);
  const providers = [...new Set(rows.map((r) => r.key))].sort();
  const color = new Map(providers.map((p, i) => [p, palette[i % palette.length]]));
  const cost = new Map<string, Map<string, number>>();
  let unpriced = false;
  for (const r of rows) {
    if (r.cost_micro_usd === null) unpriced = true;
    const day = cost.get(r.date) ?? new Map<string, number>();
    day.set(r.key, (day.get(r.key) ?? 0) + (r.cost_micro_usd ?? 0));
    cost.set(r.date, day);
  }
  const totals = days.map((d) => [...(cost.get(d)?.values() ?? [])].reduce((a, b) => a + b, 0));
  const max = Math.max(1, ...totals);
  const width = 600;
  const height = 180;
  const bar = width / days.length;
  const peak = Math.max(...totals);
  return (
    <section aria-labelledby="chart-title">
      <div className="section-head">
        <h2 id="chart-title">Daily spend, {range_phrase(range)}</h2>
        <CsvButton path={`/api/costs/daily?${query}`} token={token} filename={`daily-${range.from}-${range.to}.csv`} />
      </div>
      <figure className="chart" data-testid="daily-chart" data-days={days.length}>
        <svg
          viewBox={`0 0 ${width} ${height}`}
          preserveAspectRatio="none"
          role="img"
          aria-label={`Daily spend by provider over ${days.length} days; highest day ${money(peak)}`}
        >
          {days.map((d, i) => {
            let y = height;
            return (
              <g key={d}>
                <title>
                  {d}: {money(totals[i])}
                </title>
                {providers.map((p) => {
                  const v = cost.get(d)?.get(p) ?? 0;
                  if (v <= 0) return null;
                  const h = (v / max) * (height - 4);
                  y -= h;
                  return <rect key={p} x={i * bar + 1} y={y} width={bar - 2} height={h} fill={color.get(p)} />;
                })}
              </g>
            );
          })}
        </svg>
        <div className="axis" aria-hidden="true">
          <span>{days[0]}</span>
          <span>peak {money(peak)}</span>
          <span>{days[days.length - 1]}</span>
        </div>
        <figcaption>
          <ul className="legend">
            {providers.map((p) => (
              <li key={p}>
                <span className="swatch" style={{ background: color.get(p) }} aria-hidden="true" />
                {p}
              </li>
            ))}
          </ul>
          {unpriced && <p className="muted">Days with unpriced usage show only the priced part.</p>}
          <details>
            <summary>Show as a table</summary>
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Spend per day</caption>
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    <th scope="col">Spend</th>
                  </tr>
                </thead>
                <tbody>
                  {days.map((d, i) => (
                    <tr key={d}>
                      <th scope="row">{d}</th>
                      <td>{money(totals[i])}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </figcaption>
      </figure>
    </section>
  );
}
