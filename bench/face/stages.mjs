// Face stage profile, in one process: where identify's time goes, stage by stage, on the same
// camera frames as bench:face. Each stage runs alone in a loop of N, so its wall time (median) and
// its CPU time (process user+system per call, every thread: libvips, ONNX Runtime, V8) are its
// own. CPU per call is the figure to compare on a busy machine: it does not wait for a core.
// Usage: node bench/face/stages.mjs   (env: N=100, FACE_ORT_THREADS=1; BENCH_PROF_DIR=dir also
// writes a V8 CPU profile of the whole-pipeline loop there)
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const faceDist = (p) => path.join(root, 'services/face/dist', p);
const { franckFrames } = require('@fleet/testing');
const { loadFaceModels, defaultModelPaths } = require(faceDist('src/pipeline/face-models'));
const { FacePipeline } = require(faceDist('src/pipeline/face-pipeline'));
const { decodeImage } = require(faceDist('src/pipeline/image-decoder'));

const N = Number(process.env.N ?? 100);
const MAX_PIXELS = 25_000_000;

/** Runs `call(i)` N times; median wall ms and mean CPU ms (all threads) per call. */
async function measure(name, call) {
  for (let i = 0; i < 5; i++) await call(i);
  const walls = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    await call(i);
    walls.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  walls.sort((a, b) => a - b);
  return { name, wallP50: walls[Math.floor(N / 2)], cpuPerCall: (cpu.user + cpu.system) / 1000 / N };
}

async function main() {
  const frames = franckFrames().filter((_, i) => i !== 0 && i !== 5);
  const threads = Number(process.env.FACE_ORT_THREADS ?? 1);
  const models = await loadFaceModels(defaultModelPaths(), threads);
  const pipeline = new FacePipeline(models, { scoreThreshold: 0.65, nmsThreshold: 0.4 });
  const decoded = await Promise.all(frames.map((f) => decodeImage(f, MAX_PIXELS)));
  const faces = await Promise.all(decoded.map(async (image) => (await pipeline.detect(image))[0]));
  const at = (i) => i % frames.length;

  const det = new Float32Array(3 * 240 * 320);
  const lmk = new Float32Array(64 * 64);
  const emb = new Float32Array(3 * 112 * 112);
  const rows = [
    await measure('decode (JPEG -> 320x240 raster)', (i) => decodeImage(frames[at(i)], MAX_PIXELS)),
    await measure('detect (detector + NMS + landmarks)', (i) => pipeline.detect(decoded[at(i)])),
    await measure('embed (align + embedding model)', (i) => pipeline.embed(decoded[at(i)], faces[at(i)])),
    await measure('  onnx detector alone', () => models.detector.run(det)),
    await measure('  onnx landmarks alone', () => models.landmarks.run(lmk)),
    await measure('  onnx embedding alone', () => models.embedding.run(emb)),
    await measure('  align only (crop to 112x112, from the raster)', (i) => pipeline.alignedFace(decoded[at(i)], faces[at(i)])),
  ];
  const whole = async (i) => {
    const image = await decodeImage(frames[at(i)], MAX_PIXELS);
    const [face] = await pipeline.detect(image);
    return pipeline.embed(image, face);
  };
  let session;
  if (process.env.BENCH_PROF_DIR) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  }
  rows.push(await measure('whole pipeline (decode+detect+embed)', whole));
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(process.env.BENCH_PROF_DIR, { recursive: true });
    const file = path.join(process.env.BENCH_PROF_DIR, `face-stages-${process.pid}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    console.log(`CPU profile: ${file}`);
  }
  console.log(`face stages, ${N} calls each, ONNX Runtime threads ${threads}, node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  for (const row of rows) console.log(`${row.name.padEnd(48)} wall p50 ${row.wallP50.toFixed(2).padStart(6)} ms   CPU ${row.cpuPerCall.toFixed(2).padStart(6)} ms/call`);
  console.log(JSON.stringify({ loadAverage: os.loadavg()[0], threads, rows }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
