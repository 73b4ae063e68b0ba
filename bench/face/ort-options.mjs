// ONNX Runtime session options for the face models, each against the service's own options in the
// same process, runs alternating (A B B A ...), so both see the same machine load. CPU time per run
// (every thread) is the figure that matters with one instance per core; wall time is printed too.
// Usage: node bench/face/ort-options.mjs [embedding|detector|landmarks]   (env: RUNS=200)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ort = require('onnxruntime-node');
const { defaultModelPaths, sessionOptions } = require(path.join(root, 'services/face/dist/src/pipeline/face-models'));
const { withFastPRelu } = require(path.join(root, 'services/face/dist/src/pipeline/prelu-rewrite'));

const RUNS = Number(process.env.RUNS ?? 200);
const MODELS = { embedding: [1, 3, 112, 112], detector: [1, 3, 240, 320], landmarks: [1, 1, 64, 64] };
const service = sessionOptions(1);
const VARIANTS = {
  "graphOptimizationLevel 'extended'": { ...service, graphOptimizationLevel: 'extended' },
  "graphOptimizationLevel 'basic'": { ...service, graphOptimizationLevel: 'basic' },
  'enableCpuMemArena false': { ...service, enableCpuMemArena: false },
  'enableMemPattern false': { ...service, enableMemPattern: false },
  "executionMode 'parallel', 2 inter-op threads": { ...service, executionMode: 'parallel', interOpNumThreads: 2 },
  '2 intra-op threads, spinning': { ...service, intraOpNumThreads: 2, extra: { session: { intra_op: { allow_spinning: '1' } } } },
  '2 intra-op threads, no spinning': { ...service, intraOpNumThreads: 2 },
  'PRelu as the file has it (not rewritten)': { ...service, original: true },
};

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function session(bytes, { original, ...options }, file) {
  return ort.InferenceSession.create(original ? readFileSync(file) : bytes, options);
}

/** Mean CPU ms and median wall ms per run of each session, runs alternating. */
async function compare(sessions, input, shape) {
  const feeds = (s) => ({ [s.inputNames[0]]: new ort.Tensor('float32', input, shape) });
  for (const s of sessions) for (let i = 0; i < 10; i++) await s.run(feeds(s));
  const cpu = sessions.map(() => []);
  const wall = sessions.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 ? [0, 1] : [1, 0];
    for (const k of order) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await sessions[k].run(feeds(sessions[k]));
      wall[k].push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu[k].push((c.user + c.system) / 1000);
    }
  }
  return sessions.map((_, k) => ({ cpu: mean(cpu[k]), wall: median(wall[k]) }));
}

async function main() {
  const which = process.argv[2] ?? 'embedding';
  const shape = MODELS[which];
  const file = defaultModelPaths()[which];
  const bytes = withFastPRelu(readFileSync(file));
  const input = new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => Math.random() * 2 - 1);
  console.log(`${path.basename(file)}: each variant against the service's options ${JSON.stringify(service)}, ${RUNS} runs each, alternating`);
  for (const [name, options] of Object.entries(VARIANTS)) {
    const sessions = [await session(bytes, service, file), await session(bytes, options, file)];
    const [a, b] = await compare(sessions, input, shape);
    console.log(`${name.padEnd(46)} CPU ${b.cpu.toFixed(2)} vs ${a.cpu.toFixed(2)} ms per run (${(b.cpu / a.cpu).toFixed(2)}x); wall median ${b.wall.toFixed(2)} vs ${a.wall.toFixed(2)} ms; load average ${os.loadavg()[0].toFixed(1)}`);
    await Promise.all(sessions.map((s) => s.release()));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
