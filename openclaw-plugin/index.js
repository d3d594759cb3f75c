// The token-dashboard plugin: OpenClaw's gateway answers from costs-server, which holds every
// provider's spend, balances and runway, or, in local mode, from costs-sync run on this machine.
// It keeps no copy of any key: it reads figures, with costs-server's read token taken from the
// environment when it has one, and local mode's costs-sync reads the keys the gateway's
// environment already holds.

import {mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';

const PLUGIN_ID = 'token-dashboard';
const DEFAULTS = {
  mode: 'server',
  costsApiUrl: 'http://127.0.0.1:8080',
  costsApiTokenEnv: 'COSTS_API_TOKEN',
  costsSyncPath: 'costs-sync',
  pollIntervalMinutes: 15,
  historyRetentionDays: 90,
  alertThresholds: {},
  alertTargets: [],
};

const MICRO = 1_000_000;
const usd = (micro) => (micro === null || micro === undefined ? null : micro / MICRO);
const why = (err) => (err instanceof Error ? err.message : String(err));

/** Micro-dollars from costs-sync's decimal text ("12.345678"), exactly; null stays null. */
export function microOf(decimal) {
  if (decimal === null || decimal === undefined) return null;
  const m = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(String(decimal));
  if (!m) throw new Error(`costs-sync printed an amount that is not one: ${decimal}`);
  const value = Number(m[2]) * MICRO + Number((m[3] ?? '').padEnd(6, '0'));
  return m[1] ? -value : value;
}

/** Reads one costs-server route; throws an Error that says what to do. */
async function read(config, route) {
  const base = config.costsApiUrl.replace(/\/+$/, '');
  const token = process.env[config.costsApiTokenEnv];
  let response;
  try {
    response = await fetch(base + route, {
      headers: token ? {authorization: `Bearer ${token}`} : {},
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new Error(
        `costs-server at ${base} cannot be reached (${
            err.cause?.code ?? err.cause?.errors?.[0]?.code ?? err.message}); ` +
        'start it (scripts/run) or set costsApiUrl');
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const what = body?.error?.message ?? `HTTP ${response.status}`;
    throw new Error(`costs-server answered ${route} with ${response.status}: ${what}`);
  }
  return body;
}

// costs-server: the figures as its routes give them.
function serverSource(config) {
  return {
    burn: () => read(config, '/api/costs/burn'),
    async history(interval, days) {
      const t = await read(config, `/api/costs/timeline?interval=${interval}&days=${days}`);
      return {
        from: t.from,
        to: t.to,
        rows: t.rows.map(
            (r) =>
                ({date: r.date, provider: r.key, costMicro: r.cost_micro_usd, tokens: r.tokens})),
      };
    },
    async providers() {
      const a = await read(config, '/api/providers');
      return {
        configured: a.configured,
        providers: a.providers.map((p) => ({
                                     provider: p.provider,
                                     label: p.label,
                                     status: p.status,
                                     detectedBy: p.detected_by,
                                     detail: p.detail,
                                     hint: p.hint,
                                     lastSync: p.last_sync,
                                   })),
      };
    },
  };
}

// The start of the week (Monday) or month a day falls in, for local mode's history.
function periodStart(date, interval) {
  if (interval === 'month') return `${date.slice(0, 8)}01`;
  if (interval !== 'week') return date;
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

// Local mode: costs-sync on this machine, its JSON turned into costs-server's shapes.
function localSource(config, run) {
  const sync = async (args) => {
    const r = await run([config.costsSyncPath, ...args]);
    if (r.code !== 0) {
      const line = (r.stderr || r.stdout || '').trim().split('\n')[0];
      throw new Error(`costs-sync ${args[0]} failed (exit ${r.code}): ${line}`);
    }
    return JSON.parse(r.stdout);
  };
  return {
    async burn() {
      const b = await sync(['burn', '--format', 'json']);
      return {
        generated_at: new Date().toISOString(),
        today: b.today,
        time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        total: {
          per_hour_micro_usd: microOf(b.per_hour_usd),
          per_day_micro_usd: microOf(b.per_day_usd),
          per_week_micro_usd: microOf(b.per_week_usd),
        },
        providers: b.providers.map((p) => {
          const balance = microOf(p.balance), floor = microOf(p.low_balance);
          return {
            provider: p.provider,
            label: p.label ?? p.provider,
            basis: p.basis,
            today_micro_usd: null,
            per_day_micro_usd: microOf(p.per_day_usd),
            balance_micro_usd: balance,
            currency: p.currency,
            runway_days: p.runway_days,
            runway_until: null,
            low_balance: balance === null || floor === null ? null : balance < floor,
          };
        }),
      };
    },
    async history(interval, days) {
      const h = await sync(['history', '--format', 'json', '--days', String(days)]);
      const sums = new Map();
      for (const r of h.rows) {
        const key = periodStart(r.date, interval);
        sums.set(key, (sums.get(key) ?? 0) + microOf(r.usd));
      }
      return {
        from: h.rows[0]?.date ?? null,
        to: h.rows.at(-1)?.date ?? null,
        rows: [...sums].map(([date, micro]) => ({date, provider: 'all', costMicro: micro})),
      };
    },
    async providers() {
      const list = await sync(['providers', '--json']);
      return {
        configured: list.filter((p) => p.configured).length,
        providers: list.map((p) => ({
                              provider: p.provider,
                              label: p.label,
                              status: p.configured ? 'configured' : 'not_configured',
                              detectedBy: null,
                              detail: null,
                              hint: p.configured ? null : p.reason,
                              lastSync: null,
                            })),
      };
    },
    collect: () =>
        sync(['run', '--json', '--history-retention-days', String(config.historyRetentionDays)]),
  };
}

// Below the plugin's own threshold for the provider (dollar balances only), else the server's
// low-balance rule, else null (nothing to compare).
function lowBalance(config, p) {
  const threshold = config.alertThresholds?.[p.provider]?.balanceUsd;
  if (threshold !== undefined && p.balance_micro_usd !== null && p.currency === 'USD')
    return usd(p.balance_micro_usd) < threshold;
  return p.low_balance;
}

/** Balances, burn rates and runway, one entry per provider. */
export async function status(config, source) {
  const burn = await source.burn();
  return {
    generatedAt: burn.generated_at,
    today: burn.today,
    timeZone: burn.time_zone,
    total: {
      perHourUsd: usd(burn.total.per_hour_micro_usd),
      perDayUsd: usd(burn.total.per_day_micro_usd),
      perWeekUsd: usd(burn.total.per_week_micro_usd),
    },
    providers: burn.providers.map((p) => ({
                                    provider: p.provider,
                                    label: p.label,
                                    basis: p.basis,
                                    todayUsd: usd(p.today_micro_usd),
                                    perDayUsd: usd(p.per_day_micro_usd),
                                    balance: usd(p.balance_micro_usd),
                                    currency: p.currency,
                                    runwayDays: p.runway_days,
                                    runwayUntil: p.runway_until,
                                    lowBalance: lowBalance(config, p),
                                  })),
  };
}

/** Spend per day, week or month and provider. */
export async function history(config, source, params = {}) {
  const period = params.period ?? 'daily';
  const interval = {daily: 'day', weekly: 'week', monthly: 'month'}[period];
  if (!interval) throw new Error('period is daily, weekly or monthly');
  const days = Number.isInteger(params.days) && params.days > 0 ? params.days : 30;
  const h = await source.history(interval, days);
  return {
    period,
    from: h.from,
    to: h.to,
    rows: h.rows.map((r) => ({
                       date: r.date,
                       provider: r.provider,
                       costUsd: usd(r.costMicro),  // null: part of it could not be priced
                       tokens: r.tokens ?? null,
                     })),
  };
}

/** Which providers are configured, and how each was found. */
export const providers = (config, source) => source.providers();

const money = (value, currency = 'USD') => value === null || value === undefined ? 'unpriced' :
    currency === 'USD' ? `$${value.toFixed(2)}` :
                         `${value.toFixed(2)} ${currency}`;

/** /tokens and `openclaw tokens`: each balance and how long it lasts, in a few short lines. */
export async function tokensText(config, source) {
  const s = await status(config, source);
  const lines = s.providers.filter((p) => p.balance !== null).map((p) => {
    const runway = p.runwayDays === null ? '' :
                                           `, about ${Math.floor(p.runwayDays)} days at ` +
            `${money(p.perDayUsd)}/day`;
    return `${p.lowBalance ? 'LOW ' : ''}${p.label}: ${money(p.balance, p.currency)} left${runway}`;
  });
  if (lines.length === 0) lines.push('No provider reports a balance.');
  lines.push(`Spending ${money(s.total.perDayUsd)}/day across providers (last 7 days).`);
  return lines.join('\n');
}

/** /burn: spend per hour, day and week, and the providers that burn most. */
export async function burnText(config, source) {
  const s = await status(config, source);
  const top = [...s.providers]
                  .filter((p) => p.perDayUsd > 0)
                  .sort((a, b) => b.perDayUsd - a.perDayUsd)
                  .slice(0, 3)
                  .map((p) => `${p.label} ${money(p.perDayUsd)}/day`);
  return [
    `Burn: ${money(s.total.perHourUsd)}/hour, ${money(s.total.perDayUsd)}/day, ` +
        `${money(s.total.perWeekUsd)}/week (last 7 days).`,
    top.length ? `Most: ${top.join(', ')}.` : 'Nothing spent in the last 7 days.'
  ].join('\n');
}

/** The alert message for a provider under its threshold. */
export function alertText(config, p) {
  const threshold = config.alertThresholds?.[p.provider]?.balanceUsd;
  const under = threshold === undefined ? '' : ` (your alert is at ${money(threshold)})`;
  const runway = p.runwayDays === null ? '' :
                                         `; about ${Math.floor(p.runwayDays)} days at ` +
          `${money(p.perDayUsd)}/day`;
  return `Low balance: ${p.label} has ${money(p.balance, p.currency)} left${under}${runway}. ` +
      'Top it up before it runs out.';
}

// The low-balance watch: checks at every poll, posts once when a provider drops under its
// threshold (again only after it has been above it), and remembers what it posted across
// restarts, so a gateway restart never repeats an alert.
class alert_watch {
  constructor(api) {
    this.api = api;
    this.last = {at: null, low: [], deliveries: [], error: null};
    this.alerted = {};
    this.file = null;
  }

  async open(stateDir) {
    this.file = path.join(stateDir, PLUGIN_ID, 'alerts.json');
    try {
      const saved = JSON.parse(await readFile(this.file, 'utf8'));
      this.alerted = saved.alerted ?? {};
      this.last = saved.last ?? this.last;
    } catch (err) {
      if (err.code !== 'ENOENT')
        this.api.logger.warn(
            `token-dashboard: ${this.file} unreadable, starting afresh: ${why(err)}`);
    }
  }

  async save() {
    if (!this.file) return;
    await mkdir(path.dirname(this.file), {recursive: true});
    await writeFile(this.file, JSON.stringify({alerted: this.alerted, last: this.last}, null, 2));
  }

  async deliver(config, text) {
    const targets = config.alertTargets ?? [];
    if (targets.length === 0) {
      this.api.logger.warn(`token-dashboard: ${text} (no alertTargets configured)`);
      return [{channel: 'log', to: '', ok: true, error: null}];
    }
    const out = [];
    for (const t of targets) {
      // OpenClaw's own outbound path, with the channel credentials it already holds.
      const argv = [
        process.execPath, process.argv[1], 'message', 'send', '--channel', t.channel, '--target',
        t.to, '--message', text, '--json'
      ];
      if (t.accountId) argv.push('--account', t.accountId);
      let ok = false, error = null;
      try {
        const r = await this.api.runtime.system.runCommandWithTimeout(argv, {timeoutMs: 120_000});
        ok = r.code === 0;
        if (!ok) error = (r.stderr || r.stdout || '').trim().split('\n').at(-1) || `exit ${r.code}`;
      } catch (err) {
        error = why(err);
      }
      if (!ok) this.api.logger.warn(`token-dashboard: alert to ${t.channel} ${t.to}: ${error}`);
      out.push({channel: t.channel, to: t.to, ok, error});
    }
    return out;
  }

  async check(config, source) {
    const at = new Date().toISOString();
    try {
      if (source.collect) await source.collect();
      const s = await status(config, source);
      const low = s.providers.filter((p) => p.lowBalance === true);
      const deliveries = [];
      for (const p of low) {
        if (this.alerted[p.provider]) continue;
        for (const d of await this.deliver(config, alertText(config, p)))
          deliveries.push({provider: p.provider, at, ...d});
        this.alerted[p.provider] = {at, balance: p.balance};
      }
      for (const key of Object.keys(this.alerted))
        if (!low.some((p) => p.provider === key)) delete this.alerted[key];
      this.last = {
        at,
        low: low.map((p) => ({provider: p.provider, label: p.label, balance: p.balance})),
        deliveries: [...deliveries, ...(this.last.deliveries ?? [])].slice(0, 20),
        error: null,
      };
    } catch (err) {
      this.last = {...this.last, at, error: why(err)};
      this.api.logger.warn(`token-dashboard: the balance check failed: ${why(err)}`);
    }
    await this.save();
  }
}

/** The plugin's config as OpenClaw holds it now (a threshold set at runtime included). */
function currentConfig(api) {
  const live = api.runtime?.config?.current?.()?.plugins?.entries?.[PLUGIN_ID]?.config;
  return {...DEFAULTS, ...(live ?? api.pluginConfig ?? {})};
}

/** Sets (a number) or clears (null) one provider's low-balance threshold in OpenClaw's config. */
async function setThreshold(api, provider, balanceUsd) {
  if (typeof provider !== 'string' || !/^[a-z0-9_]+$/.test(provider))
    throw new Error('provider is a provider key, e.g. openrouter');
  if (balanceUsd !== null && !(typeof balanceUsd === 'number' && balanceUsd >= 0))
    throw new Error('balanceUsd is a number of dollars (>= 0), or null to clear it');
  await api.runtime.config.mutateConfigFile({
    afterWrite: {mode: 'auto'},
    mutate(draft) {
      draft.plugins ??= {};
      draft.plugins.entries ??= {};
      const entry = (draft.plugins.entries[PLUGIN_ID] ??= {});
      entry.config ??= {};
      const thresholds = (entry.config.alertThresholds ??= {});
      if (balanceUsd === null)
        delete thresholds[provider];
      else
        thresholds[provider] = {balanceUsd};
    },
  });
}

export default {
  id: PLUGIN_ID,
  name: 'Token dashboard',
  description: 'Every provider\'s spend, balance, burn rate and runway from costs-server.',
  register(api) {
    const run = (argv) => api.runtime.system.runCommandWithTimeout(argv, {timeoutMs: 600_000});
    const context = () => {
      const config = currentConfig(api);
      return {
        config,
        source: config.mode === 'local' ? localSource(config, run) : serverSource(config)
      };
    };
    const watch = new alert_watch(api);
    // The thresholds just set, kept here too: the config file is written at once, but the
    // running gateway may take its reload a moment later.
    // A threshold leaves `pending` once the live config holds it: from then on the config decides,
    // so a later change from the CLI or the file is not overridden by an old one made here.
    const pending = new Map();
    const withPending = (config) => {
      const thresholds = {...config.alertThresholds};
      for (const [k, v] of pending) {
        if ((config.alertThresholds?.[k]?.balanceUsd ?? null) === v)
          pending.delete(k);
        else if (v === null)
          delete thresholds[k];
        else
          thresholds[k] = {balanceUsd: v};
      }
      return {...config, alertThresholds: thresholds};
    };

    /** token-dashboard.alerts: {} reads; {provider, balanceUsd} sets (null clears). */
    async function alerts(params = {}) {
      if (params.provider !== undefined) {
        const value = params.balanceUsd === undefined ? null : params.balanceUsd;
        await setThreshold(api, params.provider, value);
        pending.set(params.provider, value);
      }
      const {config} = context();
      const effective = withPending(config);
      return {
        thresholds: effective.alertThresholds,
        targets: effective.alertTargets.map((t) => ({channel: t.channel, to: t.to})),
        pollIntervalMinutes: effective.pollIntervalMinutes,
        lastCheck: watch.last,
      };
    }

    const method = (name, answer, scope = 'operator.read') =>
        api.registerGatewayMethod(name, async ({params, respond}) => {
          try {
            respond(true, await answer(params ?? {}));
          } catch (err) {
            respond(false, {error: why(err)}, {code: 'UNAVAILABLE', message: why(err)});
          }
        }, {scope});
    const withSource = (make) => (params) => {
      const {config, source} = context();
      return make(withPending(config), source, params);
    };
    method('token-dashboard.status', withSource(status));
    method('token-dashboard.history', withSource(history));
    method('token-dashboard.providers', withSource(providers));
    // Setting a threshold writes OpenClaw's config: a write scope, where reading needs only read.
    method('token-dashboard.alerts', alerts, 'operator.write');

    // Chat: quick answers that bypass the model; a failure is said, never swallowed.
    const reply = (make) => async () => {
      try {
        return {text: await withSource(make)()};
      } catch (err) {
        return {text: `Token dashboard: ${why(err)}`};
      }
    };
    api.registerCommand({
      name: 'tokens',
      description: 'Balances and runway of every provider',
      handler: reply(tokensText)
    });
    api.registerCommand(
        {name: 'burn', description: 'Spend per hour, day and week', handler: reply(burnText)});

    // The low-balance watch, at the configured interval, inside the gateway.
    let timers = [];
    api.registerService({
      id: `${PLUGIN_ID}-alerts`,
      reload: {configPrefixes: [`plugins.entries.${PLUGIN_ID}`]},
      async start(ctx) {
        await watch.open(ctx.stateDir);
        const tick = () => {
          const {config, source} = context();
          return watch.check(withPending(config), source);
        };
        const minutes = Math.max(1, Number(currentConfig(api).pollIntervalMinutes) || 15);
        timers = [setTimeout(tick, 1_000), setInterval(tick, minutes * 60_000)];
        for (const t of timers) t.unref?.();
      },
      stop() {
        for (const t of timers) clearTimeout(t);
        timers = [];
      },
    });

    // `openclaw tokens`, `tokens history [--period weekly] [--days N]`, `tokens alerts
    // [set|clear]`.
    api.registerCli(({program}) => {
      const print = (make) => async (...args) => {
        try {
          console.log(await make(...args));
        } catch (err) {
          console.error(`openclaw tokens: ${why(err)}`);
          process.exitCode = 1;
        }
      };
      const tokens = program.command('tokens')
                         .description('Balances, burn, history and low-balance alerts')
                         .action(print(withSource(tokensText)));
      tokens.command('history')
          .description('Spend per day, week or month and provider')
          .option('--period <period>', 'daily, weekly or monthly', 'daily')
          .option('--days <n>', 'how many days back', '30')
          .action(print(async (opts) => {
            const h = await withSource(history)({period: opts.period, days: Number(opts.days)});
            return h.rows.map((r) => `${r.date}  ${r.provider.padEnd(16)} ${money(r.costUsd)}`)
                       .join('\n') ||
                'No spend in that period.';
          }));
      const alertsCli =
          tokens.command('alerts')
              .description('Low-balance thresholds per provider, and which are under them now')
              .action(print(async () => {
                const {config, source} = context();
                const thresholds = Object.entries(config.alertThresholds ?? {});
                if (thresholds.length === 0)
                  return 'No low-balance alerts. Add one: openclaw tokens alerts set openrouter 10';
                const s = await status(config, source);
                return thresholds
                    .map(([provider, t]) => {
                      const p = s.providers.find((x) => x.provider === provider);
                      const now = p?.balance === null || p === undefined ?
                          'no balance reported' :
                          `${money(p.balance, p.currency)} now${p.lowBalance ? ', LOW' : ''}`;
                      return `${(p?.label ?? provider).padEnd(16)} alert under ${
                          money(t.balanceUsd)} (${now})`;
                    })
                    .join('\n');
              }));
      alertsCli.command('set <provider> <usd>')
          .description('Warn when the provider\'s balance is under this many dollars')
          .action(print(async (provider, amount) => {
            const value = Number(amount);
            if (!Number.isFinite(value)) throw new Error(`${amount} is not a number of dollars`);
            await setThreshold(api, provider, value);
            return `Alert set: ${provider} under ${money(value)}.`;
          }));
      alertsCli.command('clear <provider>')
          .description('Remove the provider\'s low-balance alert')
          .action(print(async (provider) => {
            await setThreshold(api, provider, null);
            return `Alert cleared: ${provider}.`;
          }));
    }, {
      descriptors: [{
        name: 'tokens',
        description: 'Balances, burn, history and low-balance alerts',
        hasSubcommands: true
      }]
    });
  },
};
