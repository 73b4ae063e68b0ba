// Flushing denormal floats to zero in the face models (ONNX Runtime's `set_denormal_as_zero`, in
// services/face's sessionOptions) against keeping them. ONNX Runtime applies the option once per
// process, from the first session, so the two cannot alternate in one process (as ort-options.mjs
// does): each round starts a child process per variant, A B B A ..., and each child times every
// face model on the same seeded input. Printed: each model's median run per variant, the ratio, and
// whether the outputs were identical.
// Usage: node bench/face/denormals.mjs   (after `npx tsc -b services/face`; env: ROUNDS=4, RUNS=40)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROUNDS = Number(process.env.ROUNDS ?? 4);
const RUNS = Number(process.env.RUNS ?? 40);
const MODELS = { detector: [1, 3, 240, 320], landmarks: [1, 1, 64, 64], embedding: [1, 3, 112, 112], liveness: [1, 3, 128, 128] };
const VARIANTS = { flushed: '1', kept: '0' };
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** The same pseudo-random input in every process (images normalised to about -1..1). */
function seededInput(length) {
  const values = new Float32Array(length);
  let x = 1;
  for (let i = 0; i < length; i++) {
    x = (x * 16807) % 2147483647;
    values[i] = (x / 2147483647) * 2 - 1;
  }
  return values;
}

/** In a child: every model with the service's options, denormals as the variant says; prints JSON. */
async function child(flag) {
  const ort = require('onnxruntime-node');
  const { defaultModelPaths, sessionOptions } = require(path.join(root, 'services/face/dist/src/pipeline/face-models'));
  const { withFastPRelu } = require(path.join(root, 'services/face/dist/src/pipeline/prelu-rewrite'));
  const service = sessionOptions(1);
  const options = { ...service, extra: { session: { ...service.extra.session, set_denormal_as_zero: flag } } };
  const paths = defaultModelPaths();
  const result = {};
  for (const [name, shape] of Object.entries(MODELS)) {
    const session = await ort.InferenceSession.create(withFastPRelu(readFileSync(paths[name])), options);
    const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', seededInput(shape.reduce((a, b) => a * b, 1)), shape) };
    let output;
    for (let i = 0; i < 3; i++) output = await session.run(feeds);
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await session.run(feeds);
      times.push(performance.now() - t0);
    }
    result[name] = { ms: median(times), output: Object.values(output).map((tensor) => Array.from(tensor.data)).flat() };
    await session.release();
  }
  process.stdout.write(JSON.stringify(result));
}

function main() {
  console.log(`face models, denormals flushed (the service) vs kept: ${ROUNDS} rounds of one process per variant, ${RUNS} runs per model; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const ms = Object.fromEntries(Object.keys(VARIANTS).map((v) => [v, Object.fromEntries(Object.keys(MODELS).map((m) => [m, []]))]));
  let identical = true;
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? ['kept', 'flushed'] : ['flushed', 'kept'];
    const outputs = {};
    for (const variant of order) {
      const out = JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', VARIANTS[variant]], { maxBuffer: 64 * 1024 * 1024 }).toString());
      outputs[variant] = out;
      for (const model of Object.keys(MODELS)) ms[variant][model].push(out[model].ms);
    }
    for (const model of Object.keys(MODELS)) identical &&= outputs.flushed[model].output.every((v, i) => v === outputs.kept[model].output[i]);
  }
  for (const model of Object.keys(MODELS)) {
    const flushed = median(ms.flushed[model]);
    const kept = median(ms.kept[model]);
    console.log(`${model.padEnd(10)} flushed ${flushed.toFixed(2)} ms, kept ${kept.toFixed(2)} ms per run (median of ${ROUNDS} process medians): kept/flushed ${(kept / flushed).toFixed(2)}x`);
  }
  console.log(`outputs identical in every round: ${identical}; load average after ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

if (process.argv[2] === '--child') child(process.argv[3]).catch((error) => { console.error(error); process.exit(1); });
else main();
