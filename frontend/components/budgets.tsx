'use client';
// Budgets: spend against each rule for its period, coloured by level and by where the period is
// heading; low-balance rules against balances; the alerts that fired and where they went. With
// the server's admin token (kept for this browser session only) rules are added, changed and
// removed here.
import { useEffect, useState } from 'react';
import {
  api_error,
  get_json,
  save_admin_token,
  saved_admin_token,
  send_json,
  type AlertRow,
  type Budget,
  type BudgetBody,
  type BurnProvider,
  type Summary,
} from '@/lib/api';
import { exact_time, money, percent } from '@/lib/format';
import { add_days, days_in } from '@/lib/range';
import AdminTokenForm from './admin_token_form';
import TableWrap from './table_wrap';

// Where a spend rule's period is heading: the month-end forecast for the monthly total (the top
// line's), else the spend so far kept at its pace to the period's end.
function projected_ratio(b: Budget, summary: Summary): number | null {
  if (b.kind !== 'spend' || b.threshold_micro_usd <= 0 || b.spent_micro_usd === undefined) return null;
  if (b.scope === 'total' && b.period === 'month') {
    return summary.forecast.projected_month_end_micro_usd / b.threshold_micro_usd;
  }
  if (!b.from) return null;
  const month_end = add_days(`${add_days(`${b.from.slice(0, 8)}01`, 32).slice(0, 8)}01`, -1);
  const last = b.period === 'day' ? b.from : b.period === 'week' ? add_days(b.from, 6) : month_end;
  const elapsed = days_in({ from: b.from, to: summary.today });
  return (b.spent_micro_usd * (days_in({ from: b.from, to: last }) / Math.max(1, elapsed))) / b.threshold_micro_usd;
}

const blank: BudgetBody = { name: '', kind: 'spend', scope: 'total', period: 'month', threshold_usd: '', warn_ratio: '0.8' };

function body_of(b: Budget): BudgetBody {
  return {
    name: b.name,
    kind: b.kind,
    scope: b.scope,
    period: b.period,
    threshold_usd: String(b.threshold_micro_usd / 1_000_000),
    warn_ratio: String(b.warn_ratio),
  };
}

function RuleForm({
  initial,
  scopes,
  onSave,
  onCancel,
}: {
  initial: BudgetBody;
  scopes: string[];
  onSave: (b: BudgetBody) => void;
  onCancel: () => void;
}) {
  const [b, setB] = useState(initial);
  const set = (k: keyof BudgetBody) => (e: { target: { value: string } }) => setB({ ...b, [k]: e.target.value });
  return (
    <form
      className="rule-form"
      data-testid="budget-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(b);
      }}
    >
      <label>
        Name <input value={b.name} onChange={set('name')} data-testid="budget-name" />
      </label>
      <label>
        Kind{' '}
        <select value={b.kind} onChange={set('kind')} data-testid="budget-kind">
          <option value="spend">spend over a period</option>
          <option value="low_balance">balance under</option>
        </select>
      </label>
      <label>
        Scope{' '}
        <input value={b.scope} onChange={set('scope')} list="budget-scopes" required data-testid="budget-scope" />
        <datalist id="budget-scopes">
          {scopes.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </label>
      {b.kind === 'spend' && (
        <label>
          Per{' '}
          <select value={b.period} onChange={set('period')} data-testid="budget-period">
            <option value="day">day</option>
            <option value="week">week</option>
            <option value="month">month</option>
          </select>
        </label>
      )}
      <label>
        Dollars{' '}
        <input
          value={b.threshold_usd}
          onChange={set('threshold_usd')}
          inputMode="decimal"
          required
          data-testid="budget-threshold"
        />
      </label>
      {b.kind === 'spend' && (
        <label>
          Warn at{' '}
          <input value={b.warn_ratio} onChange={set('warn_ratio')} inputMode="decimal" data-testid="budget-warn" />
        </label>
      )}
      <span className="rule-actions">
        <button type="submit" data-testid="budget-save">
          Save
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </span>
    </form>
  );
}

export default function Budgets({
  summary,
  burn,
  token,
  reload,
}: {
  summary: Summary;
  burn: BurnProvider[];
  token: string;
  reload: () => void;
}) {
  const [admin, setAdmin] = useState('');
  const [managing, setManaging] = useState(false);
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [message, setMessage] = useState('');
  const [alerts, setAlerts] = useState<AlertRow[] | null>(null);
  useEffect(() => setAdmin(saved_admin_token()), []);
  useEffect(() => {
    let live = true;
    get_json<{ rows: AlertRow[] }>('/api/alerts?limit=20', token)
      .then((r) => live && setAlerts(r.rows))
      .catch(() => live && setAlerts(null));
    return () => {
      live = false;
    };
  }, [token, summary.generated_at]);

  const balance_of = new Map(burn.map((b) => [b.provider, b]));
  const scopes = ['total', ...burn.map((b) => `provider:${b.provider}`)];
  const write = async (method: string, path: string, body?: BudgetBody) => {
    try {
      await send_json(method, path, admin, body);
      setEditing(null);
      setConfirming(null);
      setMessage('');
      reload();
    } catch (e) {
      if (e instanceof api_error && e.kind === 'unauthorized') {
        save_admin_token('');
        setAdmin('');
      }
      setMessage(e instanceof Error ? e.message : String(e));
    }
  };
  const can_edit = managing && admin !== '';

  const actions = (b: Budget) =>
    can_edit && (
      <span className="rule-actions">
        <button type="button" onClick={() => setEditing(b.id)} data-testid="budget-edit">
          Edit
        </button>
        {confirming === b.id ? (
          <button type="button" className="danger" onClick={() => void write('DELETE', `/api/budgets/${b.id}`)} data-testid="budget-confirm-delete">
            Delete “{b.name || b.scope}”
          </button>
        ) : (
          <button type="button" onClick={() => setConfirming(b.id)} data-testid="budget-delete">
            Delete
          </button>
        )}
      </span>
    );

  return (
    <section aria-labelledby="budgets-title" data-testid="budgets-section">
      <div className="section-head">
        <h2 id="budgets-title">Budgets</h2>
        <button type="button" onClick={() => setManaging(!managing)} aria-expanded={managing} data-testid="budgets-manage">
          {managing ? 'Done' : 'Manage'}
        </button>
      </div>
      {message && (
        <p role="alert" className="notice error" data-testid="budget-error">
          {message}
        </p>
      )}
      {managing && admin === '' && (
        <AdminTokenForm
          onToken={(t) => {
            setAdmin(t);
            setMessage('');
          }}
        />
      )}
      {summary.budgets.length === 0 && editing !== 'new' && (
        <div className="notice" data-testid="budgets-empty">
          <p>
            <strong>No budgets yet.</strong> A budget warns you before the money is gone: a cap on spend per day, week or
            month (for everything, one provider, agent or model), or a floor under a provider’s balance.
          </p>
          <p>
            Add one here with <em>Manage</em> and the server’s admin token, or on the command line:{' '}
            <code>costs-sync budgets add --scope total --period month --threshold 100</code> (alerts go where its
            --webhook, --slack, --telegram or --ntfy say)
          </p>
        </div>
      )}
      <ul className="budgets" data-testid="budgets">
        {summary.budgets.map((b) => {
          if (editing === b.id) {
            return (
              <li key={b.id}>
                <RuleForm
                  initial={body_of(b)}
                  scopes={scopes}
                  onSave={(body) => void write('PUT', `/api/budgets/${b.id}`, body)}
                  onCancel={() => setEditing(null)}
                />
              </li>
            );
          }
          if (b.kind === 'low_balance') {
            const p = balance_of.get(b.scope.replace(/^provider:/, ''));
            return (
              <li key={b.id} className={p?.low_balance ? 'level-exceeded' : 'level-ok'} data-testid="low-balance-rule">
                <span>
                  {b.name || b.scope}: balance {money(p?.balance_micro_usd ?? null)} (alert under{' '}
                  {money(b.threshold_micro_usd)})
                </span>
                {actions(b)}
              </li>
            );
          }
          const ratio = b.used_ratio ?? 0;
          const heading = projected_ratio(b, summary);
          const over = heading !== null && heading >= 1;
          return (
            <li
              key={b.id}
              className={`level-${b.level}${over ? ' forecast-over' : ''}`}
              data-testid="budget"
              data-budget={b.name}
              data-level={b.level}
              data-forecast-over={over}
            >
              <div className="budget-line">
                <span>
                  {b.name || b.scope} <span className="muted">({b.scope}, per {b.period})</span>
                </span>
                <span>
                  {money(b.spent_micro_usd ?? 0)} of {money(b.threshold_micro_usd)}
                  {b.level !== 'ok' && <span className={`tag tag-${b.level}`}>{b.level === 'warn' ? 'warning' : 'exceeded'}</span>}
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
                {heading !== null && (
                  <i className="bar-forecast" style={{ left: `${Math.min(100, heading * 100)}%` }} aria-hidden="true" />
                )}
              </div>
              {heading !== null && (
                <span className={`stat-note${over ? ' over' : ''}`} data-testid="budget-forecast">
                  {over ? 'On course to exceed it' : 'On course to stay under'}: {percent(heading)} by the end of the {b.period}
                </span>
              )}
              {actions(b)}
            </li>
          );
        })}
      </ul>
      {can_edit &&
        (editing === 'new' ? (
          <RuleForm
            initial={blank}
            scopes={scopes}
            onSave={(body) => void write('POST', '/api/budgets', body)}
            onCancel={() => setEditing(null)}
          />
        ) : (
          <button type="button" onClick={() => setEditing('new')} data-testid="budget-add">
            Add a budget
          </button>
        ))}
      {alerts !== null && alerts.length > 0 && (
        <TableWrap label="Alerts fired">
          <table data-testid="alert-history">
            <caption>Alerts fired</caption>
            <thead>
              <tr>
                <th scope="col">Fired</th>
                <th scope="col">Budget</th>
                <th scope="col">Level</th>
                <th scope="col" className="num">
                  Spent
                </th>
                <th scope="col">Delivered</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => (
                <tr key={a.id} className={a.delivery_error ? 'row-bad' : ''} data-testid="alert-row">
                  <td>{exact_time(a.fired_at)}</td>
                  <td>{a.budget || a.scope}</td>
                  <td>{a.level}</td>
                  <td className="num">
                    {money(a.spent_micro_usd)} of {money(a.threshold_micro_usd)}
                  </td>
                  <td data-testid="alert-delivery">
                    {a.delivered_at
                      ? `to ${a.delivered_channels.join(', ') || 'every channel'}`
                      : a.delivery_error
                        ? `failed: ${a.delivery_error}`
                        : a.delivered_channels.length > 0
                          ? `to ${a.delivered_channels.join(', ')}, others pending`
                          : 'pending'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
