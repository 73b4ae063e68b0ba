// Idle memory of the whole fleet as `npm start` runs it: the resident set of every process it
// started (services, nginx master and workers), next to a bare idle Node process measured in the
// same run as the baseline. Goal: all services together under 1.5 GB.
// Usage: npm run bench:memory   (GATEWAY_PORT overrides the port; default 18080 to stay clear of a dev fleet)
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordBenchResults } from '../lib/results.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const port = process.env.GATEWAY_PORT ?? '18080';
const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 10);
const GOAL_BYTES = 1.5 * 1024 ** 3;

function rssBytes(pid) {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return match ? Number(match[1]) * 1024 : 0;
}

function childrenOf(pid) {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function tree(pid) {
  return [pid, ...childrenOf(pid).flatMap(tree)];
}

function describe(pid) {
  const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  const instance = env.find((line) => line.startsWith('INSTANCE_ID='))?.slice('INSTANCE_ID='.length);
  return instance ? `${instance} (${path.basename(cmd.split(' ')[1] ?? cmd)})` : cmd.slice(0, 70);
}

async function waitForGateway(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/base_api/health`)).ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the fleet did not become healthy on :${port} within ${timeoutMs / 1000} s`);
}

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const baseline = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
const fleet = spawn('node', ['tools/start.mjs'], { cwd: root, env: { ...process.env, GATEWAY_PORT: port }, stdio: ['ignore', 'ignore', 'inherit'] });
try {
  await waitForGateway(180_000);
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  const pids = tree(fleet.pid).filter((pid) => pid !== fleet.pid);
  const rows = pids.map((pid) => ({ process: describe(pid), rss: rssBytes(pid) })).filter((row) => row.rss > 0);
  const launcherRss = rssBytes(fleet.pid);
  const total = rows.reduce((sum, row) => sum + row.rss, 0);
  const baselineRss = rssBytes(baseline.pid);
  console.log(`\nIdle fleet after ${IDLE_SECONDS} s (gateway :${port})`);
  console.table(rows.map((row) => ({ process: row.process, rss: mb(row.rss), 'x bare node': (row.rss / baselineRss).toFixed(2) })));
  console.log(`baseline (bare idle node): ${mb(baselineRss)}; launcher itself: ${mb(launcherRss)}`);
  console.log(`total of fleet processes: ${mb(total)} (goal < ${mb(GOAL_BYTES)}): ${total < GOAL_BYTES ? 'OK' : 'OVER'}`);
  // For `npm run capacity` (bench/lib/results.mjs): the largest idle instance of each service (`base-2 (main.js)` -> base).
  const toMb = (bytes) => Math.round(bytes / 1024 / 1024);
  const idle = {};
  for (const row of rows) {
    const service = /^([a-z-]+)-\d+ \(/.exec(row.process)?.[1];
    if (service) idle[service] = Math.max(idle[service] ?? 0, toMb(row.rss));
  }
  recordBenchResults('memory', { idle_rss_mb: idle, largest_service_mb: Math.max(0, ...Object.values(idle)), total_mb: toMb(total), processes: rows.length, bare_node_mb: toMb(baselineRss) }, { conditions: { idleSeconds: IDLE_SECONDS } });
} finally {
  baseline.kill();
  fleet.kill('SIGINT');
  await new Promise((resolve) => fleet.once('exit', resolve));
}
