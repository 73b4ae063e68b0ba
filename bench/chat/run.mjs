// Chat benchmark: CLIENTS WebSocket clients spread over two base instances through nginx, RATE
// messages/s into the lobby, the delivery latency of every message to every client (p50/p99),
// next to a baseline of the same load on a bare `ws` + Redis pub/sub server (two instances,
// behind nginx too) measured in the same run. Also the resident memory of each base instance
// with every client connected. Goal: p99 < 100 ms, each base instance < 250 MB at 1,000 clients.
// Usage: npm run bench:chat   (env: CLIENTS=1000 RATE=200 DURATION_MS=10000 LOAD_PROCS=2)
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordBenchResults } from '../lib/results.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const { startTestFleet } = require('../../e2e/dist/src');
const { freePort } = require('@fleet/local-fleet');

const CLIENTS = Number(process.env.CLIENTS ?? 1000);
const RATE = Number(process.env.RATE ?? 200);
const DURATION_MS = Number(process.env.DURATION_MS ?? 10_000);
const LOAD_PROCS = Number(process.env.LOAD_PROCS ?? 2);
// Each connection may send 20 frames/s (the chat's per-connection limit): spread the senders.
const SENDERS = Math.max(LOAD_PROCS, Math.ceil(RATE / 5));
const BUCKET_MS = 0.1;

class LoadProcess {
  constructor() {
    this.child = fork(path.join(here, 'load-worker.mjs'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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

/** Connects CLIENTS sockets over LOAD_PROCS processes, sends RATE msg/s for DURATION_MS, merges the latencies. */
async function drive(url, tokens, onConnected) {
  const procs = Array.from({ length: LOAD_PROCS }, () => new LoadProcess());
  await Promise.all(procs.map((proc) => proc.next()));
  const started = Date.now();
  await Promise.all(procs.map((proc, i) => proc.ask({ type: 'connect', url, tokens: tokens.filter((_, j) => j % LOAD_PROCS === i) })));
  const connectMs = Date.now() - started;
  const atConnect = onConnected?.();
  await Promise.all(procs.map((proc) => proc.ask({ type: 'record', on: true })));
  const sent = (await Promise.all(procs.map((proc) => proc.ask({ type: 'send', senders: Math.ceil(SENDERS / LOAD_PROCS), perSecond: RATE / LOAD_PROCS, durationMs: DURATION_MS })))).reduce((a, r) => a + r.sent, 0);
  await new Promise((resolve) => setTimeout(resolve, 2000)); // let the last messages arrive
  const reports = await Promise.all(procs.map((proc) => proc.ask({ type: 'report' })));
  const atEnd = onConnected?.();
  procs.forEach((proc) => proc.child.send({ type: 'close' }));
  const histogram = new Float64Array(reports[0].histogram.length);
  for (const report of reports) report.histogram.forEach((count, i) => (histogram[i] += count));
  const deliveries = reports.reduce((a, r) => a + r.deliveries, 0);
  return {
    connectMs,
    sent,
    deliveries,
    expected: sent * tokens.length,
    p50: percentile(histogram, deliveries, 0.5),
    p99: percentile(histogram, deliveries, 0.99),
    max: percentile(histogram, deliveries, 1),
    atConnect,
    atEnd,
  };
}

async function runFleet() {
  const fleet = await startTestFleet({ logLevel: 'warn' });
  try {
    const tokens = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => fleet.token('robot', `bench-robot-${i}`)));
    const bases = fleet.fleet.instances.filter((instance) => instance.service === 'base');
    const memory = () => Object.fromEntries(bases.map((b) => [b.instanceId, { rss: rssMb(b.pid), peak: rssMb(b.pid, 'VmHWM') }]));
    return await drive(`${fleet.gatewayUrl.replace(/^http/, 'ws')}/base_api/ws`, tokens, memory);
  } finally {
    await fleet.stop();
  }
}

async function runBaseline() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-chat-'));
  const ports = [await freePort(), await freePort()];
  const gatewayPort = await freePort();
  const servers = await Promise.all(
    ports.map(
      (port) =>
        new Promise((resolve, reject) => {
          const child = fork(path.join(here, 'baseline-server.mjs'), [String(port)], { env: { ...process.env, BENCH_RUN: String(process.pid) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
  const nginx = spawn(nginxBin, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'inherit' });
  await new Promise((resolve) => setTimeout(resolve, 500));
  try {
    const memory = () => Object.fromEntries(servers.map((s, i) => [`baseline-${i + 1}`, { rss: rssMb(s.pid), peak: rssMb(s.pid, 'VmHWM') }]));
    return await drive(`ws://127.0.0.1:${gatewayPort}/ws`, Array.from({ length: CLIENTS }, () => ''), memory);
  } finally {
    nginx.kill('SIGQUIT');
    servers.forEach((server) => server.kill());
    await new Promise((resolve) => setTimeout(resolve, 300));
    rmSync(dir, { recursive: true, force: true });
  }
}

function row(name, r) {
  const fmt = (ms) => (Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : '>10 s');
  return `${name.padEnd(10)} connect ${String(r.connectMs).padStart(6)} ms  sent ${String(r.sent).padStart(5)}  delivered ${((100 * r.deliveries) / r.expected).toFixed(2).padStart(6)}%  p50 ${fmt(r.p50).padStart(9)}  p99 ${fmt(r.p99).padStart(9)}  max ${fmt(r.max).padStart(9)}`;
}

console.log(`bench/chat: ${CLIENTS} clients, ${RATE} msg/s for ${DURATION_MS / 1000} s, ${LOAD_PROCS} load processes, ${os.cpus().length} cores`);
const baseline = await runBaseline();
console.log(row('baseline', baseline));
const fleet = await runFleet();
console.log(row('fleet', fleet));
for (const [name, m] of Object.entries(fleet.atConnect)) console.log(`  ${name}: ${m.rss.toFixed(0)} MB resident with the ${CLIENTS} clients connected, ${fleet.atEnd[name].peak.toFixed(0)} MB peak after the run (goal < 250 MB)`);
for (const [name, m] of Object.entries(baseline.atConnect)) console.log(`  ${name}: ${m.rss.toFixed(0)} MB resident, ${baseline.atEnd[name].peak.toFixed(0)} MB peak`);
console.log(`ratio fleet/baseline: p50 ${(fleet.p50 / baseline.p50).toFixed(2)}x, p99 ${(fleet.p99 / baseline.p99).toFixed(2)}x   goal: fleet p99 < 100 ms -> ${fleet.p99 < 100 ? 'met' : 'NOT met'}`);
// For `npm run capacity` (bench/lib/results.mjs): latencies against the baseline, and a base instance's memory with every client connected.
const delivery = (r) => ({ p50_ms: r.p50, p99_ms: r.p99, delivered_share: +(r.deliveries / r.expected).toFixed(4) });
const largest = (samples, field) => Math.round(Math.max(...Object.values(samples).map((m) => m[field])));
recordBenchResults('chat', { fleet: delivery(fleet), baseline: delivery(baseline), base_rss_mb_connected: largest(fleet.atConnect, 'rss'), base_peak_rss_mb: largest(fleet.atEnd, 'peak') }, { conditions: { clients: CLIENTS, ratePerSecond: RATE, durationMs: DURATION_MS } });
process.exit(0);
