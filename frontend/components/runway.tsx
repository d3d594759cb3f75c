// Burn rate and runway: what each provider spends per hour, day and week (the mean of the last
// seven complete days), and, where it holds a balance in dollars, how long that lasts at that
// rate, drawn against 90 days.
import type { BurnProvider } from '@/lib/api';
import { money } from '@/lib/format';
import BasisTag from './basis';
import CsvButton from './csv_button';
import TableWrap from './table_wrap';

const scale_days = 90;

function Runway({ p }: { p: BurnProvider }) {
  if (p.balance_micro_usd === null) return <span className="muted">no balance</span>;
  if (p.currency !== 'USD') return <span className="muted">n/a ({p.currency})</span>;
  if (p.runway_days === null) return <span className="muted">no spend lately</span>;
  const share = Math.min(1, p.runway_days / scale_days);
  const level = p.low_balance || p.runway_days < 7 ? 'exceeded' : p.runway_days < 30 ? 'warn' : 'ok';
  return (
    <span className={`runway level-${level}`}>
      <span className="bar" aria-hidden="true">
        <span style={{ width: `${Math.max(2, share * 100)}%` }} />
      </span>
      <span data-testid="runway-days">
        {p.runway_days} days, to {p.runway_until}
      </span>
    </span>
  );
}

export default function RunwayTable({ burn, token }: { burn: BurnProvider[]; token: string }) {
  // Balances first (they run out), then by spend per day.
  const rows = [...burn]
    .filter((p) => p.per_day_micro_usd > 0 || p.balance_micro_usd !== null || p.today_micro_usd > 0)
    .sort(
      (a, b) =>
        Number(b.balance_micro_usd !== null) - Number(a.balance_micro_usd !== null) ||
        (a.runway_days ?? Infinity) - (b.runway_days ?? Infinity) ||
        b.per_day_micro_usd - a.per_day_micro_usd,
    );
  if (rows.length === 0) return null;
  return (
    <section aria-labelledby="runway-title">
      <div className="section-head">
        <h2 id="runway-title">Burn rate and runway</h2>
        <CsvButton path="/api/costs/burn" token={token} filename="burn-rate.csv" />
      </div>
      <TableWrap label="Burn rate and runway per provider">
        <table data-testid="runway-table">
          <caption className="visually-hidden">
            Spend per hour, day and week over the last 7 complete days, balance and how long it lasts
          </caption>
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col" className="num">
                Today
              </th>
              <th scope="col" className="num">
                Per hour
              </th>
              <th scope="col" className="num">
                Per day
              </th>
              <th scope="col" className="num">
                Per week
              </th>
              <th scope="col" className="num">
                Balance
              </th>
              <th scope="col">Runway</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.provider} data-provider={p.provider} className={p.low_balance ? 'row-bad' : undefined}>
                <th scope="row">
                  {p.label} <BasisTag basis={p.basis} />
                </th>
                <td className="num">{money(p.today_micro_usd)}</td>
                <td className="num">{money(p.per_hour_micro_usd)}</td>
                <td className="num" data-testid="burn-per-day" data-micro={p.per_day_micro_usd}>
                  {money(p.per_day_micro_usd)}
                </td>
                <td className="num">{money(p.per_week_micro_usd)}</td>
                <td className="num" data-micro={p.balance_micro_usd ?? undefined}>
                  {p.balance_micro_usd === null ? '—' : money(p.balance_micro_usd, p.currency)}
                  {p.low_balance && <span className="tag tag-exceeded">low</span>}
                </td>
                <td>
                  <Runway p={p} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <p className="muted">Rates are the mean of the last 7 complete days; the bar is drawn against {scale_days} days.</p>
    </section>
  );
}
