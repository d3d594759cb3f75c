// After `next build`: gives each exported HTML file its Content-Security-Policy as the first
// element of <head>. The API's origin is only known at build time (NEXT_PUBLIC_COSTS_API_URL),
// so it cannot sit in vercel.json; the policy lets the page connect to its own origin and that
// one. Scripts run from the page's origin, or inline only when their SHA-256 is listed: the
// export's own inline scripts are hashed here, so an injected one does not run.
// vercel.json's header adds what a <meta> policy cannot carry (frame-ancestors).
//   node scripts/csp.mjs [OUT_DIR]     (OUT_DIR: COSTS_PAGE_OUT, else out)
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function fail(message) {
  console.error(`csp: ${message}`);
  process.exit(1);
}

const out = process.argv[2] ?? process.env.COSTS_PAGE_OUT ?? 'out';
const raw = (process.env.NEXT_PUBLIC_COSTS_API_URL ?? '').trim();
let api = '';
if (raw !== '') {
  let url;
  try {
    url = new URL(raw);
  } catch {
    fail(`NEXT_PUBLIC_COSTS_API_URL '${raw}' is not a URL: set it to where costs-server answers, e.g. https://costs-api.example.org`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    fail(`NEXT_PUBLIC_COSTS_API_URL must be an http(s) URL, not '${url.protocol}'`);
  if (url.username || url.password || url.search || url.hash)
    fail('NEXT_PUBLIC_COSTS_API_URL must be a plain URL, with no credentials, query or fragment');
  api = url.origin;
} else if (process.env.VERCEL) {
  // On Vercel nothing answers /api/* beside the page: a build without the API would show an
  // error to every visitor, so it is refused here with what to do.
  fail("NEXT_PUBLIC_COSTS_API_URL is not set: in the Vercel project's settings, set it to your costs-server's URL (https://...), and redeploy");
}

const policy = (hashes) => [
  "default-src 'self'",
  `script-src 'self'${hashes.map((h) => ` '${h}'`).join('')}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  `connect-src 'self'${api ? ` ${api}` : ''}`,
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

const stale = /<meta http-equiv="Content-Security-Policy" content="[^"]*"\/>/;
// An inline script's body, as the browser hashes it (no src: a src script is 'self').
const inline = /<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g;

function html_files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? html_files(join(dir, e.name)) : e.name.endsWith('.html') ? [join(dir, e.name)] : []);
}

let files;
try {
  files = html_files(out);
} catch {
  fail(`no ${out}/: run next build first`);
}
for (const file of files) {
  const text = readFileSync(file, 'utf8').replace(stale, '');
  if (!text.includes('<head>')) fail(`${file} has no <head>`);
  const hashes = [...new Set([...text.matchAll(inline)].map(
    (m) => `sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}`))];
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policy(hashes)}"/>`;
  // After the charset, which belongs in the first bytes; before anything the policy governs.
  const charset = '<meta charSet="utf-8"/>';
  const at = text.indexOf('<head>') + '<head>'.length;
  const after = text.startsWith(charset, at) ? at + charset.length : at;
  writeFileSync(file, text.slice(0, after) + meta + text.slice(after));
}
console.log(`csp: ${files.length} page(s) may connect to 'self'${api ? ` and ${api}` : ''}`);
