// Ticket-check benchmark: robots check tickets through nginx (two base instances) at CONNECTIONS
// concurrent keep-alive connections, each request a fresh ticket scanned for entry (the full
// path: auth, per-robot rate limit, robot lookup, Redis, one Postgres transaction that consumes
// the ticket and records the decision). Next to it, in the same run and the same way:
// - `/base_api/health` (which itself pings Postgres, Redis and RabbitMQ);
// - two bare baselines (bare-server.mjs behind an nginx of its own) doing the same durable work
//   and nothing else: the issue's, one connection's BEGIN, UPDATE, INSERT … ON CONFLICT, COMMIT;
//   and a stricter one, the single statement that base's fast path sends.
// Goal (issue 17): ticket check >= 0.8x the issue's baseline's throughput; the ratio to the
// single statement is printed beside it. Their p99 is bounded by this disk's commit time.
// Usage: npm run bench:tickets   (env: CONNECTIONS=64 DURATION_MS=10000 WARMUP_MS=2000 ROBOTS=256;
// BENCH_PROF_DIR=dir writes a CPU profile of each base instance there; GATEWAY_ROBOT_RATE)
import { fork, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { recordBenchResults } from '../lib/results.mjs';
import { cpuMs } from '../lib/proc.mjs';
import { copyTablesIntoSchema } from '../lib/schema-copy.mjs';

const require = createRequire(import.meta.url);
const { startTestFleet } = require('../../e2e/dist/src');
const { signTestToken } = require('@fleet/testing');
const { FLEET_SERVICES } = require('@fleet/local-fleet');
const { findNginx } = require('../../gateway/local/dist/src/nginx-binary');
const here = path.dirname(fileURLToPath(import.meta.url));

const CONNECTIONS = Number(process.env.CONNECTIONS ?? 64);
const DURATION_MS = Number(process.env.DURATION_MS ?? 10_000);
const WARMUP_MS = Number(process.env.WARMUP_MS ?? 2000);
// base allows ROBOT_RATE_LIMIT_PER_SECOND (50) per robot: enough robots keep that limit out of the
// way. nginx's robot zone is per address, and every robot here is 127.0.0.1: raised for the run.
const ROBOTS = Number(process.env.ROBOTS ?? 256);
process.env.GATEWAY_ROBOT_RATE ??= '100000r/s';
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


/** Each measured phase's span in CLOCK_MONOTONIC µs, the clock of V8's CPU profiles: to cut them apart. */
const profiledPhases = {};

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
  const monotonicFrom = process.hrtime.bigint();
  const cpuBefore = basePids.reduce((sum, pid) => sum + cpuMs(pid), 0);
  await new Promise((resolve) => setTimeout(resolve, DURATION_MS));
  recording = false;
  profiledPhases[name] = [monotonicFrom / 1000n, process.hrtime.bigint() / 1000n].map(Number);
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

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The bare server behind an nginx with the gateway's proxy settings (keep-alive upstream, JSON access log). */
async function startBare(databaseUrl, schemas, poolSize, logDir) {
  const [serverPort, nginxPort] = [await freePort(), await freePort()];
  const server = fork(path.join(here, 'bare-server.mjs'), [databaseUrl, schemas.statement, schemas.transaction, String(serverPort), String(poolSize)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise((resolve, reject) => {
    server.once('message', resolve);
    server.once('exit', (code) => reject(new Error(`bare-server.mjs exited with ${code}`)));
  });
  const prefix = mkdtempSync(path.join(os.tmpdir(), 'bench-bare-nginx-'));
  mkdirSync(logDir, { recursive: true });
  const config = `
worker_processes auto;
pid ${prefix}/nginx.pid;
error_log ${logDir}/bare-nginx-error.log warn;
events { worker_connections 4096; }
http {
  keepalive_timeout 65s;
  client_body_temp_path ${prefix}/client_temp;
  proxy_temp_path ${prefix}/proxy_temp;
  fastcgi_temp_path ${prefix}/fastcgi_temp;
  uwsgi_temp_path ${prefix}/uwsgi_temp;
  scgi_temp_path ${prefix}/scgi_temp;
  log_format json escape=json '{"time":"$time_iso8601","requestId":"$request_id","remoteAddr":"$remote_addr","method":"$request_method","path":"$uri","status":$status,"requestTime":$request_time,"upstream":"$upstream_addr","upstreamTime":"$upstream_response_time"}';
  access_log ${logDir}/bare-nginx-access.log json;
  upstream bare { server 127.0.0.1:${serverPort}; keepalive 16; }
  server {
    listen 127.0.0.1:${nginxPort};
    location / {
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Request-ID $request_id;
      proxy_pass http://bare;
    }
  }
}
`;
  const file = path.join(prefix, 'nginx.conf');
  writeFileSync(file, config);
  const nginxArgs = ['-p', prefix, '-c', file, '-e', path.join(logDir, 'bare-nginx-error.log')];
  const test = spawnSync(findNginx(), ['-t', '-q', ...nginxArgs], { encoding: 'utf8' });
  if (test.status !== 0) throw new Error(`bare nginx config: ${test.stderr}`);
  const nginx = spawn(findNginx(), [...nginxArgs, '-g', 'daemon off;'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((resolve) => net.connect(nginxPort, '127.0.0.1').once('connect', function () { this.destroy(); resolve(true); }).once('error', () => resolve(false)));
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stopChild = (child, signal) => new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill(signal);
  });
  return {
    url: `http://127.0.0.1:${nginxPort}`,
    pid: server.pid,
    stop: async () => {
      await Promise.all([stopChild(nginx, 'SIGQUIT'), stopChild(server, 'SIGTERM')]);
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

async function main() {
  console.error(`[bench] starting base x2 behind nginx (the other services' instances are not needed) ...`);
  const instances = Object.fromEntries(FLEET_SERVICES.map((spec) => [spec.name, spec.name === 'base' ? spec.instances : 0]));
  // A preloaded hook rather than --cpu-prof in NODE_OPTIONS, which Node 20 refuses and which the
  // launcher's migrations would inherit: it profiles base's main processes only.
  const profDir = process.env.BENCH_PROF_DIR ? path.resolve(process.env.BENCH_PROF_DIR) : undefined;
  if (profDir) mkdirSync(profDir, { recursive: true });
  const profile = profDir ? { NODE_OPTIONS: `--import ${pathToFileURL(path.join(here, '../lib/cpu-profile-hook.mjs'))}`, BENCH_PROF_DIR: profDir, BENCH_PROF_MATCH: 'base/main' } : {};
  const fleet = await startTestFleet({ logLevel: 'info', instances, env: profile });
  let bare;
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

    // Each baseline consumes the same tickets in copies of base's ticket tables of its own
    // (columns, defaults, checks, indexes; no foreign keys).
    const bareSchemas = { statement: `bench_bare_${run}`, transaction: `bench_bare_tx_${run}` };
    for (const schema of Object.values(bareSchemas)) {
      await copyTablesIntoSchema(fleet.databaseUrl, schema, [
        { from: 'base.ticket', name: 'ticket', where: 'code LIKE $1', params: [`B-${run}-%`] },
        { from: 'base.ticket_check', name: 'ticket_check' },
      ]);
    }
    // As many connections as base's two instances have together (TypeORM's pool of 10 each).
    bare = await startBare(fleet.databaseUrl, bareSchemas, 20, fleet.fleet.logDir ?? os.tmpdir());
    const bareRobots = robots.map(() => randomUUID());
    /** A bare baseline's phase: the same scans as base gets, on its own copy of the tickets. */
    const bareLoad = (name, route) => {
      let bareNext = 0;
      const decisions = {};
      return load(name, () => {
        const n = bareNext++;
        return {
          url: `${bare.url}${route}`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code: codes[n % codes.length], nonce: `n-${run}-${n}`, direction: n < codes.length ? 'entry' : 'exit', robot: bareRobots[n % bareRobots.length] }),
          onReply: (reply) => {
            if (reply.status !== 200) return;
            const decision = JSON.parse(reply.body).decision ?? 'replayed';
            decisions[decision] = (decisions[decision] ?? 0) + 1;
          },
        };
      }, [bare.pid]).then((figures) => ({ ...figures, decisions }));
    };

    const basePids = fleet.fleet.instances.filter((instance) => instance.instanceId.startsWith('base-')).map((instance) => instance.pid);
    const health = await load('GET /base_api/health', () => ({ url: `${gateway}/base_api/health`, method: 'GET', headers: {} }), basePids);
    const bareCheck = await bareLoad('bare: one statement behind nginx', '/check');
    const bareTransaction = await bareLoad('bare: BEGIN, UPDATE, INSERT … ON CONFLICT, COMMIT behind nginx', '/check-in-transaction');
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
    const toBare = check.perSecond / bareCheck.perSecond;
    const toIssueBaseline = check.perSecond / bareTransaction.perSecond;
    const result = {
      loadAverage: os.loadavg().map((x) => +x.toFixed(1)),
      cpus: os.cpus().length,
      connections: CONNECTIONS,
      durationMs: DURATION_MS,
      health,
      // Its baseCpuMsPerRequest is the bare server's own CPU per request.
      bare: bareCheck,
      bareTransaction,
      check: { ...check, decisions },
      checkToHealthThroughput: +ratio.toFixed(2),
      // Against the issue's baseline (a transaction of two statements) and the stricter one (the
      // single statement base's fast path sends): both are printed, neither stands for the other.
      checkToIssueBaselineThroughput: +toIssueBaseline.toFixed(2),
      checkToIssueBaselineP99: +(check.p99 / bareTransaction.p99).toFixed(2),
      checkToBareThroughput: +toBare.toFixed(2),
      checkToBareP99: +(check.p99 / bareCheck.p99).toFixed(2),
      goals: { atLeast08OfIssueBaseline: toIssueBaseline >= 0.8, atLeast08OfOneStatement: toBare >= 0.8 },
    };
    console.log(JSON.stringify(result, null, 2));
    if (process.env.BENCH_PROF_DIR) writeFileSync(path.join(process.env.BENCH_PROF_DIR, 'phases.json'), JSON.stringify(profiledPhases, null, 2));
    // For `npm run capacity` (bench/lib/results.mjs): throughput and base's CPU per request of each route.
    const route = (r) => ({ per_s: r.perSecond, p50_ms: r.p50, p99_ms: r.p99, cpu_ms_per_request: r.baseCpuMsPerRequest });
    recordBenchResults('tickets', {
      check: route(check),
      health: route(health),
      bare_one_statement: route(bareCheck),
      bare_transaction: route(bareTransaction),
      check_to_health: result.checkToHealthThroughput,
      check_to_issue_baseline: result.checkToIssueBaselineThroughput,
      check_to_one_statement: result.checkToBareThroughput,
    }, { conditions: { connections: CONNECTIONS, durationMs: DURATION_MS, baseInstances: basePids.length } });
  } finally {
    await bare?.stop();
    await fleet.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
