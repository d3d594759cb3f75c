// The token-dashboard plugin: OpenClaw's gateway answers from costs-server, which holds every
// provider's spend, balances and runway. The plugin keeps no copy of any key: it reads the
// server's figures, with the server's read token taken from the environment when it has one.

const DEFAULTS = {
  costsApiUrl: 'http://127.0.0.1:8080',
  costsApiTokenEnv: 'COSTS_API_TOKEN',
  pollIntervalMinutes: 15,
  historyRetentionDays: 90,
  alertThresholds: {},
};

const MICRO = 1_000_000;
const usd = (micro) => (micro === null || micro === undefined ? null : micro / MICRO);

/** Reads one costs-server route; throws an Error that says what to do. */
async function read(config, path) {
  const base = config.costsApiUrl.replace(/\/+$/, '');
  const token = process.env[config.costsApiTokenEnv];
  let response;
  try {
    response = await fetch(base + path, {
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
    const why = body?.error?.message ?? `HTTP ${response.status}`;
    throw new Error(`costs-server answered ${path} with ${response.status}: ${why}`);
  }
  return body;
}

/** Balances, burn rates and runway, one entry per provider. */
export async function status(config) {
  const burn = await read(config, '/api/costs/burn');
  return {
    generatedAt: burn.generated_at,
    today: burn.today,
    timeZone: burn.time_zone,
    total: {
      perHourUsd: usd(burn.total.per_hour_micro_usd),
      perDayUsd: usd(burn.total.per_day_micro_usd),
      perWeekUsd: usd(burn.total.per_week_micro_usd),
    },
    providers: burn.providers.map(
        (p) => ({
          provider: p.provider,
          label: p.label,
          basis: p.basis,
          todayUsd: usd(p.today_micro_usd),
          perDayUsd: usd(p.per_day_micro_usd),
          balance: p.balance_micro_usd === null ? null : usd(p.balance_micro_usd),
          currency: p.currency,
          runwayDays: p.runway_days,
          runwayUntil: p.runway_until,
          lowBalance: lowBalance(config, p),
        })),
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

/** Spend per day, week or month and provider. */
export async function history(config, params = {}) {
  const interval = {daily: 'day', weekly: 'week', monthly: 'month'}[params.period ?? 'daily'];
  if (!interval) throw new Error('period is daily, weekly or monthly');
  const days = Number.isInteger(params.days) ? params.days : 30;
  const timeline = await read(config, `/api/costs/timeline?interval=${interval}&days=${days}`);
  return {
    period: params.period ?? 'daily',
    from: timeline.from,
    to: timeline.to,
    rows:
        timeline.rows.map((r) => ({
                            date: r.date,
                            provider: r.key,
                            costUsd: usd(r.cost_micro_usd),  // null: part of it could not be priced
                            tokens: r.tokens,
                          })),
  };
}

/** Which providers are configured where costs-server runs, and how each was found. */
export async function providers(config) {
  const answer = await read(config, '/api/providers');
  return {
    configured: answer.configured,
    providers: answer.providers.map((p) => ({
                                      provider: p.provider,
                                      label: p.label,
                                      status: p.status,
                                      detectedBy: p.detected_by,
                                      detail: p.detail,
                                      hint: p.hint,
                                      lastSync: p.last_sync,
                                    })),
  };
}

const money = (value, currency = 'USD') => value === null || value === undefined ? 'unpriced' :
    currency === 'USD' ? `$${value.toFixed(2)}` :
                         `${value.toFixed(2)} ${currency}`;

/** /tokens and `openclaw tokens`: each balance and how long it lasts, in a few short lines. */
export async function tokensText(config) {
  const s = await status(config);
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
export async function burnText(config) {
  const s = await status(config);
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

// A chat reply that says what went wrong instead of failing silently.
const reply = (make, config) => async () => {
  try {
    return {text: await make(config)};
  } catch (err) {
    return {text: `Token dashboard: ${err instanceof Error ? err.message : String(err)}`};
  }
};

export default {
  id: 'token-dashboard',
  name: 'Token dashboard',
  description: 'Every provider\'s spend, balance, burn rate and runway from costs-server.',
  register(api) {
    const config = {...DEFAULTS, ...(api.pluginConfig ?? {})};
    const method = (name, run) => api.registerGatewayMethod(name, async ({params, respond}) => {
      try {
        respond(true, await run(config, params ?? {}));
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        respond(false, {error: message}, {code: 'UNAVAILABLE', message});
      }
    }, {scope: 'operator.read'});
    method('token-dashboard.status', status);
    method('token-dashboard.history', history);
    method('token-dashboard.providers', providers);

    // Chat: quick answers that bypass the model.
    api.registerCommand({
      name: 'tokens',
      description: 'Balances and runway of every provider',
      handler: reply(tokensText, config)
    });
    api.registerCommand({
      name: 'burn',
      description: 'Spend per hour, day and week',
      handler: reply(burnText, config)
    });

    // `openclaw tokens`, `openclaw tokens history [--period weekly] [--days N]`.
    api.registerCli(({program}) => {
      const print = (make) => async (...args) => {
        try {
          console.log(await make(...args));
        } catch (err) {
          console.error(`openclaw tokens: ${err instanceof Error ? err.message : String(err)}`);
          process.exitCode = 1;
        }
      };
      const tokens = program.command('tokens')
                         .description('Balances, burn and runway from costs-server')
                         .action(print(() => tokensText(config)));
      tokens.command('history')
          .description('Spend per day, week or month and provider')
          .option('--period <period>', 'daily, weekly or monthly', 'daily')
          .option('--days <n>', 'how many days back', '30')
          .action(print(async (opts) => {
            const h = await history(config, {period: opts.period, days: Number(opts.days)});
            return h.rows.map((r) => `${r.date}  ${r.provider.padEnd(16)} ${money(r.costUsd)}`)
                       .join('\n') ||
                'No spend in that period.';
          }));
    }, {
      descriptors: [{
        name: 'tokens',
        description: 'Balances, burn and runway from costs-server',
        hasSubcommands: true
      }]
    });
  },
};
