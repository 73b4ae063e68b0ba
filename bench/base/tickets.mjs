// Ticket-check benchmark: robots check tickets through nginx (two base instances) at CONNECTIONS
// concurrent keep-alive connections, each request a fresh ticket scanned for entry (the full
// path: auth, per-robot rate limit, robot lookup, Redis, one Postgres transaction that consumes
// the ticket and records the decision). Next to it, in the same run and the same way,
// `/base_api/health` (which itself pings Postgres, Redis and RabbitMQ).
// Goal (issue 3): ticket check p99 < 20 ms and at least half the health endpoint's throughput.
// Usage: npm run bench:tickets   (env: CONNECTIONS=64 DURATION_MS=10000 WARMUP_MS=2000 ROBOTS=256)
import { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';

const require = createRequire(import.meta.url);
const { startTestFleet } = require('../../e2e/dist/src');
const { signTestToken } = require('@fleet/testing');
const { FLEET_SERVICES } = require('@fleet/local-fleet');

const CONNECTIONS = Number(process.env.CONNECTIONS ?? 64);
const DURATION_MS = Number(process.env.DURATION_MS ?? 10_000);
const WARMUP_MS = Number(process.env.WARMUP_MS ?? 2000);
// nginx allows 20 requests/s per robot token: enough robots keep the gateway's limit out of the way.
const ROBOTS = Number(process.env.ROBOTS ?? 256);
const TICKETS = Number(process.env.TICKETS ?? 30_000);
const IMPORT_BATCH = 10_000;

function request(agent, url, method, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] : NaN;
}

/** CPU time (user + system, ms) a process has used so far; load-independent cost per request. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in 1/100 s ticks
}

/** CONNECTIONS loops, each sending its next request as soon as the previous one answered. */
async function load(name, makeRequest, basePids) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies = [];
  const statuses = {};
  let recording = false;
  let stop = false;
  const loop = async () => {
    while (!stop) {
      const { url, method, headers, body, onReply } = makeRequest();
      const started = process.hrtime.bigint();
      const reply = await request(agent, url, method, headers, body);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (!recording) continue;
      latencies.push(ms);
      statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
      onReply?.(reply);
    }
  };
  const loops = Array.from({ length: CONNECTIONS }, loop);
  await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
  recording = true;
  const startedAt = Date.now();
  const cpuBefore = basePids.reduce((sum, pid) => sum + cpuMs(pid), 0);
  await new Promise((resolve) => setTimeout(resolve, DURATION_MS));
  recording = false;
  const baseCpuMs = basePids.reduce((sum, pid) => sum + cpuMs(pid), 0) - cpuBefore;
  const elapsed = (Date.now() - startedAt) / 1000;
  stop = true;
  await Promise.all(loops);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    name,
    requests: latencies.length,
    perSecond: Math.round(latencies.length / elapsed),
    p50: +percentile(latencies, 0.5).toFixed(2),
    p99: +percentile(latencies, 0.99).toFixed(2),
    max: +latencies[latencies.length - 1].toFixed(2),
    // Both base instances' CPU per answered request: what the route costs, whatever else runs.
    baseCpuMsPerRequest: +(baseCpuMs / Math.max(1, latencies.length)).toFixed(2),
    statuses,
  };
}

async function main() {
  console.error(`[bench] starting base x2 behind nginx (the other services' instances are not needed) ...`);
  const instances = Object.fromEntries(FLEET_SERVICES.map((spec) => [spec.name, spec.name === 'base' ? spec.instances : 0]));
  const fleet = await startTestFleet({ logLevel: 'info', instances });
  try {
    const gateway = fleet.gatewayUrl;
    const operator = await fleet.token('operator');
    const admin = { authorization: `Bearer ${operator}`, 'content-type': 'application/json' };
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const run = randomUUID().slice(0, 6);

    const robots = [];
    for (let i = 0; i < ROBOTS; i++) {
      const clientId = `bench-${run}-${i}`;
      const created = await request(agent, `${gateway}/base_api/admin/robots`, 'POST', admin, JSON.stringify({ name: clientId, station: 'Central', keycloak_client_id: clientId }));
      if (created.status !== 201) throw new Error(`robot registration: ${created.status} ${created.body}`);
      robots.push(`Bearer ${await signTestToken(fleet.realm, { sub: `sa-${clientId}`, roles: ['robot'], extraClaims: { azp: clientId } })}`);
    }
    const from = new Date(Date.now() - 3600_000).toISOString();
    const until = new Date(Date.now() + 6 * 3600_000).toISOString();
    const codes = Array.from({ length: TICKETS }, (_, i) => `B-${run}-${i}`);
    for (let i = 0; i < TICKETS; i += IMPORT_BATCH) {
      const tickets = codes.slice(i, i + IMPORT_BATCH).map((code, j) => ({ code, passenger_name: `P ${j}`, train: 'IC-1', car: String(j % 12), seat: `${j % 80}A`, departure_station: 'Central', valid_from: from, valid_until: until }));
      const started = Date.now();
      const report = await request(agent, `${gateway}/base_api/admin/tickets/import`, 'POST', admin, JSON.stringify(tickets));
      const parsed = JSON.parse(report.body);
      if (report.status !== 200 || parsed.created !== tickets.length) throw new Error(`import: ${report.status} ${report.body.slice(0, 300)}`);
      console.error(`[bench] imported ${tickets.length} tickets in ${Date.now() - started} ms`);
    }
    agent.destroy();

    const basePids = fleet.fleet.instances.filter((instance) => instance.instanceId.startsWith('base-')).map((instance) => instance.pid);
    const health = await load('GET /base_api/health', () => ({ url: `${gateway}/base_api/health`, method: 'GET', headers: {} }), basePids);
    let next = 0;
    const decisions = {};
    const check = await load('POST /base_api/robot/tickets/check', () => {
      const n = next++;
      // A fresh ticket per scan while there are any; afterwards exit scans of used ones.
      const direction = n < codes.length ? 'entry' : 'exit';
      return {
        url: `${gateway}/base_api/robot/tickets/check`,
        method: 'POST',
        headers: { authorization: robots[n % robots.length], 'content-type': 'application/json' },
        body: JSON.stringify({ code: codes[n % codes.length], nonce: `n-${run}-${n}`, direction }),
        onReply: (reply) => {
          if (reply.status !== 200) return;
          const decision = JSON.parse(reply.body).decision;
          decisions[decision] = (decisions[decision] ?? 0) + 1;
        },
      };
    }, basePids);
    const ratio = check.perSecond / health.perSecond;
    const result = {
      loadAverage: os.loadavg().map((x) => +x.toFixed(1)),
      cpus: os.cpus().length,
      connections: CONNECTIONS,
      durationMs: DURATION_MS,
      health,
      check: { ...check, decisions },
      checkToHealthThroughput: +ratio.toFixed(2),
      goals: { p99Under20ms: check.p99 < 20, atLeastHalfOfHealth: ratio >= 0.5 },
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await fleet.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
