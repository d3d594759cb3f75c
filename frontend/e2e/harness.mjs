// What the browser tests share: their checks (one line each, then "N passed, M failed") and
// Debian's Chromium as they launch it, in a throwaway profile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

let passed = 0;
let failed = 0;

export function check(name, ok, detail = '') {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok || !detail ? '' : `: ${detail}`}`);
}

/** Prints the tally and exits: 1 when any check failed. */
export function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

/** How Debian's Chromium is launched headless here; `args` are added to its command line. */
export const chromium_options = (args = []) => ({
  executablePath: process.env.COSTS_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', ...args,
  ],
});

/** A context in `timezoneId` with a desktop viewport; close() also removes its profile. */
export async function launch({ timezoneId = 'UTC', args = [] } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'costs-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    ...chromium_options(args),
    viewport: { width: 1280, height: 900 },
    timezoneId,
  });
  const close = browser.close.bind(browser);
  browser.close = async () => {
    await close();
    rmSync(profile, { recursive: true, force: true });
  };
  return browser;
}
