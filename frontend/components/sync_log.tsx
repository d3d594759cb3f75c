// The latest sync runs, with what went wrong.
import type { SyncRow } from '@/lib/api';
import { exact_time } from '@/lib/format';
import CsvButton from './csv_button';
import TableWrap from './table_wrap';

export default function SyncLog({ rows, token }: { rows: SyncRow[]; token: string }) {
  return (
    <section aria-labelledby="syncs-title">
      <div className="section-head">
        <h2 id="syncs-title">Latest syncs</h2>
        <CsvButton path="/api/sync/log?limit=10" token={token} filename="sync-log.csv" />
      </div>
      {rows.length === 0 ? (
        <p className="muted">No sync has run yet.</p>
      ) : (
        <TableWrap label="Latest syncs">
          <table data-testid="sync-log">
            <caption className="visually-hidden">The latest sync runs per provider</caption>
            <thead>
              <tr>
                <th scope="col">Finished</th>
                <th scope="col">Provider</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Rows
                </th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={`${r.finished_at}-${r.provider}-${i}`} className={r.status === 'ok' ? '' : 'row-bad'}>
                  <td>{exact_time(r.finished_at)}</td>
                  <td>
                    {r.provider}
                    {r.host && <span className="muted"> · {r.host}</span>}
                  </td>
                  <td>{r.status}</td>
                  <td className="num">{r.rows_written}</td>
                  <td>{r.error}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
