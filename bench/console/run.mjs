// The console's budget (issue 14), measured in a real browser (Debian's chromium) against a
// running fleet (`npm start`; FLEET_GATEWAY overrides http://127.0.0.1:8080):
//   - initial JavaScript, gzipped: the entry script and its modulepreloads (goal <= 250 KB);
//   - overview interactive: navigation to / (signed in: keycloak-js's silent round trip through
//     /keycloak included) until the instances table shows data (goal <= 1.5 s);
//   - page change: a click in the navigation until the new page shows data (goal p50 <= 300 ms).
// Baseline in the same run: navigation to a bare static file through the same nginx
// (/assets/<entry>.js, from the browser's cache after the first load), so each figure is also a ratio.
// Usage: npm start (in another terminal), then npm run bench:console   (ROUNDS=10)
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { recordBenchResults } from '../lib/results.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const gateway = process.env.FLEET_GATEWAY ?? 'http://127.0.0.1:8080';
const ROUNDS = Number(process.env.ROUNDS ?? 10);
const USER = { username: 'operator', password: 'operator-dev-password-DEV-ONLY' };
// A page, and what shows it has data (or says it has none).
const PAGES = [
  ['Tickets', '/tickets'],
  ['Robots', '/robots'],
  ['Engineers', '/engineers'],
  ['Shops', '/shops'],
  ['Tools', '/tools'],
  ['Drones', '/drones'],
  ['Translations', '/translations'],
  ['Chat', '/chat'],
  ['Overview', '/'],
];
const DATA_SHOWN = 'main table tbody tr, main [data-testid=empty-state], main [role=log], main [role=alert]';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const p90 = (values) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.9))];
const ms = (value) => `${value.toFixed(0)} ms`;

function initialJavaScript() {
  const dist = path.join(root, 'gateway', 'console', 'dist');
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((match) => match[1]);
  const gzipped = files.reduce((sum, file) => sum + gzipSync(readFileSync(path.join(dist, file))).length, 0);
  return { files, gzipped };
}

const health = await fetch(`${gateway}/healthz`).catch(() => undefined);
if (!health?.ok) {
  console.error(`No fleet at ${gateway}: start one with \`npm start\` first (or set FLEET_GATEWAY).`);
  process.exit(1);
}

const { files, gzipped } = initialJavaScript();
console.log(`load average ${os.loadavg().map((value) => value.toFixed(2)).join(' ')} · ${os.cpus().length} cores · ${ROUNDS} rounds`);
console.log(`initial JavaScript: ${(gzipped / 1024).toFixed(1)} KB gzipped in ${files.length} file(s) (goal <= 250 KB)`);

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const context = await browser.newContext({ baseURL: gateway, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto('/');
  await page.locator('#username').fill(USER.username);
  await page.locator('#password').fill(USER.password);
  await page.locator('#kc-login').click();
  await page.getByTestId('health-base').waitFor({ timeout: 60_000 });

  // Baseline: a navigation to a static file through the same nginx.
  const baseline = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = Date.now();
    await page.goto(files[0]);
    baseline.push(Date.now() - started);
  }

  const overview = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    await page.goto('about:blank');
    const started = Date.now();
    await page.goto('/');
    await page.getByTestId('health-base').waitFor();
    overview.push(Date.now() - started);
  }

  const changes = [];
  for (let round = 0; round < Math.max(2, Math.ceil(ROUNDS / 3)); round += 1) {
    for (const [label, pathname] of PAGES) {
      const started = Date.now();
      await page.getByRole('navigation').getByRole('link', { name: new RegExp(`^${label}`) }).click();
      await page.waitForURL((url) => url.pathname === pathname);
      await page.locator(DATA_SHOWN).first().waitFor();
      changes.push(Date.now() - started);
    }
  }

  const base = median(baseline);
  console.log(`baseline (static file through nginx): p50 ${ms(base)}, p90 ${ms(p90(baseline))}`);
  console.log(`overview interactive: p50 ${ms(median(overview))}, p90 ${ms(p90(overview))} (${(median(overview) / base).toFixed(1)}x the baseline; goal <= 1500 ms)`);
  console.log(`page change to data: p50 ${ms(median(changes))}, p90 ${ms(p90(changes))} over ${changes.length} changes (${(median(changes) / base).toFixed(1)}x the baseline; goal p50 <= 300 ms)`);
  // For the record (bench/lib/results.mjs); the capacity model does not size the console (static files behind nginx).
  recordBenchResults('console', { initial_js_kb_gzip: +(gzipped / 1024).toFixed(1), baseline_p50_ms: base, overview_p50_ms: median(overview), page_change_p50_ms: median(changes) }, { conditions: { rounds: ROUNDS, gateway } });
} finally {
  await browser.close();
}
