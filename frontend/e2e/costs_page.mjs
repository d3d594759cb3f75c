// The /costs page in Debian's Chromium, driven by playwright-core. Run by tests/integration/
// page_test.cpp, which fills a database with the real costs-sync and starts the servers:
//   COSTS_PAGE_URL    costs-server with data, serving the page and the API (stopped at the end)
//   COSTS_SERVER_PID  its pid, to stop it and see the error state
//   COSTS_EMPTY_URL   costs-server over an empty database
//   COSTS_TOKEN_URL   costs-server wanting COSTS_TOKEN
//   COSTS_ADMIN_TOKEN the first server's admin token (budgets are written on the page)
//   COSTS_SCREENSHOT_DIR, COSTS_VERCEL_JSON (the header policy the page must pass with its own)
// Prints one line per check and "N passed, M failed"; exits 1 on any failure.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { check, chromium_options, finish, launch } from './harness.mjs';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const base = env('COSTS_PAGE_URL');
const shots = env('COSTS_SCREENSHOT_DIR');
const vercel = JSON.parse(readFileSync(env('COSTS_VERCEL_JSON'), 'utf8'));
const csp = vercel.headers[0].headers.find((h) => h.key === 'Content-Security-Policy').value;

// axe-core, injected into the page to audit what a browser shows (WCAG 2 A and AA rules).
const axe_source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');


async function api(path, headers = {}) {
  const r = await fetch(base + path, { headers });
  return r.json();
}

// An accessibility audit of what `on` shows now: no serious or critical violation.
async function audit(on, label) {
  // Evaluated from outside, as DevTools does: the page's own policy rightly refuses an inline
  // script it did not ship.
  if (!(await on.evaluate(() => 'axe' in window))) await on.evaluate(axe_source);
  const found = await on.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] }))
    .violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} ×${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`));
  check(`axe finds no serious or critical violation ${label}`, found.length === 0, found.join('; '));
}

// Whether `selector` shows up on `on` within the default wait: a check, not a crash.
const appears = async (on, selector) => (await on.waitForSelector(selector).catch(() => null)) !== null;

const browser = await launch();

// Every document gets the CSP Vercel sends; violations are collected by the page itself.
await browser.route('**/*', async (route) => {
  if (route.request().resourceType() !== 'document') return route.continue();
  const response = await route.fetch();
  await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': csp } });
});
await browser.addInitScript(() => {
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective));
});

let page;
try {
  page = browser.pages()[0] ?? (await browser.newPage());
  const scripts = new Map();
  const offsite = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.origin !== new URL(base).origin) offsite.push(r.url());
  });
  page.on('response', async (r) => {
    if (r.request().resourceType() === 'script') {
      try {
        scripts.set(r.url(), gzipSync(await r.body()).length);
      } catch {
        // a redirect has no body
      }
    }
  });

  // --- the dashboard against the API -------------------------------------------------------
  await page.goto(`${base}/costs/`, { waitUntil: 'networkidle' });
  await page.waitForSelector('[data-testid="provider-card"]');
  const [summary, latest, burn] = await Promise.all([
    api('/api/costs/summary?tz=UTC'),
    api('/api/costs/latest'),
    api('/api/costs/burn?tz=UTC'),
  ]);
  const micro = async (id) => Number(await page.getAttribute(`[data-testid="${id}"]`, 'data-micro'));
  check('today matches the API', (await micro('today-total')) === summary.periods.today.total_micro_usd,
    `${await micro('today-total')} vs ${summary.periods.today.total_micro_usd}`);
  check('this month matches the API', (await micro('month-total')) === summary.periods.month.total_micro_usd);
  check('this week matches the API', (await micro('week-total')) === summary.periods.week.total_micro_usd);
  check('the forecast matches the API',
    (await micro('forecast')) === summary.forecast.projected_month_end_micro_usd);
  check('the change vs yesterday matches the API',
    (await micro('change')) === summary.change_vs_yesterday.micro_usd);
  const today_text = await page.textContent('[data-testid="today-total"]');
  const cents = Math.round(summary.periods.today.total_micro_usd / 10_000) / 100;
  check('today reads as dollars', today_text.replace(/[$,]/g, '').startsWith(cents.toFixed(2)),
    `${today_text} vs ${cents}`);
  check('the forecast names the monthly budget',
    (await page.textContent('[data-testid="forecast-budget"]')).includes('$100.00'));

  const cards = await page.$$('[data-testid="provider-card"]');
  // One per snapshot (provider and host), plus providers with daily spend but no snapshot yet.
  const daily = await api('/api/costs/daily?days=30');
  const with_snapshot = new Set(latest.providers.map((p) => p.provider));
  const without = new Set(daily.rows.map((r) => r.key).filter((k) => !with_snapshot.has(k)));
  check('one card per provider and host', cards.length === latest.providers.length + without.size,
    `${cards.length} cards, ${latest.providers.length} + ${without.size} in the API`);
  check('a provider with spend but no snapshot still has a card',
    (await page.$('[data-testid="provider-card"][data-provider="anthropic_api"]')) !== null);
  const card = (key) => `[data-testid="provider-card"][data-provider="${key}"]`;
  const freshness = async (key) => (await page.textContent(`${card(key)} [data-testid="freshness"]`)) ?? '';
  check('a fresh snapshot says fresh', (await freshness('openrouter')).includes('fresh'));
  check('a 5 h old local snapshot says stale', (await freshness('codex_local')).includes('stale'));
  check('a 30 h old API snapshot says dead', (await freshness('brave')).includes('dead'));
  check('the age reads in hours', (await freshness('brave')).includes('30 h ago'));
  const brave_error = (await page.textContent(`${card('brave')} [data-testid="sync-error"]`).catch(() => '')) ?? '';
  check('a provider whose last sync failed says so on its card',
    brave_error.includes('Last sync failed: key rejected, check BRAVE_API_KEY'), brave_error);
  check('a provider whose last sync failed comes first',
    (await cards[0].getAttribute('data-provider')) === 'brave', await cards[0].getAttribute('data-provider'));
  check('a provider whose last sync worked has no failure line',
    (await page.$(`${card('openrouter')} [data-testid="sync-error"]`)) === null);
  const title = await page.getAttribute(`${card('brave')} [data-testid="freshness"]`, 'title');
  check('the exact time is on hover', /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/.test(title ?? ''), title);
  check('OpenRouter is billed', (await page.textContent(`${card('openrouter')} [data-testid="basis"]`)) === 'billed');
  check('Claude Code on a flat-fee plan says API-equivalent, not estimated',
    (await page.textContent(`${card('claude_local')} [data-testid="basis"]`)) === 'API-equivalent');
  check('Codex without a plan is estimated',
    (await page.$(`${card('codex_local')} [data-testid="basis"]`)) === null ||
      (await page.textContent(`${card('codex_local')} [data-testid="basis"]`)) === 'estimated');
  const or_latest = latest.providers.find((p) => p.provider === 'openrouter');
  check('the balance matches the API',
    Number(await page.getAttribute(`${card('openrouter')} [data-testid="balance"]`, 'data-micro')) ===
      or_latest.balance_micro_usd);
  const or_burn = burn.providers.find((p) => p.provider === 'openrouter');
  const runway = await page.textContent(`${card('openrouter')} [data-testid="runway"]`);
  check('the runway matches the API', runway.includes(String(or_burn.runway_days)), `${runway} vs ${or_burn.runway_days}`);
  // Burn rate and runway: every provider with a balance first, each rate as the API gives it.
  const runway_rows = await page.$$eval('[data-testid="runway-table"] tbody tr', (r) =>
    r.map((x) => [x.getAttribute('data-provider'), Number(x.querySelector('[data-testid="burn-per-day"]').getAttribute('data-micro'))]));
  const with_balance = burn.providers.filter((p) => p.balance_micro_usd !== null).map((p) => p.provider);
  check('the runway table puts the providers with a balance first', with_balance.length >= 2 &&
    JSON.stringify(runway_rows.slice(0, with_balance.length).map(([k]) => k).sort()) === JSON.stringify([...with_balance].sort()),
  JSON.stringify(runway_rows));
  check('each burn rate is the API\'s', runway_rows.length > with_balance.length && runway_rows.every(([k, micro]) =>
    burn.providers.find((p) => p.provider === k)?.per_day_micro_usd === micro), JSON.stringify(runway_rows));
  const or_runway = await page.textContent('[data-testid="runway-table"] tr[data-provider="openrouter"] [data-testid="runway-days"]');
  check('the runway table gives OpenRouter\'s days left and the day it runs out',
    or_runway.includes(String(or_burn.runway_days)) && or_runway.includes(or_burn.runway_until), or_runway);
  const ds_runway = await page.textContent('[data-testid="runway-table"] tr[data-provider="deepseek"]');
  check('a balance with no spend lately says so, not a runway', ds_runway.includes('no spend lately'), ds_runway);
  const claude_days = daily.rows.filter((r) => r.key === 'claude_local');
  const claude_tokens = claude_days.reduce((a, r) => a + r.tokens.input + r.tokens.output + r.tokens.cache_read + r.tokens.cache_write, 0);
  check('tokens on a card cover the same 30 days as its dollars',
    Number(await page.getAttribute(`${card('claude_local')} [data-testid="tokens"]`, 'data-count')) === claude_tokens &&
      claude_tokens > 0 && claude_tokens < (latest.providers.find((p) => p.provider === 'claude_local')?.tokens.total ?? 0),
    `${claude_tokens} in 30 days`);
  check('an unpriced model is shown as unpriced, not $0',
    (await page.$(`${card('claude_local')} [data-testid="unpriced"]`)) !== null);
  const ds_spend = await page.textContent(`${card('deepseek')} [data-testid="card-spend"]`);
  check('a balance-only provider says it has no spend figure, not $0 or unpriced',
    ds_spend.includes('no spend figure'), ds_spend);

  const reconcile = await api('/api/costs/reconcile?days=30&tz=UTC');
  const anthropic = reconcile.pairs.find((p) => p.vendor === 'anthropic');
  const shown = await page.$$eval('[data-testid="reconcile"] tr[data-vendor="anthropic"] td',
    (cells) => cells.map((c) => c.getAttribute('data-micro')));
  check('billed vs estimated matches the API',
    anthropic !== undefined && Number(shown[0]) === anthropic.billed_micro_usd &&
      Number(shown[1]) === anthropic.estimated_micro_usd && anthropic.estimated_micro_usd > 0,
    `${JSON.stringify(shown)} vs ${JSON.stringify(anthropic)}`);
  const unbilled_note = await page.textContent('[data-testid="reconcile-unbilled-anthropic"]', { timeout: 2000 })
    .catch(() => '');
  check('logs on days not billed yet are named apart, not set against the bill',
    anthropic !== undefined && anthropic.unbilled_estimated_micro_usd > 0 &&
      unbilled_note.includes('not billed yet'), `${unbilled_note} ${JSON.stringify(anthropic)}`);
  const day_rows = await page.$$('[data-testid="reconcile-days-anthropic"] tbody tr');
  check('billed vs estimated per day is there too', anthropic !== undefined && day_rows.length === anthropic.days.length,
    `${day_rows.length} rows`);
  check('the 30-day chart is drawn', (await page.$$('[data-testid="daily-chart"] rect')).length > 0);
  // The chart: provider names in the legend and the tooltips, a money axis, and grouping.
  const legend = await page.$$eval('[data-testid="chart-legend"] li',
    (l) => l.map((x) => [x.getAttribute('data-provider'), x.textContent]));
  check('the legend names providers, not keys', legend.length > 0 &&
    legend.every(([key, text]) => text !== key) && legend.some(([, text]) => text === 'Claude Code'), JSON.stringify(legend));
  const tips = await page.$$eval('[data-testid="chart-slot"] title', (t) => t.map((x) => x.textContent).join('\n'));
  check('a bar\'s tooltip gives its day, total and providers by name', tips.includes('Claude Code: $'), tips.slice(0, 200));
  const chart_sum = async () => (await page.$$eval('[data-testid="chart-slot"]',
    (g) => g.map((x) => Number(x.getAttribute('data-micro'))))).reduce((a, b) => a + b, 0);
  const day_sum = await chart_sum();
  check('the chart adds up to the daily rows', day_sum === daily.rows.reduce((a, r) => a + (r.cost_micro_usd ?? 0), 0),
    `${day_sum}`);
  const top_label = await page.textContent('.y-axis span:first-child');
  const highest = Math.max(...(await page.$$eval('[data-testid="chart-slot"]',
    (g) => g.map((x) => Number(x.getAttribute('data-micro'))))));
  check('the money axis tops at the highest day',
    Math.round(Number(top_label.replace(/[$,]/g, '')) * 100) === Math.floor((highest + 5_000) / 10_000),
    `${top_label} vs ${highest}`);
  await page.click('[data-testid="interval-week"]');
  await page.waitForSelector('[data-testid="daily-chart"][data-interval="week"][aria-busy="false"]');
  const weeks = Number(await page.getAttribute('[data-testid="daily-chart"]', 'data-buckets'));
  check('by week: 5 or 6 weeks from Monday, the same total', weeks >= 5 && weeks <= 6 && (await chart_sum()) === day_sum,
    `${weeks} weeks, ${await chart_sum()} vs ${day_sum}`);
  await page.click('[data-testid="interval-month"]');
  await page.waitForSelector('[data-testid="daily-chart"][data-interval="month"][aria-busy="false"]');
  check('by month: the same total', (await chart_sum()) === day_sum, `${await chart_sum()} vs ${day_sum}`);
  check('the heading says the grouping', (await page.textContent('#chart-title')).includes('per month'));
  await page.click('[data-testid="interval-day"]');
  await page.waitForSelector('[data-testid="daily-chart"][data-interval="day"]');
  const icon = await page.getAttribute('link[rel="icon"]', 'href');
  const icon_answer = icon ? await fetch(new URL(icon, base)) : null;
  check('the page has a favicon, served', icon_answer?.status === 200 &&
    (icon_answer.headers.get('content-type') ?? '').startsWith('image/svg+xml'), `${icon} ${icon_answer?.status}`);
  await audit(page, 'on the desktop page (UTC)');
  check('budget bars are shown', (await page.$$('[data-testid="budget"]')).length === 2);
  const log = await page.textContent('[data-testid="sync-log"]');
  check('the sync log shows a failed run and its error', log.includes('auth_failed') && log.includes('BRAVE_API_KEY'));

  // Breakdown tabs work from the keyboard, and headings sort.
  await page.waitForSelector('[data-testid="breakdown-table"][data-by="model"]');
  const models = await page.textContent('[data-testid="breakdown-table"]');
  check('the model breakdown lists the models', models.includes('claude-sonnet-4-6') && models.includes('my-local-model'));
  check('an unpriced model in the breakdown says unpriced', models.includes('unpriced'));
  check('billed spend without models is in the breakdown, not left out',
    models.includes('billed, not itemised by model'), models);
  const by_provider = await api(`/api/costs/breakdown?by=provider&from=${summary.today.slice(0, 8)}01&to=${summary.today}&tz=UTC`);
  // A plan's usage is API-equivalent: in the breakdown, out of the month's spend.
  const covered = new Set((summary.subscriptions ?? []).filter((p) => !p.counts_in_spend).map((p) => p.provider));
  const breakdown_sum = by_provider.rows.filter((r) => !covered.has(r.key))
    .reduce((a, r) => a + (r.priced_cost_micro_usd ?? 0), 0);
  check('the breakdown, less what plans cover, adds up to the month', covered.has('claude_local') &&
    breakdown_sum === summary.periods.month.total_micro_usd, `${breakdown_sum} vs ${summary.periods.month.total_micro_usd}`);
  const claude_month = by_provider.rows.find((r) => r.key === 'claude_local')?.priced_cost_micro_usd ?? -1;
  const plan_line = (await page.textContent('[data-testid="plans"] li[data-provider="claude_local"]').catch(() => '')) ?? '';
  const plan_micro = Number(await page.getAttribute('[data-testid="plans"] li[data-provider="claude_local"]', 'data-micro').catch(() => -2));
  check('the plan shows this month\'s API-equivalent, kept out of spend', plan_micro === claude_month && claude_month > 0 &&
    plan_line.includes('Claude Max') && plan_line.includes('$200.00/month') && plan_line.includes('not counted in spend'),
  `${plan_line} ${plan_micro} vs ${claude_month}`);
  await page.focus('[data-testid="tab-agent"]');
  await page.keyboard.press('Enter');
  check('the agent tab opens from the keyboard',
    await appears(page, '[data-testid="breakdown-table"][data-by="agent"]'));
  await page.click('[data-testid="tab-model"]');
  await page.waitForSelector('[data-testid="breakdown-table"][data-by="model"]');
  await page.click('[data-testid="breakdown-table"] th:nth-child(1) button');
  const first_rows = await page.$$eval('[data-testid="breakdown-table"] tbody th', (t) => t.map((x) => x.textContent));
  // By name as a reader sorts (case aside); the key '' ("not itemised") sorts first.
  const named = first_rows.filter((t) => !t.startsWith('billed, not itemised'));
  check('a heading sorts the table', named.length > 1 &&
    JSON.stringify(named) === JSON.stringify([...named].sort((a, b) => a.localeCompare(b))),
  JSON.stringify(first_rows));

  // Azure's bill by service and resource group, and the providers not set up with what to set.
  const azure = await api('/api/costs/azure?days=30&tz=UTC');
  const by_service = await page.$$eval('[data-testid="azure-service"] tbody tr',
    (rows) => rows.map((r) => [r.querySelector('th').textContent, Number(r.querySelector('td').getAttribute('data-micro'))]));
  check('Azure shows its bill by service, as the API gives it', azure.by_service.length === 2 &&
    JSON.stringify(by_service) === JSON.stringify(azure.by_service.map((r) => [r.service, r.cost_micro_usd])),
  JSON.stringify(by_service));
  check('Azure shows its bill by resource group', (await page.$$('[data-testid="azure-resource-group"] tbody tr')).length ===
    azure.by_resource_group.length && azure.by_resource_group.length === 2);
  const not_set = (await api('/api/providers')).providers.filter((p) => p.status === 'not_configured');
  const listed = await page.$$eval('[data-testid="not-configured"] li', (l) => l.map((x) => x.textContent));
  check('the providers not set up are listed with what to set', not_set.length > 0 && listed.length === not_set.length &&
    listed.some((t) => t.includes(not_set[0].detail)), `${listed.length} vs ${not_set.length}`);

  // --- the date range: every section follows it, and the URL keeps it ------------------------
  const spend_of = (rows) => {
    const by = new Map();
    for (const r of rows) by.set(r.key, (by.get(r.key) ?? 0) + (r.cost_micro_usd ?? 0));
    return by;
  };
  const cards_follow = async (rows, label) => {
    const wrong = [];
    for (const [key, micro] of spend_of(rows)) {
      const shown = await page.getAttribute(`${card(key)} [data-testid="card-spend"]`, 'data-micro').catch(() => null);
      if (shown !== null && Number(shown) !== micro) wrong.push(`${key} ${shown} vs ${micro}`);
    }
    check(`${label}: the provider cards show the range's spend`, wrong.length === 0, wrong.join(', '));
  };
  const breakdown_follows = async (from, to, label) => {
    await page.click('[data-testid="tab-model"]');
    await page.waitForSelector('[data-testid="breakdown-table"][data-by="model"]');
    const want = await api(`/api/costs/breakdown?by=model&from=${from}&to=${to}`);
    const heading = await page.textContent('#breakdown-title');
    const rows_shown = (await page.$$('[data-testid="breakdown-table"] tbody tr')).length;
    check(`${label}: the breakdown covers the range`, rows_shown === want.rows.length,
      `${rows_shown} rows vs ${want.rows.length}; ${heading}`);
  };
  await page.click('[data-testid="range-7d"]');
  check('7 d: the chart has 7 days', await appears(page, '[data-testid="daily-chart"][data-days="7"]'));
  check('7 d: the URL keeps it', new URL(page.url()).searchParams.get('range') === '7d', page.url());
  const from7 = await page.getAttribute('[data-testid="range-text"]', 'data-from');
  check('7 d: from six days before today', from7 === new Date(Date.parse(`${summary.today}T00:00:00Z`) - 6 * 86_400_000)
    .toISOString().slice(0, 10), from7);
  await cards_follow((await api(`/api/costs/daily?from=${from7}&to=${summary.today}&tz=UTC`)).rows, '7 d');
  await breakdown_follows(from7, summary.today, '7 d');
  check('7 d: the headings say so', (await page.textContent('#chart-title')).includes('last 7 days'));

  // CSV: each table downloads as the API gives it with format=csv, named by its range.
  const csv_of = async (testid, path, name) => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }),
      page.click(`[data-testid="${testid}"]`)]);
    const text = readFileSync(await download.path(), 'utf8');
    const want = await (await fetch(`${base}${path}${path.includes('?') ? '&' : '?'}format=csv`)).text();
    check(`${name} downloads as CSV, the API's rows`, text === want && text.split('\r\n').length > 2 &&
      download.suggestedFilename() === `${testid.slice(4)}.csv`, `${download.suggestedFilename()}: ${text.slice(0, 200)}`);
    return text;
  };
  const breakdown_csv = await csv_of(`csv-breakdown-model-${from7}-${summary.today}`,
    `/api/costs/breakdown?by=model&from=${from7}&to=${summary.today}`, 'the breakdown');
  check('the breakdown CSV has dollars, not micro-dollars', breakdown_csv.startsWith('key,calls,cost_usd,'),
    breakdown_csv.slice(0, 80));
  await csv_of(`csv-daily-${from7}-${summary.today}`,
    `/api/costs/timeline?interval=day&from=${from7}&to=${summary.today}&tz=UTC`,
    'the daily series');
  await csv_of('csv-sync-log', '/api/sync/log?limit=10', 'the sync log');

  // A shared link opens on its range; Back returns to the one before.
  await page.goto(`${base}/costs/?range=last-month`, { waitUntil: 'networkidle' });
  await page.waitForSelector('[data-testid="provider-card"]');
  const first_of_month = `${summary.today.slice(0, 8)}01`;
  const last_day = new Date(Date.parse(`${first_of_month}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const lm_from = `${last_day.slice(0, 8)}01`;
  check('a link to last month opens on last month',
    (await page.getAttribute('[data-testid="range-text"]', 'data-from')) === lm_from &&
      (await page.getAttribute('[data-testid="range-text"]', 'data-to')) === last_day &&
      (await page.getAttribute('[data-testid="range-last-month"]', 'aria-pressed')) === 'true');
  check('last month: the chart has each of its days',
    Number(await page.getAttribute('[data-testid="daily-chart"]', 'data-days')) === Number(last_day.slice(8, 10)));
  await cards_follow((await api(`/api/costs/daily?from=${lm_from}&to=${last_day}&tz=UTC`)).rows, 'last month');
  await page.fill('[data-testid="range-from"]', lm_from);
  await page.fill('[data-testid="range-to"]', summary.today);
  await page.click('[data-testid="range-custom"]');
  const span = Math.round((Date.parse(`${summary.today}T00:00:00Z`) - Date.parse(`${lm_from}T00:00:00Z`)) / 86_400_000) + 1;
  check('a custom range applies', await appears(page, `[data-testid="daily-chart"][data-days="${span}"]`));
  const custom_url = new URL(page.url());
  check('a custom range is in the URL', custom_url.searchParams.get('range') === 'custom' &&
    custom_url.searchParams.get('from') === lm_from && custom_url.searchParams.get('to') === summary.today, page.url());
  await breakdown_follows(lm_from, summary.today, 'custom');
  await page.goBack({ waitUntil: 'networkidle' });
  check('Back returns to the range before', await appears(page,
    `[data-testid="daily-chart"][data-days="${Number(last_day.slice(8, 10))}"]`), page.url());
  await page.goto(`${base}/costs/`, { waitUntil: 'networkidle' });
  await page.waitForSelector('[data-testid="provider-card"]');
  check('with no range the page shows 30 days',
    (await page.getAttribute('[data-testid="range-30d"]', 'aria-pressed')) === 'true' &&
      (await page.getAttribute('[data-testid="daily-chart"]', 'data-days')) === '30');

  // --- filters and drill-down: a provider's models, agents and days, kept in the URL --------
  const keys_shown = () => page.$$eval('[data-testid="breakdown-table"] tbody tr', (r) => r.map((x) => x.getAttribute('data-key')));
  const same_keys = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  await page.click(`${card('claude_local')} [data-testid="card-drill"]`);
  check('a card drills down into its provider, kept in the URL',
    await appears(page, '[data-testid="filter-chips"] [data-filter="provider"]') &&
      new URL(page.url()).searchParams.get('provider') === 'claude_local', page.url());
  check('the drill-down opens on the provider\'s models',
    await appears(page, '[data-testid="breakdown-table"][data-by="model"]'));
  const claude_models = await api('/api/costs/breakdown?by=model&provider=claude_local&days=30&tz=UTC');
  const every_model = await api('/api/costs/breakdown?by=model&days=30&tz=UTC');
  check('its models are the provider\'s alone', same_keys(await keys_shown(), claude_models.rows.map((r) => r.key)) &&
    claude_models.rows.length > 0 && claude_models.rows.length < every_model.rows.length,
  `${JSON.stringify(await keys_shown())} vs ${claude_models.rows.length} of ${every_model.rows.length}`);
  const claude_daily = (await api('/api/costs/daily?days=30&tz=UTC&provider=claude_local')).rows;
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="chart-legend"] li').length === 1);
  check('the chart follows the filter', (await chart_sum()) === claude_daily.reduce((a, r) => a + (r.cost_micro_usd ?? 0), 0) &&
    (await page.textContent('[data-testid="chart-legend"]')) === 'Claude Code', `${await chart_sum()}`);
  check('the provider cards keep every provider', (await page.$$('[data-testid="provider-card"]')).length === cards.length);
  await page.click('[data-testid="tab-date"]');
  await page.waitForSelector('[data-testid="breakdown-table"][data-by="date"]');
  const claude_day_rows = await api('/api/costs/breakdown?by=date&provider=claude_local&days=30&tz=UTC');
  check('its days are the provider\'s days', same_keys(await keys_shown(), claude_day_rows.rows.map((r) => r.key)) &&
    claude_day_rows.rows.every((r) => /^\d{4}-\d\d-\d\d$/.test(r.key)), JSON.stringify(await keys_shown()));
  await page.click('[data-testid="tab-model"]');
  await page.waitForSelector('[data-testid="breakdown-table"][data-by="model"]');
  await page.click('[data-testid="breakdown-table"] tr[data-key="claude-sonnet-4-6"] [data-testid="drill"]');
  check('a model drills down into its agents', await appears(page, '[data-testid="breakdown-table"][data-by="agent"]') &&
    new URL(page.url()).searchParams.get('model') === 'claude-sonnet-4-6', page.url());
  const sonnet_agents = await api('/api/costs/breakdown?by=agent&provider=claude_local&model=claude-sonnet-4-6&days=30&tz=UTC');
  const sonnet_shown = await page.$$eval('[data-testid="breakdown-table"] [data-testid="breakdown-cost"]', (c) => c.map((x) => x.textContent));
  check('the agents under two filters are the API\'s', same_keys(await keys_shown(), sonnet_agents.rows.map((r) => r.key)) &&
    sonnet_agents.rows.length > 0 && sonnet_shown.length === sonnet_agents.rows.length,
  `${JSON.stringify(await keys_shown())} vs ${JSON.stringify(sonnet_agents.rows)}`);
  const from30 = await page.getAttribute('[data-testid="range-text"]', 'data-from');
  const filtered_csv = await csv_of(
    `csv-breakdown-agent-${from30}-${summary.today}-provider-claude_local-model-claude-sonnet-4-6`,
    `/api/costs/breakdown?by=agent&from=${from30}&to=${summary.today}&provider=claude_local&model=claude-sonnet-4-6`,
    'a filtered breakdown');
  check('a filtered CSV holds the filtered rows only', filtered_csv.split('\r\n').filter((l) => l).length === sonnet_agents.rows.length + 1);
  const agent_key = (await keys_shown()).find((k) => k) ?? '';
  await page.click(`[data-testid="breakdown-table"] tr[data-key="${agent_key}"] [data-testid="drill"]`);
  check('an agent drills down into its sessions', await appears(page, '[data-testid="sessions-table"]') &&
    new URL(page.url()).searchParams.get('agent') === agent_key, `${agent_key} ${page.url()}`);
  const agent_sessions = await api('/api/costs/sessions?days=30&tz=UTC&provider=claude_local' +
    `&model=claude-sonnet-4-6&agent=${encodeURIComponent(agent_key)}`);
  const session_rows = await page.$$eval('[data-testid="session"]', (r) => r.map((x) =>
    [x.getAttribute('data-session'), x.querySelector('[data-testid="transcript"]')?.textContent ?? '']));
  check('each session shows its id and its transcript file, as the API has them', agent_sessions.rows.length === 1 &&
    JSON.stringify(session_rows) === JSON.stringify(agent_sessions.rows.map((x) => [x.session, x.transcript])) &&
    session_rows[0][0] === '5b9c2f1e-7d4a-4c8e-9a61-2f0e8d3b7c45' &&
    session_rows[0][1].endsWith('/.claude/projects/-home-dev-acme-api/s1.jsonl'),
  `${JSON.stringify(session_rows)} vs ${JSON.stringify(agent_sessions.rows)}`);
  const session_cost = await page.textContent('[data-testid="session-cost"]');
  check('a session with an unpriced call says so, never a whole $ figure',
    agent_sessions.rows[0]?.cost_micro_usd === null && session_cost.includes('unpriced'), session_cost);
  await page.goBack({ waitUntil: 'networkidle' });
  check('Back removes the last filter, not the first',
    await page.waitForSelector('[data-testid="filter-chips"] [data-filter="agent"]', { state: 'detached' }).then(() => true).catch(() => false) &&
      (await page.$('[data-testid="filter-chips"] [data-filter="model"]')) !== null, page.url());
  // OpenRouter's models come from its activity, under their canonical names.
  const or_models = (await api('/api/costs/breakdown?by=model&provider=openrouter&days=30&tz=UTC')).rows;
  const or_model = or_models.map((r) => r.key).find((k) => k !== '') ?? 'none';
  check('OpenRouter\'s activity is itemised by model', or_model !== 'none', JSON.stringify(or_models));
  await page.goto(`${base}/costs/?provider=openrouter&model=${encodeURIComponent(or_model)}`, { waitUntil: 'networkidle' });
  await page.waitForSelector('[data-testid="filter-chips"]');
  await page.click('[data-testid="tab-provider"]');
  await page.waitForSelector('[data-testid="breakdown-table"][data-by="provider"]');
  const or_mini = await api(`/api/costs/breakdown?by=provider&provider=openrouter&model=${encodeURIComponent(or_model)}&days=30&tz=UTC`);
  check('a shared link opens with its filters',
    (await page.$$('[data-testid="filter-chips"] li')).length === 2 && or_mini.rows.length === 1 &&
      Number(await page.getAttribute('[data-testid="breakdown-table"] [data-testid="breakdown-cost"]', 'data-micro')) ===
        or_mini.rows[0].cost_micro_usd && or_mini.rows[0].cost_micro_usd > 0,
  `${or_model}: ${JSON.stringify(or_mini.rows)}`);
  await page.click('[data-testid="filter-clear"]');
  check('Clear filters shows everything again', await page.waitForSelector('[data-testid="filter-chips"]', { state: 'detached' })
    .then(() => true).catch(() => false) && !new URL(page.url()).search.includes('provider'), page.url());
  await page.selectOption('[data-testid="filter-provider"]', 'openrouter');
  check('a provider can be picked from the filter bar', await appears(page, '[data-testid="filter-chips"] [data-filter="provider"]') &&
    new URL(page.url()).searchParams.get('provider') === 'openrouter');
  await page.click('[data-testid="filter-clear"]');
  await page.waitForSelector('[data-testid="filter-chips"]', { state: 'detached' });

  // --- a refresh keeps the figures on screen and says it is refreshing ----------------------
  let release_summary;
  const held = new Promise((resolve) => { release_summary = resolve; });
  await page.route('**/api/costs/summary*', async (route) => { await held; await route.continue(); });
  await page.click('[data-testid="refresh"]');
  check('a refresh says so, keeps the figures and the button waits',
    await appears(page, '[data-testid="refreshing"]') && (await page.isDisabled('[data-testid="refresh"]')) &&
      (await page.$$('[data-testid="provider-card"]')).length === cards.length);
  release_summary();
  check('the refresh ends', await page.waitForSelector('[data-testid="refreshing"]', { state: 'detached' })
    .then(() => true).catch(() => false) && !(await page.isDisabled('[data-testid="refresh"]')));
  await page.unroute('**/api/costs/summary*');

  check('the page passes its Content-Security-Policy',
    (await page.evaluate(() => window.__csp)).length === 0, JSON.stringify(await page.evaluate(() => window.__csp)));
  const own_policy = (await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content')) ?? '';
  check('the page\'s own policy lets it connect to its origin alone',
    own_policy.includes("connect-src 'self';") && own_policy.includes("script-src 'self'"), own_policy);
  check('its scripts are its own files and its own inline scripts by hash, no unsafe-inline',
    /script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+;/.test(own_policy), own_policy);
  const injected = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.head.appendChild(s);
    return window.__injected === true;
  });
  check('a script injected into the page does not run',
    !injected && (await page.evaluate(() => window.__csp)).includes('script-src-elem'),
    JSON.stringify(await page.evaluate(() => window.__csp)));
  check('nothing is fetched from another origin', offsite.length === 0, offsite.join(' '));
  const js = [...scripts.values()].reduce((a, b) => a + b, 0);
  console.log(`JavaScript for /costs: ${(js / 1024).toFixed(1)} KB gzipped in ${scripts.size} files`);
  check('the JavaScript stays under 150 KB gzipped', js > 0 && js < 150 * 1024, `${js} bytes`);
  await page.screenshot({ path: join(shots, 'costs-desktop.png'), fullPage: true });

  // --- dark mode and a 390 px phone ---------------------------------------------------------
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  check('dark mode follows the system', dark === 'rgb(17, 17, 20)', dark);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload({ waitUntil: 'networkidle' });
  await page.waitForSelector('[data-testid="provider-card"]');
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  check('a 390 px phone has no horizontal scroll', widths[0] <= widths[1], `${widths[0]} > ${widths[1]}`);
  const wrapped = await page.$$eval('.badge, .tag', (els) => els
    .filter((e) => e.offsetParent !== null && e.getClientRects().length > 1).map((e) => e.textContent));
  check('on a phone no badge or tag wraps onto two lines', (await page.$$('.badge')).length > 0 && wrapped.length === 0,
    JSON.stringify(wrapped));
  const card_width = await page.$eval('[data-testid="provider-card"]', (c) => c.getBoundingClientRect().width);
  const stats_per_row = await page.$$eval('.overview .stat', (s) => new Set(s.map((x) => x.getBoundingClientRect().top)).size);
  check('on a phone the cards fill the width and the top figures sit two a row',
    card_width > 300 && stats_per_row === 3, `${card_width} px, ${stats_per_row} rows`);
  await audit(page, 'on a 390 px phone');
  await page.screenshot({ path: join(shots, 'costs-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  // --- empty and token states ---------------------------------------------------------------
  const other = await browser.newPage();
  await other.goto(`${env('COSTS_EMPTY_URL')}/costs/`, { waitUntil: 'networkidle' });
  await other.waitForSelector('[data-testid="empty"]');
  check('no data yet shows how to run the first sync',
    (await other.textContent('[data-testid="empty"]')).includes('costs-sync run'));
  const sources = (await other.textContent('[data-testid="sources"]').catch(() => '')) ?? '';
  check('the empty page says, source by source, what the sync found and what to set',
    sources.includes('OpenRouter: not set up') && sources.includes('OPENROUTER_API_KEY') &&
      sources.includes('no ~/.claude/projects'), sources);
  await other.goto(`${env('COSTS_TOKEN_URL')}/costs/`, { waitUntil: 'networkidle' });
  check('a guarded API asks for its token', await appears(other, '[data-testid="token-form"]'));
  await other.fill('#token', env('COSTS_TOKEN'));
  await other.press('#token', 'Enter');
  await other.waitForSelector('[data-testid="provider-card"]');
  check('with the token the dashboard loads', (await other.$$('[data-testid="provider-card"]')).length === cards.length);
  await other.close();

  // --- browsers outside UTC, east and west, on a desktop and a phone ------------------------
  const other_zones = await chromium.launch(chromium_options());
  try {
    for (const [zone, viewport] of [
      ['Europe/Berlin', { width: 1280, height: 900 }],
      ['America/Los_Angeles', { width: 390, height: 844 }],
      ['Asia/Tokyo', { width: 1280, height: 900 }],
    ]) {
      const context = await other_zones.newContext({ timezoneId: zone, viewport });
      const zoned = await context.newPage();
      const asked = [];
      zoned.on('request', (r) => { if (r.url().includes('tz=')) asked.push(new URL(r.url()).searchParams.get('tz')); });
      await zoned.goto(`${base}/costs/`, { waitUntil: 'networkidle' });
      const loaded = await appears(zoned, '[data-testid="provider-card"]');
      const error = await zoned.$('[data-testid="error"]');
      check(`in ${zone} the dashboard loads`, loaded && error === null,
        error ? await error.textContent() : 'no cards');
      check(`in ${zone} the page asks for its own zone`, asked.length > 0 && asked.every((z) => z === zone),
        JSON.stringify(asked));
      const theirs = await api(`/api/costs/summary?tz=${encodeURIComponent(zone)}`);
      const shown = Number(await zoned.getAttribute('[data-testid="today-total"]', 'data-micro'));
      check(`in ${zone} today is that zone's today`, theirs.time_zone === zone &&
        shown === theirs.periods.today.total_micro_usd, `${shown} vs ${JSON.stringify(theirs.periods.today)}`);
      const widths = await zoned.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      check(`in ${zone} at ${viewport.width} px nothing scrolls sideways`, widths[0] <= widths[1], `${widths}`);
      await audit(zoned, `in ${zone} at ${viewport.width} px`);
      await zoned.click('[data-testid="range-today"]');
      const one_day = await appears(zoned, '[data-testid="daily-chart"][data-days="1"]');
      check(`in ${zone} "Today" is that zone's day`, one_day &&
        (await zoned.getAttribute('[data-testid="range-text"]', 'data-from')) === theirs.today,
        `${await zoned.getAttribute('[data-testid="range-text"]', 'data-from')} vs ${theirs.today}`);
      await context.close();
    }
  } finally {
    await other_zones.close();
  }

  // --- budgets on the page: alert history, then rules added, changed and removed ----------
  await page.reload({ waitUntil: 'networkidle' });
  await page.waitForSelector('[data-testid="provider-card"]');
  const fired = (await page.textContent('[data-testid="alert-history"]').catch(() => '')) ?? '';
  check('the alert history shows an alert and its failed delivery',
    fired.includes('monthly') && fired.includes('failed: ntfy answered 500'), fired);
  check('each spend budget says where its period is heading',
    (await page.$$('[data-testid="budget-forecast"]')).length === (await page.$$('[data-testid="budget"]')).length);
  const rules = async () => (await api('/api/budgets')).budgets;
  const rule_named = async (name) => (await rules()).find((b) => b.name === name);
  const fill_rule = async (name, period, dollars) => {
    await page.fill('[data-testid="budget-name"]', name);
    await page.fill('[data-testid="budget-scope"]', 'total');
    await page.selectOption('[data-testid="budget-period"]', period);
    await page.fill('[data-testid="budget-threshold"]', dollars);
    await page.click('[data-testid="budget-save"]');
  };
  await page.click('[data-testid="budgets-manage"]');
  check('managing budgets asks for the admin token', await appears(page, '[data-testid="admin-token-form"]'));
  await page.fill('#admin-token', 'not-the-admin-token');
  await page.press('#admin-token', 'Enter');
  await page.click('[data-testid="budget-add"]');
  await fill_rule('weekly cap', 'week', '50');
  const refused_text = (await page.textContent('[data-testid="budget-error"]').catch(() => '')) ?? '';
  check('a wrong admin token is refused, said, and asked for again',
    refused_text.includes('refused') && (await appears(page, '[data-testid="admin-token-form"]')) &&
      (await rule_named('weekly cap')) === undefined, refused_text);
  await page.fill('#admin-token', env('COSTS_ADMIN_TOKEN'));
  await page.press('#admin-token', 'Enter');
  check('the admin token stays in this tab\'s session only', await page.evaluate((t) =>
    sessionStorage.getItem('costs.admin_token') === t && !Object.values({ ...localStorage }).includes(t),
  env('COSTS_ADMIN_TOKEN')));
  await fill_rule('weekly cap', 'week', '50');
  const added = await appears(page, '[data-testid="budget"][data-budget="weekly cap"]');
  const stored = await rule_named('weekly cap');
  check('a budget added on the page is the server\'s', added && stored?.threshold_micro_usd === 50_000_000 &&
    stored?.period === 'week', JSON.stringify(stored));
  await page.click('[data-budget="weekly cap"] [data-testid="budget-edit"]');
  await page.fill('[data-testid="budget-threshold"]', '75.5');
  await page.click('[data-testid="budget-save"]');
  await page.waitForSelector('[data-budget="weekly cap"] >> text=$75.50');
  const changed = await rule_named('weekly cap');
  check('a budget changed on the page keeps its id', changed?.id === stored?.id &&
    changed?.threshold_micro_usd === 75_500_000, JSON.stringify(changed));
  await page.click('[data-budget="weekly cap"] [data-testid="budget-delete"]');
  check('a delete asks to be confirmed first', (await rule_named('weekly cap')) !== undefined);
  await page.click('[data-budget="weekly cap"] [data-testid="budget-confirm-delete"]');
  await page.waitForSelector('[data-budget="weekly cap"]', { state: 'detached' });
  check('a budget deleted on the page is gone from the server', (await rule_named('weekly cap')) === undefined);
  // The rest, one at a time: each delete confirmed, then gone from the list before the next.
  const rule_count = () => page.$$eval('[data-testid="budgets"] > li', (l) => l.length);
  for (let n = await rule_count(); n > 0; n = await rule_count()) {
    await page.click('[data-testid="budget-delete"] >> nth=0');
    await page.click('[data-testid="budget-confirm-delete"]');
    await page.waitForFunction((k) => document.querySelectorAll('[data-testid="budgets"] > li').length < k, n);
  }
  const empty_budgets = (await page.textContent('[data-testid="budgets-empty"]').catch(() => '')) ?? '';
  check('with no budgets the page explains how to add the first', empty_budgets.includes('No budgets yet') &&
    empty_budgets.includes('costs-sync budgets add') && (await rules()).length === 0,
  `${empty_budgets} ${JSON.stringify(await rules())}`);

  // --- Sync now: the server's sync trigger, its progress and result -------------------------
  // The admin token is in this tab's session from the budgets above: no second prompt.
  await page.click('[data-testid="sync-now"]');
  const ended = await page.waitForFunction(() => /Synced|failed|refused|answered/.test(
    document.querySelector('[data-testid="sync-status"]')?.textContent ?? ''), null, { timeout: 90_000 })
    .then(() => true).catch(() => false);
  const sync_text = (await page.textContent('[data-testid="sync-status"]').catch(() => '')) ?? '';
  const sync_state = await api('/api/sync');
  const logged = (await api('/api/sync/log?all=true&limit=500')).rows.filter((r) => r.run_id === sync_state.latest?.run_id);
  check('Sync now runs a sync and says how it ended', ended && sync_text.includes('Synced') &&
    sync_state.latest?.status === 'finished' && logged.length > 0,
  `${sync_text} ${JSON.stringify(sync_state.latest)?.slice(0, 200)} ${logged.length} log rows`);
  check('the button is back once the sync has ended',
    (await page.textContent('[data-testid="sync-now"]')) === 'Sync now');

  // --- the API stops: the page says so ------------------------------------------------------
  process.kill(Number(env('COSTS_SERVER_PID')), 'SIGTERM');
  let error_shown = false;
  for (let i = 0; i < 50 && !error_shown; i += 1) {  // until the server has gone
    await page.click('[data-testid="refresh"]');
    error_shown = (await page.waitForSelector('[data-testid="error"]', { timeout: 200 }).catch(() => null)) !== null;
  }
  check('with the API stopped the page shows its error state', error_shown);
  if (error_shown) {
    check('the error says the API cannot be reached',
      (await page.textContent('[data-testid="error"]')).includes('cannot be reached'),
      await page.textContent('[data-testid="error"]'));
    check('the last figures stay on screen', (await page.$$('[data-testid="provider-card"]')).length === cards.length);
    const stale = (await page.textContent('[data-testid="stale-age"]').catch(() => '')) ?? '';
    const loaded_at = Number(await page.getAttribute('[data-testid="stale-age"]', 'data-loaded-at').catch(() => 0));
    check('the page says how old the figures on screen are', stale.includes('may be out of date') &&
      / ago|just now/.test(stale) && loaded_at > 0 && loaded_at <= Date.now(), stale);
  }
} catch (e) {
  // What the page showed when a wait ran out says more than the wait.
  const shown = page ? await page.textContent('main', { timeout: 2000 }).catch(() => '') : '';
  check('the browser run finished', false, `${e.stack ?? String(e)}\nat ${page?.url()} the page showed: ${shown}`);
} finally {
  await browser.close();
}
finish();
