// Idle memory of the whole fleet as `npm start` runs it: the resident set of every process it
// started (services, nginx master and workers, the local ChromaDB and identity provider), next to a
// bare idle Node process measured in the same run as the baseline.
// Goals (issue 17): every process of a role under its idle RSS goal (gateway/local's
// runtime-profiles.ts: 80 MB an HTTP instance, 120 MB a worker), the whole fleet under 1.5 GB.
// RSS counts the pages of the node binary that every process maps (~55 MB each, shared): PSS,
// which splits shared pages between the processes that map them, is printed beside it as what the
// fleet really takes from the machine, and each goal is judged both ways.
// Usage: npm run bench:memory   (GATEWAY_PORT overrides the port, default 18080 to stay clear of a
// dev fleet; IDLE_SECONDS the wait after the gateway is healthy, default 10)
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { recordBenchResults } from '../lib/results.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const port = process.env.GATEWAY_PORT ?? '18080';
const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 10);
const GOAL_BYTES = 1.5 * 1024 ** 3;
const MB = 1024 ** 2;
const toMb = (bytes) => Math.round(bytes / MB);

/** Resident and proportional set of a process, in bytes (0 when it is gone). */
function memoryOf(pid) {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (name) => Number(rollup.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0) * 1024;
    return { rss: field('Rss'), pss: field('Pss') };
  } catch {
    return { rss: 0, pss: 0 };
  }
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

/** A service instance's group (`vision-worker`), script and Node options; other processes by their command line. */
function describe(pid) {
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  const instance = env.find((line) => line.startsWith('INSTANCE_ID='))?.slice('INSTANCE_ID='.length);
  if (!instance) return { label: argv.join(' ').slice(0, 70) };
  const script = argv.slice(1).find((arg) => !arg.startsWith('-')) ?? '';
  const options = argv.slice(1, argv.indexOf(script)).join(' ');
  return { label: `${instance} (${path.basename(script)})`, group: instance.replace(/-\d+$/, ''), options };
}

async function waitForGateway(fleet, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fleet.exitCode !== null) throw new Error(`the launcher exited (code ${fleet.exitCode}) before the fleet was healthy`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/base_api/health`)).ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the fleet did not become healthy on :${port} within ${timeoutMs / 1000} s`);
}

const mb = (bytes) => `${(bytes / MB).toFixed(1)} MB`;
const load = () => os.loadavg().map((value) => value.toFixed(2)).join(' ');
const sum = (rows, key) => rows.reduce((total, row) => total + row[key], 0);

const loadAtStart = load();
const baseline = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
const fleet = spawn('node', ['tools/start.mjs'], { cwd: root, env: { ...process.env, GATEWAY_PORT: port }, stdio: ['ignore', 'ignore', 'inherit'] });
try {
  await waitForGateway(fleet, 180_000);
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  // Built by tools/start.mjs by now; the role table is what the launcher started each instance with.
  const { PROCESS_ROLES, RUNTIME_PROFILES } = await import(pathToFileURL(path.join(root, 'gateway/local/dist/src/runtime-profiles.js')).href);
  const rows = tree(fleet.pid)
    .filter((pid) => pid !== fleet.pid)
    .map((pid) => ({ ...describe(pid), ...memoryOf(pid) }))
    .filter((row) => row.rss > 0)
    .map((row) => ({ ...row, role: row.group ? PROCESS_ROLES[row.group] : undefined }));
  const baselineRss = memoryOf(baseline.pid).rss;
  console.log(`\nIdle fleet after ${IDLE_SECONDS} s (gateway :${port})`);
  console.table(
    rows.map((row) => ({ process: row.label, role: row.role ?? '', 'node options': row.options ?? '', rss: mb(row.rss), pss: mb(row.pss), 'x bare node': (row.rss / baselineRss).toFixed(2) })),
  );

  const services = rows.filter((row) => row.role);
  console.log('\nPer role (service instances):');
  console.table(
    Object.entries(RUNTIME_PROFILES)
      .map(([role, profile]) => ({ role, profile, members: services.filter((row) => row.role === role) }))
      .filter(({ members }) => members.length > 0)
      .map(({ role, profile, members }) => {
        const rss = members.map((row) => row.rss);
        const pss = members.map((row) => row.pss);
        const goal = profile.idleRssGoalMb * MB;
        const verdict = (values) => (Math.max(...values) <= goal ? 'yes' : 'NO');
        return { role, processes: members.length, 'rss min': mb(Math.min(...rss)), 'rss max': mb(Math.max(...rss)), 'pss max': mb(Math.max(...pss)), goal: `${profile.idleRssGoalMb} MB`, 'met as rss': verdict(rss), 'met as pss': verdict(pss) };
      }),
  );

  const total = sum(rows, 'rss');
  console.log(`baseline (bare idle node): ${mb(baselineRss)}; launcher itself: ${mb(memoryOf(fleet.pid).rss)}`);
  console.log(`service instances (${services.length}): rss ${mb(sum(services, 'rss'))}, pss ${mb(sum(services, 'pss'))}`);
  const totalPss = sum(rows, 'pss');
  const within = (bytes) => (bytes < GOAL_BYTES ? 'within' : 'OVER');
  console.log(`total of fleet processes (${rows.length}): rss ${mb(total)} (${within(total)} the ${mb(GOAL_BYTES)} goal), pss ${mb(totalPss)} (${within(totalPss)} it)`);
  console.log(`load average at start ${loadAtStart}, at measurement ${load()} (${os.availableParallelism()} cpus)`);
  // The largest instance of each group, as `npm run capacity` reads it for services no bench loads.
  const idle = {};
  for (const row of services) idle[row.group] = Math.max(idle[row.group] ?? 0, toMb(row.rss));
  recordBenchResults(
    'memory',
    {
      idle_rss_mb: idle,
      largest_service_mb: Math.max(0, ...Object.values(idle)),
      total_mb: toMb(total),
      total_pss_mb: toMb(sum(rows, 'pss')),
      service_pss_mb: toMb(sum(services, 'pss')),
      processes: rows.length,
      bare_node_mb: toMb(baselineRss),
    },
    { conditions: { idleSeconds: IDLE_SECONDS } },
  );
} finally {
  baseline.kill();
  if (fleet.exitCode === null && fleet.signalCode === null) {
    fleet.kill('SIGINT');
    await new Promise((resolve) => fleet.once('exit', resolve));
  }
}
