// Budget bars: spend against each rule for its period, and low-balance rules against balances.
import type { BurnProvider, Summary } from '@/lib/api';
import { money, percent } from '@/lib/format';

export default function Budgets({ summary, burn }: { summary: Summary; burn: BurnProvider[] }) {
  if (summary.budgets.length === 0) return null;
  const balance_of = new Map(burn.map((b) => [b.provider, b]));
  return (
    <section aria-labelledby="budgets-title">
      <h2 id="budgets-title">Budgets</h2>
      <ul className="budgets" data-testid="budgets">
        {summary.budgets.map((b) => {
          if (b.kind === 'low_balance') {
            const p = balance_of.get(b.scope.replace(/^provider:/, ''));
            return (
              <li key={b.id} className={p?.low_balance ? 'level-exceeded' : 'level-ok'}>
                <span>
                  {b.name || b.scope}: balance {money(p?.balance_micro_usd ?? null)} (alert under{' '}
                  {money(b.threshold_micro_usd)})
                </span>
              </li>
            );
          }
          const ratio = b.used_ratio ?? 0;
          return (
            <li key={b.id} className={`level-${b.level}`} data-testid="budget">
              <div className="budget-line">
                <span>
                  {b.name || b.scope} <span className="muted">({b.scope}, per {b.period})</span>
                </span>
                <span>
                  {money(b.spent_micro_usd ?? 0)} of {money(b.threshold_micro_usd)}
                </span>
              </div>
              <div
                className="bar"
                role="progressbar"
                aria-label={`${b.name || b.scope}: ${percent(ratio)} of budget`}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(ratio * 100)}
              >
                <span style={{ width: `${Math.min(100, ratio * 100)}%` }} />
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
