// Billed vs estimated, for providers with both an admin API and local logs: how much of what the
// provider billed the logs explain. Shown only where something was billed.
import type { Reconcile } from '@/lib/api';
import { money, percent } from '@/lib/format';

export default function Reconciliation({ data }: { data: Reconcile | null }) {
  if (!data || data.pairs.length === 0) return null;
  return (
    <section aria-labelledby="reconcile-title">
      <h2 id="reconcile-title">Billed vs estimated, last 30 days</h2>
      <div className="table-wrap">
        <table data-testid="reconcile">
          <caption className="visually-hidden">
            What each provider billed, what local logs price at list prices, and the share they explain
          </caption>
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col" className="num">
                Billed
              </th>
              <th scope="col" className="num">
                Estimated from logs
              </th>
              <th scope="col" className="num">
                Difference
              </th>
              <th scope="col" className="num">
                Logs explain
              </th>
            </tr>
          </thead>
          <tbody>
            {data.pairs.map((p) => (
              <tr key={p.vendor} data-vendor={p.vendor}>
                <th scope="row">{p.label}</th>
                <td className="num" data-micro={p.billed_micro_usd ?? undefined}>
                  {money(p.billed_micro_usd)}
                </td>
                <td className="num" data-micro={p.estimated_micro_usd}>
                  {money(p.estimated_micro_usd)}
                </td>
                <td className="num">{p.difference_micro_usd === null ? '—' : money(p.difference_micro_usd)}</td>
                <td className="num">{p.explained_ratio === null ? '—' : percent(p.explained_ratio)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data.pairs.map((p) => (
        <details key={p.vendor}>
          <summary>{p.label} per day</summary>
          <div className="table-wrap">
            <table data-testid={`reconcile-days-${p.vendor}`}>
              <caption className="visually-hidden">{p.label}: billed and estimated per day</caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col" className="num">
                    Billed
                  </th>
                  <th scope="col" className="num">
                    Estimated
                  </th>
                  <th scope="col" className="num">
                    Difference
                  </th>
                  <th scope="col" className="num">
                    Explained
                  </th>
                </tr>
              </thead>
              <tbody>
                {p.days.map((d) => (
                  <tr key={d.date}>
                    <th scope="row">{d.date}</th>
                    <td className="num">{d.billed_micro_usd === null ? 'not billed' : money(d.billed_micro_usd)}</td>
                    <td className="num">{money(d.estimated_micro_usd)}</td>
                    <td className="num">{d.difference_micro_usd === null ? '—' : money(d.difference_micro_usd)}</td>
                    <td className="num">{d.explained_ratio === null ? '—' : percent(d.explained_ratio)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ))}
    </section>
  );
}
