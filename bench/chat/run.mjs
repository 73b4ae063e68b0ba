// Chat benchmark: CLIENTS WebSocket clients spread over two base instances through nginx, a ramp
// of message rates into the lobby, the delivery latency of every message to every client
// (p50/p99), next to a baseline of the same load on a bare `ws` + Redis pub/sub server (two
// instances, behind nginx too; issue 17's baseline), and a durable one: the same bare server
// committing each message under the room's next seq before publishing it, so the ratio to it
// shows what the fleet costs beyond storing first. All sides stay connected for the whole run
// and are measured one after the other at each rate (the order rotating), so each ratio comes
// from the same minute of a shared machine. Also the resident memory of each base instance with every client
// connected. Goals: p99 < 100 ms (the ramp reports the highest rate each side keeps under it),
// each base instance < 250 MB at 1,000 clients.
// Usage: npm run bench:chat   (env: CLIENTS=1000 RATE=200 RATES=20,50,100,200 DURATION_MS=10000
// LOAD_PROCS=2; BENCH_PROF_DIR=dir writes a CPU profile of each base instance there)
import { fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { recordBenchResults } from '../lib/results.mjs';
import { cpuMs } from '../lib/proc.mjs';
import { copyTablesIntoSchema } from '../lib/schema-copy.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const { startTestFleet } = require('../../e2e/dist/src');
const { freePort } = require('@fleet/local-fleet');

const CLIENTS = Number(process.env.CLIENTS ?? 1000);
const RATE = Number(process.env.RATE ?? 200);
// RATE is always one of the steps: its figures are the ones recorded for `npm run capacity`.
const RATES = [...new Set([...(process.env.RATES ?? '20,50,100,200').split(',').map(Number), RATE])].sort((a, b) => a - b);
const DURATION_MS = Number(process.env.DURATION_MS ?? 10_000);
const LOAD_PROCS = Number(process.env.LOAD_PROCS ?? 2);
const PROF_DIR = process.env.BENCH_PROF_DIR ? path.resolve(process.env.BENCH_PROF_DIR) : undefined;
const P99_GOAL_MS = 100;
const WARM_UP_MS = 3000;
// The fleet's launcher starts each process in its own session (`detached`), and Linux's autogroup
// scheduler shares the CPU between sessions, not processes: on a busy machine, processes left in
// this script's session would share one slice. So every process of the bench gets its own too.
const OWN_SESSION = { detached: true };
const BUCKET_MS = 0.1;

class LoadProcess {
  constructor() {
    this.child = fork(path.join(here, 'load-worker.mjs'), { ...OWN_SESSION, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.replies = [];
    this.waiting = [];
    this.child.on('message', (message) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter(message);
      else this.replies.push(message);
    });
  }
  next() {
    return this.replies.length ? Promise.resolve(this.replies.shift()) : new Promise((resolve) => this.waiting.push(resolve));
  }
  async ask(command) {
    this.child.send(command);
    return this.next();
  }
}

function percentile(histogram, total, p) {
  const target = Math.ceil(total * p);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i];
    if (seen >= target) return i * BUCKET_MS;
  }
  return Infinity;
}

function rssMb(pid, field = 'VmRSS') {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(field));
  return Number(/\d+/.exec(line)[0]) / 1024;
}

/** CPU seconds (user + system) a process has used. */
const cpuSeconds = (pid) => cpuMs(pid) / 1000;

/**
 * CLIENTS sockets of one side (fleet or baseline), held by LOAD_PROCS processes. `serverPids`
 * are its two server processes: their CPU per delivery is a figure that a busy machine
 * disturbs much less than latency.
 */
class Side {
  constructor(name, url, tokens, memory, serverPids) {
    Object.assign(this, { name, url, tokens, memory, serverPids, procs: [], steps: new Map() });
  }

  async connect() {
    this.procs = Array.from({ length: LOAD_PROCS }, () => new LoadProcess());
    await Promise.all(this.procs.map((proc) => proc.next()));
    const started = Date.now();
    await Promise.all(this.procs.map((proc, i) => proc.ask({ type: 'connect', url: this.url, tokens: this.tokens.filter((_, j) => j % LOAD_PROCS === i) })));
    this.connectMs = Date.now() - started;
    this.atConnect = this.memory();
  }

  /** Sends `rate` msg/s for `durationMs` and merges every client's latencies. */
  async measure(rate, durationMs = DURATION_MS) {
    // Each connection may send 20 frames/s (the chat's per-connection limit): spread the senders.
    const senders = Math.max(LOAD_PROCS, Math.ceil(rate / 5));
    await Promise.all(this.procs.map((proc) => proc.ask({ type: 'record', on: true })));
    const cpuBefore = this.serverPids().reduce((a, pid) => a + cpuSeconds(pid), 0);
    const sent = (await Promise.all(this.procs.map((proc) => proc.ask({ type: 'send', senders: Math.ceil(senders / LOAD_PROCS), perSecond: rate / LOAD_PROCS, durationMs })))).reduce((a, r) => a + r.sent, 0);
    await this.settle(sent * this.tokens.length);
    const reports = await Promise.all(this.procs.map((proc) => proc.ask({ type: 'report' })));
    const serverCpu = this.serverPids().reduce((a, pid) => a + cpuSeconds(pid), 0) - cpuBefore;
    await Promise.all(this.procs.map((proc) => proc.ask({ type: 'record', on: false })));
    const histogram = new Float64Array(reports[0].histogram.length);
    for (const report of reports) report.histogram.forEach((count, i) => (histogram[i] += count));
    const deliveries = reports.reduce((a, r) => a + r.deliveries, 0);
    const result = {
      connectMs: this.connectMs,
      sent,
      deliveries,
      expected: sent * this.tokens.length,
      p50: percentile(histogram, deliveries, 0.5),
      p99: percentile(histogram, deliveries, 0.99),
      max: percentile(histogram, deliveries, 1),
      load: os.loadavg()[0],
      serverCpu,
      atConnect: this.atConnect,
    };
    return result;
  }

  /**
   * Lets the last messages arrive: at least 2 s, then for as long as deliveries still come (up to
   * 30 s), so a side that fell behind finishes its backlog here, with those latencies, instead of
   * during the other side's next step.
   */
  async settle(expected) {
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const count = async () => (await Promise.all(this.procs.map((proc) => proc.ask({ type: 'count' })))).reduce((a, r) => a + r.deliveries, 0);
    await sleep(2000);
    const deadline = Date.now() + 28_000;
    for (let last = -1, now = await count(); now < expected && now > last && Date.now() < deadline; last = now, now = await count()) await sleep(1000);
  }

  close() {
    this.atEnd = this.memory();
    this.procs.forEach((proc) => proc.child.send({ type: 'close' }));
  }

  /** The highest rate of the ramp below which every step kept p99 under the goal (0: none did). */
  highestRateUnderGoal() {
    let highest = 0;
    for (const rate of RATES) {
      const step = this.steps.get(rate);
      if (!step || !(step.p99 < P99_GOAL_MS) || step.deliveries < step.expected) break;
      highest = rate;
    }
    return highest;
  }
}

async function startFleetSide() {
  if (PROF_DIR) mkdirSync(PROF_DIR, { recursive: true });
  // Only base: the chat path is nginx, base, Postgres and Redis; the other services would only idle.
  const env = PROF_DIR ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(path.join(here, 'cpu-profiler.mjs'))}`.trim(), BENCH_PROF_DIR: PROF_DIR } : {};
  const fleet = await startTestFleet({ logLevel: 'warn', only: ['base'], env });
  const tokens = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => fleet.token('robot', `bench-robot-${i}`)));
  const bases = fleet.fleet.instances.filter((instance) => instance.service === 'base');
  const memory = () => Object.fromEntries(bases.map((b) => [b.instanceId, { rss: rssMb(b.pid), peak: rssMb(b.pid, 'VmHWM') }]));
  // cpu-profiler.mjs: the first SIGUSR2 starts the profile, the second writes it.
  const toggleProfiler = () => PROF_DIR && bases.forEach((b) => process.kill(b.pid, 'SIGUSR2'));
  const pids = () => bases.map((b) => b.pid);
  return { side: new Side('fleet', `${fleet.gatewayUrl.replace(/^http/, 'ws')}/base_api/ws`, tokens, memory, pids), toggleProfiler, databaseUrl: fleet.databaseUrl, stop: () => fleet.stop() };
}

/** Two baseline servers behind an nginx; `durable` ({ databaseUrl, schema }) stores each message first. */
async function startBaselineSide(name, durable) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-chat-'));
  const ports = [await freePort(), await freePort()];
  const gatewayPort = await freePort();
  const servers = await Promise.all(
    ports.map(
      (port) =>
        new Promise((resolve, reject) => {
          const args = durable ? [String(port), durable.databaseUrl, durable.schema] : [String(port)];
          const child = fork(path.join(here, 'baseline-server.mjs'), args, { ...OWN_SESSION, env: { ...process.env, BENCH_RUN: String(process.pid) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
          child.once('message', () => resolve(child));
          child.once('exit', (code) => reject(new Error(`baseline server exited with ${code}`)));
        }),
    ),
  );
  // The same proxying the fleet's gateway does for /base_api/ws: upgrade, keepalive-free, round robin.
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `worker_processes auto; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn; daemon off;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream chat { ${ports.map((p) => `server 127.0.0.1:${p};`).join(' ')} }
  server { listen 127.0.0.1:${gatewayPort};
    location /ws { proxy_pass http://chat; proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade; proxy_read_timeout 1h; } } }
`,
  );
  const nginxBin = ['/usr/sbin/nginx', 'nginx'].find((bin) => bin === 'nginx' || require('node:fs').existsSync(bin));
  const nginx = spawn(nginxBin, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { ...OWN_SESSION, stdio: 'inherit' });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const memory = () => Object.fromEntries(servers.map((s, i) => [`${name}-${i + 1}`, { rss: rssMb(s.pid), peak: rssMb(s.pid, 'VmHWM') }]));
  const stop = async () => {
    nginx.kill('SIGQUIT');
    servers.forEach((server) => server.kill());
    await new Promise((resolve) => setTimeout(resolve, 300));
    rmSync(dir, { recursive: true, force: true });
  };
  const pids = () => servers.map((server) => server.pid);
  return { side: new Side(name, `ws://127.0.0.1:${gatewayPort}/ws`, Array.from({ length: CLIENTS }, () => ''), memory, pids), stop };
}

const cpuPerDelivery = (r) => (1e6 * r.serverCpu) / Math.max(1, r.deliveries);

function row(name, r) {
  const fmt = (ms) => (Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : '>10 s');
  return `${name.padEnd(10)} connect ${String(r.connectMs).padStart(6)} ms  sent ${String(r.sent).padStart(5)}  delivered ${((100 * r.deliveries) / r.expected).toFixed(2).padStart(6)}%  p50 ${fmt(r.p50).padStart(9)}  p99 ${fmt(r.p99).padStart(9)}  max ${fmt(r.max).padStart(9)}  servers' CPU ${r.serverCpu.toFixed(2)} s = ${cpuPerDelivery(r).toFixed(1)} µs/delivery  load ${r.load.toFixed(1)}`;
}

/** Every rate of the ramp on every side, the order rotating per step; the fleet against each baseline. */
async function ramp(baselineSide, durableSide, fleetSide) {
  const sides = [baselineSide, durableSide, fleetSide];
  // Unrecorded: the first messages after connecting pay for JIT compilation and lazy setup.
  for (const side of sides) await side.measure(RATES[0], WARM_UP_MS);
  for (const [i, rate] of RATES.entries()) {
    console.log(`-- ${rate} msg/s`);
    for (const side of [...sides.slice(i % sides.length), ...sides.slice(0, i % sides.length)]) {
      const step = await side.measure(rate);
      side.steps.set(rate, step);
      console.log(row(side.name, step));
    }
    const f = fleetSide.steps.get(rate);
    for (const baseline of [baselineSide, durableSide]) {
      const b = baseline.steps.get(rate);
      console.log(`ratio fleet/${baseline.name} at ${rate} msg/s: p50 ${(f.p50 / b.p50).toFixed(2)}x, p99 ${(f.p99 / b.p99).toFixed(2)}x, servers' CPU per delivery ${(cpuPerDelivery(f) / cpuPerDelivery(b)).toFixed(2)}x`);
    }
  }
}

console.log(`bench/chat: ${CLIENTS} clients, ${RATES.join(', ')} msg/s for ${DURATION_MS / 1000} s each, ${LOAD_PROCS} load processes per side, ${os.cpus().length} cores`);
const baselineRun = await startBaselineSide('baseline');
let fleetRun;
let durableRun;
try {
  fleetRun = await startFleetSide();
  const durable = { databaseUrl: fleetRun.databaseUrl, schema: `bench_chat_${process.pid}` };
  // A copy of base's chat tables with the lobby, for the durable baseline to store into.
  await copyTablesIntoSchema(durable.databaseUrl, durable.schema, [
    { from: 'base.room', name: 'room', where: `name = 'lobby'` },
    { from: 'base.message', name: 'message' },
  ]);
  durableRun = await startBaselineSide('durable', durable);
  for (const run of [baselineRun, durableRun, fleetRun]) await run.side.connect();
  fleetRun.toggleProfiler();
  await ramp(baselineRun.side, durableRun.side, fleetRun.side);
  fleetRun.toggleProfiler();
  if (PROF_DIR) await new Promise((resolve) => setTimeout(resolve, 2000)); // the profiles are written
} finally {
  const runs = [baselineRun, durableRun, fleetRun].filter(Boolean);
  for (const run of runs) run.side.close();
  await Promise.all(runs.map((run) => run.stop()));
}
const baseline = { ...baselineRun.side.steps.get(RATE), atEnd: baselineRun.side.atEnd };
const fleet = { ...fleetRun.side.steps.get(RATE), atEnd: fleetRun.side.atEnd };
const durable = durableRun.side.steps.get(RATE);
for (const [name, m] of Object.entries(fleet.atConnect)) console.log(`  ${name}: ${m.rss.toFixed(0)} MB resident with the ${CLIENTS} clients connected, ${fleet.atEnd[name].peak.toFixed(0)} MB peak after the run (goal < 250 MB)`);
for (const [name, m] of Object.entries(baseline.atConnect)) console.log(`  ${name}: ${m.rss.toFixed(0)} MB resident, ${baseline.atEnd[name].peak.toFixed(0)} MB peak`);
console.log(`highest rate with p99 < ${P99_GOAL_MS} ms (of ${RATES.join(', ')} msg/s): baseline ${baselineRun.side.highestRateUnderGoal()} msg/s, durable ${durableRun.side.highestRateUnderGoal()} msg/s, fleet ${fleetRun.side.highestRateUnderGoal()} msg/s`);
console.log(`at ${RATE} msg/s, ratio fleet/baseline: p50 ${(fleet.p50 / baseline.p50).toFixed(2)}x, p99 ${(fleet.p99 / baseline.p99).toFixed(2)}x   goal: fleet p99 < 100 ms -> ${fleet.p99 < 100 ? 'met' : 'NOT met'}`);
// For `npm run capacity` (bench/lib/results.mjs): latencies against the baseline, and a base instance's memory with every client connected.
const delivery = (r) => ({ p50_ms: r.p50, p99_ms: r.p99, delivered_share: +(r.deliveries / r.expected).toFixed(4) });
const largest = (samples, field) => Math.round(Math.max(...Object.values(samples).map((m) => m[field])));
recordBenchResults('chat', { fleet: delivery(fleet), baseline: delivery(baseline), durable_baseline: delivery(durable), base_rss_mb_connected: largest(fleet.atConnect, 'rss'), base_peak_rss_mb: largest(fleet.atEnd, 'peak') }, { conditions: { clients: CLIENTS, ratePerSecond: RATE, durationMs: DURATION_MS } });
process.exit(0);
