// Images over RPC: the same call with a 720x576 camera frame (~100 KB JPEG) sent as base64 text
// inside the JSON packet (how face and vision images travelled before, and what a JSON-only caller
// still sends) and as bytes (a binary attachment after the JSON, see libs/messaging's wire
// format), to the same @fleet/messaging server, in one run: rounds alternate the two, and every
// figure is the median over the rounds. Reported per call: the server's CPU (from /proc), the
// caller's CPU, latency, and the message size.
// Usage: node bench/rpc/bytes.mjs   (env: CALLS=1000, CONCURRENCY=8, ROUNDS=5, RABBITMQ_URL; BENCH_PROF_DIR=dir
// writes a CPU profile of the server there); run `npm run build` first
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { cpuMs } from '../lib/proc.mjs';

const require = createRequire(import.meta.url);
const { Logger } = require('@nestjs/common');
const { defineMethod } = require('@fleet/contracts');
const { RpcClient, encodePacket } = require('@fleet/messaging');
const { franckFrames } = require('@fleet/testing');

const here = path.dirname(fileURLToPath(import.meta.url));
const URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const CALLS = Number(process.env.CALLS ?? 1000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const WARMUP = 100;
Logger.overrideLogger(['error', 'warn']);

const cpuMicros = (pid) => cpuMs(pid) * 1000;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(call, serverPid) {
  for (let i = 0; i < WARMUP; i++) await call(i);
  const latencies = [];
  let next = 0;
  const serverCpu = cpuMicros(serverPid);
  const callerCpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < CALLS) {
      const i = next++;
      const t0 = performance.now();
      await call(i);
      latencies.push(performance.now() - t0);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(callerCpu);
  return { perSecond: CALLS / seconds, p50: median(latencies), serverUs: (cpuMicros(serverPid) - serverCpu) / CALLS, callerUs: (user + system) / CALLS };
}

const service = `benchbytes${randomBytes(3).toString('hex')}`;
const image = defineMethod(`${service}.image.v1`, class {});
const server = fork(path.join(here, 'fleet-server.mjs'), [service, '64'], { execArgv: process.env.BENCH_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF_DIR}`] : [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
await new Promise((resolve, reject) => {
  server.once('message', resolve);
  server.once('exit', (code) => reject(new Error(`fleet-server.mjs exited with ${code}`)));
});
const client = new RpcClient({ url: URL, defaultDeadlineMs: 10_000, name: 'bench-bytes' });
await client.connect();

const frames = franckFrames();
const texts = frames.map((frame) => frame.toString('base64'));
const variants = {
  'base64 in JSON': (i) => client.call(image, { image: texts[i % texts.length] }),
  'bytes attached': (i) => client.call(image, { image: frames[i % frames.length] }),
};
const sizes = {
  'base64 in JSON': encodePacket({ pattern: image.name, data: { image: texts[0] }, id: 'x' }).body.length,
  'bytes attached': encodePacket({ pattern: image.name, data: { image: frames[0] }, id: 'x' }).body.length,
};
console.log(`bench/rpc/bytes: ${frames.length} camera frames of ${Math.round(frames.reduce((n, f) => n + f.length, 0) / frames.length / 1024)} KB on average, ${CALLS} calls x${CONCURRENCY} per variant and round, ${ROUNDS} rounds, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
try {
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? Object.keys(variants).reverse() : Object.keys(variants);
    for (const name of order) samples[name].push(await measure(variants[name], server.pid));
  }
} finally {
  await client.close();
  server.kill('SIGTERM');
}
const figures = {};
for (const [name, runs] of Object.entries(samples)) {
  const f = (key) => median(runs.map((run) => run[key]));
  figures[name] = { perSecond: f('perSecond'), p50: f('p50'), serverUs: f('serverUs'), callerUs: f('callerUs') };
  console.log(`${name.padEnd(15)} message ${(sizes[name] / 1024).toFixed(0).padStart(4)} KB  ${figures[name].perSecond.toFixed(0).padStart(5)} calls/s  p50 ${figures[name].p50.toFixed(2)} ms  server CPU ${(figures[name].serverUs / 1000).toFixed(3)} ms/call  caller CPU ${(figures[name].callerUs / 1000).toFixed(3)} ms/call`);
}
const [text, bytes] = [figures['base64 in JSON'], figures['bytes attached']];
console.log(`bytes/base64: calls/s ${(bytes.perSecond / text.perSecond).toFixed(2)}x, server CPU ${(bytes.serverUs / text.serverUs).toFixed(2)}x, caller CPU ${(bytes.callerUs / text.callerUs).toFixed(2)}x, message ${(sizes['bytes attached'] / sizes['base64 in JSON']).toFixed(2)}x; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
