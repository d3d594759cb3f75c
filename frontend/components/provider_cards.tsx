// One card per provider (and host): spend over the page's range and today, tokens or units,
// balance and runway where known, how fresh the figure is, and whether it is billed or estimated.
import type { BurnProvider, DailyRow, LatestProvider, Plan } from '@/lib/api';
import { ago, count, exact_time, money, sync_problem } from '@/lib/format';
import BasisTag from './basis';
import CsvButton from './csv_button';

interface Spend {
  priced: number;
  unpriced_days: number;
  tokens: number; // over the same 30 days as `priced`
}

function spend_by_provider(rows: DailyRow[]): Map<string, Spend> {
  const out = new Map<string, Spend>();
  for (const r of rows) {
    const s = out.get(r.key) ?? { priced: 0, unpriced_days: 0, tokens: 0 };
    if (r.cost_micro_usd === null) s.unpriced_days += 1;
    else s.priced += r.cost_micro_usd;
    s.tokens += r.tokens.input + r.tokens.output + r.tokens.cache_read + r.tokens.cache_write;
    out.set(r.key, s);
  }
  return out;
}

function units_text(units: Record<string, unknown> | null): string | null {
  if (!units) return null;
  const parts: string[] = [];
  for (const [name, value] of Object.entries(units)) {
    if (typeof value === 'number' && value > 0) parts.push(`${count(value)} ${name.replace(/_/g, ' ')}`);
  }
  return parts.length ? parts.slice(0, 3).join(' · ') : null;
}

export default function ProviderCards({
  latest,
  burn,
  daily,
  period,
  token,
  drill,
  plans = [],
}: {
  latest: LatestProvider[];
  burn: BurnProvider[];
  daily: DailyRow[];
  period: string; // the range the daily rows cover, in words ("last 7 days")
  token: string;
  drill: (provider: string) => void; // show this provider's models, agents and days
  plans?: Plan[]; // flat-fee plans: their usage is API-equivalent
}) {
  const plan_of = new Map(plans.map((p) => [p.provider, p]));
  const spend = spend_by_provider(daily);
  const burn_of = new Map(burn.map((b) => [b.provider, b]));
  // Providers with daily spend but no snapshot still get a card.
  const keys = new Set(latest.map((l) => l.provider));
  const extra = [...spend.keys()].filter((k) => !keys.has(k));
  return (
    <section aria-labelledby="providers-title">
      <div className="section-head">
        <h2 id="providers-title">Providers</h2>
        <CsvButton path="/api/costs/latest" token={token} filename="providers-latest.csv" />
      </div>
      <ul className="cards" data-testid="provider-cards">
        {latest.map((p) => {
          const s = spend.get(p.provider);
          const b = burn_of.get(p.provider);
          const estimated = p.source === 'local_session';
          const units = units_text(p.units);
          return (
            <li
              key={`${p.provider}/${p.host}`}
              className={`card freshness-${p.freshness}${p.sync_failed ? ' sync-failed' : ''}`}
              data-testid="provider-card"
              data-provider={p.provider}
              data-host={p.host}
            >
              <div className="card-head">
                <h3>
                  {p.label}
                  {p.host && <span className="muted"> · {p.host}</span>}
                </h3>
                <span
                  className={`badge badge-${p.freshness}`}
                  data-testid="freshness"
                  title={
                    p.fetched_at
                      ? `Fetched ${exact_time(p.fetched_at)}; expected every ${Math.round(
                          p.expected_interval_seconds / 3600,
                        )} h`
                      : 'No snapshot stored yet'
                  }
                >
                  <span className="visually-hidden">Freshness: </span>
                  {p.age_seconds === null ? 'never synced' : `${p.freshness} · updated ${ago(p.age_seconds)}`}
                </span>
              </div>
              {p.sync_failed && p.last_sync && (
                <p
                  className="sync-error"
                  role="status"
                  data-testid="sync-error"
                  title={`${p.last_sync.error} (${exact_time(p.last_sync.finished_at)})`}
                >
                  Last sync failed: {sync_problem(p.last_sync.status, p.last_sync.error)}
                  {p.age_seconds !== null && <span className="muted"> · figures from {ago(p.age_seconds)}</span>}
                </p>
              )}
              <p className="card-spend">
                {s || p.total_cost_micro_usd !== null ? (
                  <>
                    <span
                      className="card-amount"
                      data-testid="card-spend"
                      data-micro={s ? s.priced : (p.total_cost_micro_usd ?? undefined)}
                    >
                      {money(s ? s.priced : p.total_cost_micro_usd)}
                    </span>
                    <span className="muted"> {s ? period : 'reported'}</span>{' '}
                    {plan_of.has(p.provider) ? (
                      <span
                        className="tag tag-plan"
                        data-testid="basis"
                        title={`Covered by ${plan_of.get(p.provider)?.plan}: list prices of its usage, ${
                          plan_of.get(p.provider)?.counts_in_spend ? 'counted in spend' : 'not money spent'
                        }`}
                      >
                        API-equivalent
                      </span>
                    ) : (
                      <BasisTag basis={estimated ? 'estimated' : 'billed'} />
                    )}
                  </>
                ) : (
                  <span className="muted" data-testid="card-spend">
                    {p.fetched_at === null
                      ? 'nothing collected yet'
                      : estimated
                      ? 'no usage recorded'
                      : p.balance_micro_usd !== null
                        ? 'balance only: no spend figure'
                        : 'usage only: no spend figure'}
                  </span>
                )}
                {((s && s.unpriced_days > 0) || Number(p.units?.unpriced_calls ?? 0) > 0) && (
                  <span
                    className="tag tag-unpriced"
                    data-testid="unpriced"
                    title="Some models have no price: shown apart, never counted as $0"
                  >
                    + unpriced
                  </span>
                )}
              </p>
              <dl className="facts">
                {b && (
                  <>
                    <dt>Today</dt>
                    <dd>{money(b.today_micro_usd)}</dd>
                    <dt>Burn</dt>
                    <dd>{money(b.per_day_micro_usd)}/day</dd>
                  </>
                )}
                {/* One window per card: the range's tokens beside its dollars, else what was reported. */}
                {(s ? s.tokens : (p.tokens.total ?? 0)) > 0 && (
                  <>
                    <dt>{s ? `Tokens, ${period}` : 'Tokens, reported'}</dt>
                    <dd data-testid="tokens" data-count={s ? s.tokens : (p.tokens.total ?? 0)}>
                      {count(s ? s.tokens : (p.tokens.total ?? 0))}
                    </dd>
                  </>
                )}
                {units && (
                  <>
                    <dt>Usage</dt>
                    <dd>{units}</dd>
                  </>
                )}
                {p.balance_micro_usd !== null && (
                  <>
                    <dt>Balance</dt>
                    <dd
                      data-testid="balance"
                      data-micro={p.balance_micro_usd}
                      className={b?.low_balance ? 'low' : undefined}
                    >
                      {money(p.balance_micro_usd, p.currency)}
                      {b?.low_balance && ' (low)'}
                    </dd>
                    <dt>Runway</dt>
                    <dd data-testid="runway">
                      {b?.runway_days != null
                        ? `${b.runway_days} days (to ${b.runway_until})`
                        : p.currency !== 'USD'
                          ? `n/a (${p.currency})`
                          : 'no spend lately'}
                    </dd>
                  </>
                )}
              </dl>
              {s && (
                <button
                  type="button"
                  className="link card-drill"
                  data-testid="card-drill"
                  onClick={() => drill(p.provider)}
                >
                  Models, agents and days<span className="visually-hidden"> of {p.label}</span> →
                </button>
              )}
            </li>
          );
        })}
        {extra.map((key) => (
          <li key={key} className="card" data-testid="provider-card" data-provider={key}>
            <div className="card-head">
              <h3>{burn_of.get(key)?.label ?? key}</h3>
              <span className="badge badge-stale" title="Daily rows, but no snapshot has been stored">
                no snapshot
              </span>
            </div>
            <p className="card-spend">
              <span className="card-amount">{money(spend.get(key)?.priced ?? 0)}</span>
              <span className="muted"> {period}</span>
            </p>
            <button type="button" className="link card-drill" data-testid="card-drill" onClick={() => drill(key)}>
              Models, agents and days<span className="visually-hidden"> of {burn_of.get(key)?.label ?? key}</span> →
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
