// Billed vs estimated, for providers with both an admin API and local logs: how much of what the
// provider billed the logs explain, over the page's range and per day. Shown only where something was
// billed; the totals cover billed days only (logs on days not billed yet are named apart).
import type { Reconcile, ReconcileFigures } from '@/lib/api';
import { money, percent } from '@/lib/format';
import CsvButton from './csv_button';
import TableWrap from './table_wrap';

function Head({ first }: { first: string }) {
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        {['Billed', 'Estimated from logs', 'Difference', 'Logs explain'].map((label) => (
          <th key={label} scope="col" className="num">
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}

function Figures({ f }: { f: ReconcileFigures }) {
  return (
    <>
      <td className="num" data-micro={f.billed_micro_usd ?? undefined}>
        {f.billed_micro_usd === null ? 'not billed' : money(f.billed_micro_usd)}
      </td>
      <td className="num" data-micro={f.estimated_micro_usd}>
        {money(f.estimated_micro_usd)}
      </td>
      <td className="num">{f.difference_micro_usd === null ? '—' : money(f.difference_micro_usd)}</td>
      <td className="num">{f.explained_ratio === null ? '—' : percent(f.explained_ratio)}</td>
    </>
  );
}

export default function Reconciliation({
  data,
  period,
  query,
  token,
}: {
  data: Reconcile | null;
  period: string;
  query: string;
  token: string;
}) {
  if (!data || data.pairs.length === 0) return null;
  return (
    <section aria-labelledby="reconcile-title">
      <div className="section-head">
        <h2 id="reconcile-title">Billed vs estimated, {period}</h2>
        <CsvButton path={`/api/costs/reconcile?${query}`} token={token} filename={`reconcile-${data.from}-${data.to}.csv`} />
      </div>
      <TableWrap label="Billed vs estimated">
        <table data-testid="reconcile">
          <caption className="visually-hidden">
            What each provider billed, what local logs price at list prices, and the share they explain
          </caption>
          <Head first="Provider" />
          <tbody>
            {data.pairs.map((p) => (
              <tr key={p.vendor} data-vendor={p.vendor}>
                <th scope="row">{p.label}</th>
                <Figures f={p} />
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {data.pairs
        .filter((p) => p.unbilled_estimated_micro_usd > 0)
        .map((p) => (
          <p key={p.vendor} className="muted" data-testid={`reconcile-unbilled-${p.vendor}`}>
            {p.label}: {money(p.unbilled_estimated_micro_usd)} estimated from logs on days not billed yet, left
            out of the comparison.
          </p>
        ))}
      {data.pairs.map((p) => (
        <details key={p.vendor}>
          <summary>{p.label} per day</summary>
          <TableWrap label="Billed vs estimated per day">
            <table data-testid={`reconcile-days-${p.vendor}`}>
              <caption className="visually-hidden">{p.label}: billed and estimated per day</caption>
              <Head first="Day" />
              <tbody>
                {p.days.map((d) => (
                  <tr key={d.date}>
                    <th scope="row">{d.date}</th>
                    <Figures f={d} />
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </details>
      ))}
    </section>
  );
}
