'use client';
// Azure's bill over the page's range, by service and by resource group (shown once Azure has one).
import { useEffect, useState } from 'react';
import { get_json, type AzureCosts } from '@/lib/api';
import { money } from '@/lib/format';
import CsvButton from './csv_button';
import TableWrap from './table_wrap';

function Totals({ title, rows }: { title: string; rows: [string, number | null][] }) {
  return (
    <TableWrap label={`Azure by ${title}`}>
      <table data-testid={`azure-${title.replace(/ /g, '-')}`}>
        <thead>
          <tr>
            <th scope="col">{title[0].toUpperCase() + title.slice(1)}</th>
            <th scope="col" className="num">
              Cost
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([key, cost]) => (
            <tr key={key}>
              <th scope="row">{key || '(none)'}</th>
              <td className="num" data-micro={cost ?? undefined}>
                {money(cost)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export default function Azure({ query, token, reload }: { query: string; token: string; reload: number }) {
  const [data, setData] = useState<AzureCosts | null>(null);
  useEffect(() => {
    let live = true;
    get_json<AzureCosts>(`/api/costs/azure?${query}`, token)
      .then((d) => live && setData(d))
      .catch(() => live && setData(null));
    return () => {
      live = false;
    };
  }, [query, token, reload]);
  if (!data || data.rows.length === 0) return null;
  return (
    <section aria-labelledby="azure-title" data-testid="azure">
      <div className="section-head">
        <h2 id="azure-title">Azure infrastructure, {money(data.total_micro_usd)}</h2>
        <CsvButton path={`/api/costs/azure?${query}`} token={token} filename={`azure-${data.from}-${data.to}.csv`} />
      </div>
      <div className="azure-tables">
        <Totals title="service" rows={data.by_service.map((r) => [r.service, r.cost_micro_usd])} />
        <Totals title="resource group" rows={data.by_resource_group.map((r) => [r.resource_group, r.cost_micro_usd])} />
      </div>
    </section>
  );
}
