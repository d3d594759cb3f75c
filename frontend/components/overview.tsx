// The top line: today, change vs yesterday, this week, this month, the month-end forecast
// against the budget.
import type { ReactNode } from 'react';
import type { Summary } from '@/lib/api';
import { money, percent } from '@/lib/format';
import BasisTag from './basis';

// One figure of the top line: a label, an amount (its exact micro-dollars kept for tests and
// copy-paste) and a note under it.
function Stat({ id, label, micro, children }: { id: string; label: string; micro: number; children: ReactNode }) {
  return (
    <div className="stat" data-testid={`stat-${id}`}>
      <span className="stat-label">{label}</span>
      <span className="stat-value" data-testid={`${id}-total`} data-micro={micro}>
        {money(micro)}
      </span>
      <span className="stat-note">{children}</span>
    </div>
  );
}

export default function Overview({ summary }: { summary: Summary }) {
  const { today, week, month, yesterday } = summary.periods;
  const change = summary.change_vs_yesterday;
  const f = summary.forecast;
  const over_budget = f.projected_budget_ratio !== null && f.projected_budget_ratio >= 1;
  const direction = change.micro_usd > 0 ? 'up' : change.micro_usd < 0 ? 'down' : 'flat';
  return (
    <section aria-labelledby="overview-title" className="overview">
      <h2 id="overview-title" className="visually-hidden">
        Overview
      </h2>
      <Stat id="today" label="Today" micro={today.total_micro_usd}>
        <BasisTag basis={today.basis} />
        {today.unpriced_rows > 0 && <span className="tag tag-unpriced">+ unpriced</span>}
      </Stat>
      <div className="stat" data-testid="stat-change">
        <span className="stat-label">vs yesterday</span>
        <span className={`stat-value change-${direction}`} data-testid="change" data-micro={change.micro_usd}>
          {direction === 'up' ? '▲ ' : direction === 'down' ? '▼ ' : ''}
          {money(Math.abs(change.micro_usd))}
        </span>
        <span className="stat-note">
          yesterday {money(yesterday.total_micro_usd)}
          {change.ratio !== null && ` · ${change.ratio > 0 ? '+' : ''}${percent(change.ratio)}`}
        </span>
      </div>
      <Stat id="week" label="This week" micro={week.total_micro_usd}>
        <BasisTag basis={week.basis} /> since {week.from}
      </Stat>
      <Stat id="month" label="This month" micro={month.total_micro_usd}>
        <BasisTag basis={month.basis} />
        {month.billed_micro_usd > 0 && month.estimated_micro_usd > 0 && (
          <span>
            {money(month.billed_micro_usd)} billed · {money(month.estimated_micro_usd)} estimated
          </span>
        )}
      </Stat>
      <div className={`stat${over_budget ? ' stat-alert' : ''}`} data-testid="stat-forecast">
        <span className="stat-label">Month-end forecast</span>
        <span className="stat-value" data-testid="forecast" data-micro={f.projected_month_end_micro_usd}>
          {money(f.projected_month_end_micro_usd)}
        </span>
        <span className="stat-note">
          {f.budget_micro_usd !== null ? (
            <span data-testid="forecast-budget">
              of {money(f.budget_micro_usd)} budget
              {f.projected_budget_ratio !== null && ` (${percent(f.projected_budget_ratio)})`}
            </span>
          ) : (
            <span>
              {money(f.daily_rate_micro_usd)}/day × {f.days_left} days left
            </span>
          )}
        </span>
      </div>
      {(summary.subscriptions ?? []).length > 0 && (
        <ul className="plans" data-testid="plans">
          {(summary.subscriptions ?? []).map((p) => (
            <li key={p.provider} data-provider={p.provider} data-micro={p.month_api_equivalent_micro_usd}>
              <strong>{p.label}</strong> on {p.plan}
              {p.monthly_fee_micro_usd !== null && ` (${money(p.monthly_fee_micro_usd)}/month)`}:{' '}
              {money(p.month_api_equivalent_micro_usd)} API-equivalent this month,{' '}
              {p.counts_in_spend ? 'counted in spend (opted in)' : 'not counted in spend or the forecast'}.
            </li>
          ))}
        </ul>
      )}
      {(summary.spikes.length > 0 || summary.hour_spikes.length > 0) && (
        <p className="spikes" role="status" data-testid="spikes">
          {summary.spikes.map((s) => (
            <span key={s.date}>
              ⚠ Spike on {s.date}: {money(s.cost_micro_usd)}, usually {money(s.median_micro_usd)} a day.{' '}
            </span>
          ))}
          {summary.hour_spikes.map((s) => (
            <span key={s.hour}>
              ⚠ Spike at {s.hour.slice(11, 16)} UTC: {money(s.cost_micro_usd)} in an hour, usually{' '}
              {money(s.median_micro_usd)}.{' '}
            </span>
          ))}
        </p>
      )}
    </section>
  );
}
