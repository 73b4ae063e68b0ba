// RPC benchmark: @fleet/messaging (typed RpcClient -> FleetRmqServer under Nest) against raw
// amqplib request/response with direct reply-to, in the same run, on the same quorum-queue
// topology, each server in its own process. Nest's stock ClientRMQ calling the fleet server is
// shown for reference (it speaks the same wire format).
// Goal (issue 17): fleet >= 0.85x raw throughput, sequential p99 < 3 ms. Next to throughput, each
// side's CPU per call (the server process's from /proc, the caller's own): a figure that a busy
// machine distorts far less than req/s.
// Usage: npm run bench:rpc   (env: SEQ_CALLS, CONC_CALLS, CONCURRENCY, ROUNDS, RABBITMQ_URL;
// BENCH_PROF_DIR=dir writes a CPU profile of each server process there)
import { fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { recordBenchResults } from '../lib/results.mjs';
import { cpuMs } from '../lib/proc.mjs';

const require = createRequire(import.meta.url);
const amqp = require('amqplib');
const { Logger } = require('@nestjs/common');
const { ClientRMQ } = require('@nestjs/microservices');
const { firstValueFrom } = require('rxjs');
const { defineMethod } = require('@fleet/contracts');
const { RpcClient, queueForService, deadLetterQueueFor } = require('@fleet/messaging');

const here = path.dirname(fileURLToPath(import.meta.url));
const URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const SEQ_CALLS = Number(process.env.SEQ_CALLS ?? 3000);
const CONC_CALLS = Number(process.env.CONC_CALLS ?? 20000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 64);
const PREFETCH = 64;
const WARMUP = 300;
const ROUNDS = Number(process.env.ROUNDS ?? 3);

Logger.overrideLogger(['error', 'warn']);

function start(script, args) {
  const child = fork(path.join(here, script), args, { execArgv: process.env.BENCH_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF_DIR}`] : [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

async function stop(child) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** A raw amqplib caller: one channel, direct reply-to, correlation ids in a map. */
async function rawCaller(queue) {
  // noDelay as in @fleet/messaging: without it Nagle's algorithm adds ~40 ms per sequential call.
  const connection = await amqp.connect(URL, { noDelay: true });
  const channel = await connection.createChannel();
  const waiting = new Map();
  await channel.consume('amq.rabbitmq.reply-to', (message) => {
    const resolve = waiting.get(message.properties.correlationId);
    waiting.delete(message.properties.correlationId);
    resolve?.(JSON.parse(message.content.toString()).response);
  }, { noAck: true });
  return {
    call: (pattern, data) => new Promise((resolve) => {
      const id = randomUUID();
      waiting.set(id, resolve);
      channel.sendToQueue(queue, Buffer.from(JSON.stringify({ pattern, data, id })), { replyTo: 'amq.rabbitmq.reply-to', correlationId: id, persistent: true });
    }),
    close: () => connection.close(),
  };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** CPU time (user + system, µs) a process has used so far. */
const cpuMicros = (pid) => cpuMs(pid) * 1000;

async function measure(call, total, concurrency, serverPid) {
  for (let i = 0; i < WARMUP; i++) await call();
  const latencies = new Float64Array(total);
  let next = 0;
  const serverCpu = cpuMicros(serverPid);
  const callerCpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      const index = next++;
      const t0 = performance.now();
      await call();
      latencies[index] = performance.now() - t0;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(callerCpu);
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  return {
    rps: total / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    serverUs: (cpuMicros(serverPid) - serverCpu) / total,
    callerUs: (user + system) / total,
  };
}

const suffix = randomBytes(3).toString('hex');
const fleetService = `benchfleet${suffix}`;
const rawQueue = queueForService(`benchraw${suffix}`);
const echo = defineMethod(`${fleetService}.echo.v1`, class {});

const fleetServer = await start('fleet-server.mjs', [fleetService, String(PREFETCH)]);
const rawServer = await start('raw-server.mjs', [rawQueue, String(PREFETCH)]);
const fleet = new RpcClient({ url: URL, defaultDeadlineMs: 10_000, name: 'bench' });
await fleet.connect();
const raw = await rawCaller(rawQueue);
const nest = new ClientRMQ({ urls: [URL], queue: queueForService(fleetService), noAssert: true, persistent: true });
await nest.connect();

const variants = {
  raw: () => raw.call(echo.name, { text: 'ping' }),
  fleet: () => fleet.call(echo, { text: 'ping' }),
  'nest ClientRMQ': () => firstValueFrom(nest.send(echo.name, { text: 'ping' })),
};
const serverOf = { raw: rawServer.pid, fleet: fleetServer.pid, 'nest ClientRMQ': fleetServer.pid };
// Variants alternate inside each round and every figure is the median over the rounds, so a
// noisy moment on the machine (the broker shares its 2 cores with both sides) hits all alike.
const modes = [['sequential', SEQ_CALLS, 1], [`${CONCURRENCY} concurrent`, CONC_CALLS, CONCURRENCY]];
const samples = new Map();
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const [mode, total, concurrency] of modes) {
      for (const [name, call] of Object.entries(variants)) {
        const key = `${mode}|${name}`;
        samples.set(key, [...(samples.get(key) ?? []), await measure(call, total, concurrency, serverOf[name])]);
      }
    }
  }
} finally {
  await fleet.close();
  await raw.close();
  await nest.close();
  await Promise.all([stop(fleetServer), stop(rawServer)]);
  const connection = await amqp.connect(URL);
  const channel = await connection.createChannel();
  for (const queue of [queueForService(fleetService), rawQueue]) {
    await channel.deleteQueue(queue);
    await channel.deleteQueue(deadLetterQueueFor(queue));
  }
  await connection.close();
}

const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rows = modes.flatMap(([mode, total]) => Object.keys(variants).map((name) => {
  const runs = samples.get(`${mode}|${name}`);
  const of = (field) => median(runs.map((r) => r[field]));
  return { mode, name, total, rps: of('rps'), p50: of('p50'), p99: of('p99'), serverUs: of('serverUs'), callerUs: of('callerUs') };
}));
for (const row of rows) {
  const raw = rows.find((other) => other.mode === row.mode && other.name === 'raw');
  row.ratio = row.rps / raw.rps;
  row.serverCpuRatio = row.serverUs / raw.serverUs;
}
const pad = (value, width) => String(value).padStart(width);
console.log(`\nRPC request/response, quorum queues, loopback broker, prefetch ${PREFETCH}, median of ${ROUNDS} rounds, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
console.log(`${'mode'.padEnd(14)} ${'variant'.padEnd(15)} ${pad('calls', 6)} ${pad('req/s', 8)} ${pad('p50 ms', 7)} ${pad('p99 ms', 7)} ${pad('x raw', 6)} ${pad('server µs/call', 15)} ${pad('x raw', 6)} ${pad('caller µs/call', 15)}`);
for (const row of rows) {
  console.log(`${row.mode.padEnd(14)} ${row.name.padEnd(15)} ${pad(row.total, 6)} ${pad(row.rps.toFixed(0), 8)} ${pad(row.p50.toFixed(2), 7)} ${pad(row.p99.toFixed(2), 7)} ${pad(row.ratio.toFixed(2), 6)} ${pad(row.serverUs.toFixed(0), 15)} ${pad(row.serverCpuRatio.toFixed(2), 6)} ${pad(row.callerUs.toFixed(0), 15)}`);
}
const fleetRows = rows.filter((row) => row.name === 'fleet');
const throughputOk = fleetRows.every((row) => row.ratio >= 0.85);
const latencyOk = fleetRows[0].p99 < 3;
console.log(`\ngoal: fleet >= 0.85x raw throughput: ${throughputOk ? 'met' : 'NOT met'}; sequential p99 < 3 ms: ${latencyOk ? 'met' : 'NOT met'}`);
// For `npm run capacity` (bench/lib/results.mjs): the table above, by mode and variant.
const figure = (row) => ({ req_per_s: Math.round(row.rps), p50_ms: +row.p50.toFixed(2), p99_ms: +row.p99.toFixed(2), x_raw: +row.ratio.toFixed(2) });
const byMode = (mode) => Object.fromEntries(rows.filter((row) => row.mode === mode).map((row) => [row.name.replace(/\W+/g, '_'), figure(row)]));
recordBenchResults('rpc', { sequential: byMode('sequential'), concurrent: byMode(modes[1][0]) }, { conditions: { seqCalls: SEQ_CALLS, concCalls: CONC_CALLS, concurrency: CONCURRENCY, prefetch: PREFETCH, rounds: ROUNDS } });
process.exit(0);
