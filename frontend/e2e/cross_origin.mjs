// The page as Vercel serves it, with costs-server elsewhere: in Debian's Chromium, the page built
// with NEXT_PUBLIC_COSTS_API_URL=http://api.costs.test is served from one origin (with
// vercel.json's headers and redirect) and the API answers from another. Run by
// tests/integration/page_test.cpp:
//   COSTS_API_URL       costs-server, allowing http://page.costs.test (COSTS_CORS_ORIGINS)
//   COSTS_TOKEN         its read token (COSTS_API_TOKEN), as a server reached from the web has
//   COSTS_PAGE_DIR      the page built for that API (frontend/out-cross)
//   COSTS_VERCEL_JSON   the headers and redirects Vercel would apply
// Chromium resolves page.costs.test and other.costs.test to the page's server and
// api.costs.test to costs-server. Prints one line per check and "N passed, M failed".
import { createServer } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { check, finish, launch } from './harness.mjs';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const api_url = env('COSTS_API_URL');
const token = env('COSTS_TOKEN');
const auth = { Authorization: `Bearer ${token}` };
const dir = env('COSTS_PAGE_DIR');
const vercel = JSON.parse(readFileSync(env('COSTS_VERCEL_JSON'), 'utf8'));
const allowed = 'http://page.costs.test';
const refused = 'http://other.costs.test';

// What Vercel does with vercel.json for a static output: its redirects, its headers on every
// path, and a folder's index.html (trailingSlash).
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.svg': 'image/svg+xml', '.txt': 'text/plain', '.json': 'application/json' };
const static_host = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const headers = Object.fromEntries(vercel.headers.flatMap((h) => h.headers.map((x) => [x.key, x.value])));
  const redirect = (vercel.redirects ?? []).find((r) => r.source === path);
  if (redirect) {
    res.writeHead(redirect.permanent ? 308 : 307, { ...headers, Location: redirect.destination });
    return res.end();
  }
  let file = normalize(join(dir, path));
  if (!file.startsWith(normalize(dir))) {
    res.writeHead(400);
    return res.end();
  }
  try {
    if (statSync(file).isDirectory()) file = join(file, 'index.html');
    const body = readFileSync(file);
    res.writeHead(200, { ...headers, 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404, headers);
    res.end('not found');
  }
});
await new Promise((done) => static_host.listen(0, '127.0.0.1', done));
const page_port = static_host.address().port;
const api_port = new URL(api_url).port;

const browser = await launch({
  timezoneId: 'Europe/Berlin',
  args: [`--host-resolver-rules=MAP page.costs.test 127.0.0.1:${page_port}, ` +
    `MAP other.costs.test 127.0.0.1:${page_port}, MAP api.costs.test 127.0.0.1:${api_port}`],
});
await browser.addInitScript(() => {
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
});

try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  const api_calls = [];
  const api_requests = [];
  page.on('request', (r) => {
    if (new URL(r.url()).hostname === 'api.costs.test') api_requests.push(r.url());
  });
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (u.hostname === 'api.costs.test')
      api_calls.push({ path: u.pathname, status: r.status(), allow: r.headers()['access-control-allow-origin'] ?? '' });
  });

  check('vercel.json sends /api/* nowhere: no placeholder host, no rewrite',
    vercel.rewrites === undefined && !/example\.(com|org)/.test(JSON.stringify(vercel)));

  // --- an origin the server allows ---------------------------------------------------------
  const root = await page.goto(`${allowed}/`, { waitUntil: 'networkidle' });
  check('/ redirects to /costs/ as vercel.json says', new URL(page.url()).pathname === '/costs/', page.url());
  check('the page comes with vercel.json\'s headers', root.headers()['x-frame-options'] === 'DENY');
  // The token is asked for once; its requests are preflighted (Authorization) and allowed.
  check('the page asks for the API\'s token', await page.waitForSelector('[data-testid="token-form"]')
    .then(() => true, () => false));
  check('the 401 that asked was readable from this origin',
    api_calls.some((c) => c.status === 401 && c.allow === allowed), JSON.stringify(api_calls.slice(0, 3)));
  api_calls.length = 0;
  await page.fill('#token', token);
  await page.press('#token', 'Enter');
  const shown = await page.waitForSelector('[data-testid="provider-card"]').then(() => true, () => false);
  check('with the token the data loads from the API on another origin', shown);
  const latest = await (await fetch(`${api_url}/api/costs/latest`, { headers: auth })).json();
  const cards = await page.$$('[data-testid="provider-card"]');
  check('one card per provider the API has', cards.length === latest.providers.length,
    `${cards.length} cards, ${latest.providers.length} in the API`);
  const summary = await (await fetch(`${api_url}/api/costs/summary?tz=Europe%2FBerlin`, { headers: auth })).json();
  const month = Number(await page.getAttribute('[data-testid="month-total"]', 'data-micro'));
  check('this month matches the API', month === summary.periods.month.total_micro_usd,
    `${month} vs ${summary.periods.month.total_micro_usd}`);
  check('every API call went to the API\'s origin and was allowed for this one',
    api_calls.length > 0 && api_calls.every((c) => c.allow === allowed && c.status === 200),
    JSON.stringify(api_calls.slice(0, 3)));
  const own = await page.evaluate(() => performance.getEntriesByType('resource')
    .map((e) => new URL(e.name)).filter((u) => u.pathname.startsWith('/api/') && u.hostname !== 'api.costs.test')
    .map((u) => u.href));
  check('nothing asks the page\'s own origin for /api/', own.length === 0, own.join(' '));
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  check('the page\'s policy lets it connect to the API and nowhere else',
    csp?.includes("connect-src 'self' http://api.costs.test;") === true, csp ?? 'no policy');
  check('the page passes its Content-Security-Policy',
    (await page.evaluate(() => window.__csp)).length === 0, JSON.stringify(await page.evaluate(() => window.__csp)));
  const offsite = await page.evaluate(async () => {
    try {
      await fetch('http://elsewhere.costs.test/x');
      return 'fetched';
    } catch {
      return 'blocked';
    }
  });
  check('a connection anywhere else is blocked by the policy',
    offsite === 'blocked' && (await page.evaluate(() => window.__csp)).some((v) => v.startsWith('connect-src')));

  // --- an origin the server does not allow ---------------------------------------------------
  api_calls.length = 0;
  api_requests.length = 0;
  await page.goto(`${refused}/costs/`, { waitUntil: 'networkidle' });
  const error = await page.waitForSelector('[data-testid="error"]').then((e) => e.textContent(), () => '');
  check('a page on an origin the server does not allow cannot read it', (await page.$('[data-testid="provider-card"]')) === null);
  check('and says how to allow it', error.includes('--cors-origin') && error.includes(refused), error);
  check('the page did ask the API', api_requests.length > 0);
  check('no answer let it read', api_calls.every((c) => c.allow === ''), JSON.stringify(api_calls.slice(0, 3)));
  const direct = await fetch(`${api_url}/api/costs/latest`, { headers: { Origin: refused, ...auth } });
  check('the server answers that origin without Access-Control-Allow-Origin, even with the token',
    direct.status === 200 && !direct.headers.has('access-control-allow-origin'));
  const preflight = await fetch(`${api_url}/api/budgets`, {
    method: 'OPTIONS',
    headers: { Origin: refused, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' },
  });
  check('a preflight from that origin is not allowed either', !preflight.headers.has('access-control-allow-origin'));
  const ok_preflight = await fetch(`${api_url}/api/costs/latest`, {
    method: 'OPTIONS',
    headers: { Origin: allowed, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
  });
  check('while the page\'s own origin may send its token',
    ok_preflight.headers.get('access-control-allow-origin') === allowed &&
      /authorization/i.test(ok_preflight.headers.get('access-control-allow-headers') ?? ''));
  const body = await page.content();
  check('the token never shows on the page', !body.includes(token));
} catch (e) {
  check('the cross-origin run finished', false, e.stack);
} finally {
  await browser.close();
  static_host.close();
}
finish();
