// Vision benchmark (issue 5), everything real: nginx -> vision HTTP -> RabbitMQ -> vision workers
// (ONNX runtime) -> back, against a bare onnxruntime `session.run` on the same image in the same run.
//  1. single predict of a 640x640 JPEG through nginx (p50/p99), one and two workers, vs bare session.run:
//     goal: the pipeline adds < 15 ms at p50 (the demo model is tiny, so the added ms matter more
//     than the ratio);
//  2. one batch of 32 images vs 32 sequential single predicts: goal batch >= 1.5x the throughput;
//  3. a ~200 MB ZIP through nginx (measured first): goal no process (nginx, vision, workers) past 300 MB resident.
// Every image is unique (random corner pixels), so the Redis cache never answers.
// Each batch round also reports the CPU every fleet process used during the batch (from /proc).
// Usage: npm run bench:vision   (env: SINGLES=100, ZIP_MB=200, BATCH_ROUNDS=5; BENCH_PROF_DIR=dir
// writes a CPU profile of vision and its workers there, and the batches' times as phases.json)
import { createWriteStream, mkdirSync, mkdtempSync, openAsBlob, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { recordBenchResults } from '../lib/results.mjs';
import { cpuMsIfAlive as cpuMs } from '../lib/proc.mjs';

const require = createRequire(import.meta.url);
require('reflect-metadata');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const visionDist = (p) => path.join(root, 'services/vision/dist', p);
const sharp = require('sharp');
const yazl = require('yazl');
const ort = require('onnxruntime-node');
const { DEMO_TOOL_CLASSES } = require('@fleet/contracts');
const { createTestRealm, createTestVhost, signTestToken } = require('@fleet/testing');
const { FLEET_SERVICES, freePort, startFleet } = require('@fleet/local-fleet');
const { loadDetectorModel } = require(visionDist('src/model/detector-model'));
const { letterbox } = require(visionDist('src/inference/letterbox'));

const SINGLES = Number(process.env.SINGLES ?? 100);
const ZIP_MB = Number(process.env.ZIP_MB ?? 200);
// A batch takes a few hundred milliseconds: one measurement is at the mercy of whatever else the
// machine did in them. Rounds alternate 32 singles and a batch; the figure is the median round.
const BATCH_ROUNDS = Number(process.env.BATCH_ROUNDS ?? 5);
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: pct(sorted, 50), p99: pct(sorted, 99) };
};
const f = (v) => `${v.toFixed(1)} ms`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// For `npm run capacity` (bench/lib/results.mjs): filled where each figure is printed, written at the end.
const PROF_DIR = process.env.BENCH_PROF_DIR ? path.resolve(process.env.BENCH_PROF_DIR) : undefined;
const profiling = PROF_DIR
  ? { NODE_OPTIONS: `--import ${pathToFileURL(path.join(root, 'bench/lib/cpu-profile-hook.mjs'))}`, BENCH_PROF_DIR: PROF_DIR, BENCH_PROF_MATCH: 'vision/(main|worker)' }
  : {};
/** Monotonic µs, the clock of the CPU profiles, for phases.json. */
const phases = {};
if (PROF_DIR) mkdirSync(PROF_DIR, { recursive: true });
const mark = (name) => (phases[name] = Number(process.hrtime.bigint() / 1000n));
const recorded = {};
const recordedKey = (label) => label.trim().replace(/\s+/g, '_');

/** The full default kit on white, plus random pixels in the corner so that no two images are equal. */
async function kitJpeg(width = 640, height = 640, noise = false) {
  const pixels = Buffer.alloc(width * height * 3, 255);
  DEMO_TOOL_CLASSES.forEach(({ rgb }, i) => {
    const x0 = 32 + (i % 4) * 144;
    const y0 = 32 + Math.floor(i / 4) * 144;
    for (let y = y0; y < y0 + 64; y++) for (let x = x0; x < x0 + 64; x++) pixels.set(rgb, (y * width + x) * 3);
  });
  for (let i = 0; i < 24; i++) pixels[Math.floor(Math.random() * 8) * width * 3 + Math.floor(Math.random() * 24)] = Math.floor(Math.random() * 200);
  if (noise) for (let y = 640; y < height; y++) for (let x = 0; x < width * 3; x++) pixels[y * width * 3 + x] = Math.floor(Math.random() * 256);
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: noise ? 98 : 90 }).toBuffer();
}


function rssMb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return 0;
  }
}

/** nginx master and workers: the master's children. */
function nginxPids(masterPid) {
  const pids = [masterPid];
  for (const name of require('node:fs').readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(masterPid)) pids.push(Number(name));
    } catch {}
  }
  return pids;
}

/** The launcher runs nginx with its prefix under `<runDir>/nginx/<port>/`. */
const nginxMaster = () => {
  try {
    return Number(readFileSync(path.join(runDir, 'nginx', String(gatewayPort), 'nginx.pid'), 'utf8').trim());
  } catch {
    return 0;
  }
};

const specs = FLEET_SERVICES.filter((s) => s.name === 'vision' || s.name === 'vision-worker');
const vhost = await createTestVhost('fleet_bench_vision');
const mediaDir = mkdtempSync(path.join(os.tmpdir(), 'vision-bench-media-'));
const runDir = mkdtempSync(path.join(os.tmpdir(), 'vision-bench-run-'));
const gatewayPort = await freePort();
const keycloakUrl = `http://127.0.0.1:${gatewayPort}/keycloak`;
const realm = createTestRealm(keycloakUrl);
const database = `fleet_bench_vision_${Date.now()}`;
const ports = { vision: [await freePort()], 'vision-worker': [await freePort(), await freePort()] };
console.log('starting nginx, vision x1 and vision-worker x2 ...');
const fleet = await startFleet({
  services: specs,
  instances: { vision: 1, 'vision-worker': 2 },
  ports,
  gatewayPort,
  database,
  keycloakUrl,
  realmPublicKey: realm.publicKeyBase64,
  runDir,
  logDir: path.join(root, 'logs', 'bench-vision'),
  logLevel: 'warn',
  env: { RABBITMQ_URL: vhost.url, VISION_MEDIA_DIR: mediaDir, ...profiling },
});
const token = (sub) => signTestToken(realm, { sub, roles: ['robot'] });
const gateway = fleet.gatewayUrl;

async function predict(bytes, auth, route = '/vision_api/predict', field = 'image') {
  const form = new FormData();
  form.append(field, new Blob([bytes]), 'kit.jpg');
  const response = await fetch(`${gateway}${route}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${auth}` } });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`${route}: ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
  return body;
}

try {
  // Bare inference on the same kind of image, in this process, one thread (as a worker runs it).
  const model = await loadDetectorModel({ modelCacheDir: path.join(os.tmpdir(), 'fleet-vision-models'), intraOpThreads: 1 });
  const sample = await kitJpeg();
  const prepared = await letterbox(sharp(sample), 640, 640, model.inputSize);
  const input = new ort.Tensor('float32', prepared.tensor, [1, 3, 640, 640]);
  for (let i = 0; i < 10; i++) await model.session.run({ [model.inputName]: input });
  const bare = [];
  for (let i = 0; i < SINGLES; i++) {
    const t0 = performance.now();
    await model.session.run({ [model.inputName]: input });
    bare.push(performance.now() - t0);
  }
  const bareStats = stats(bare);
  console.log(`bare session.run (640x640): p50 ${f(bareStats.p50)}, p99 ${f(bareStats.p99)}`);

  const images = await Promise.all(Array.from({ length: 2 * (SINGLES + 5 + 64 * BATCH_ROUNDS) }, () => kitJpeg()));
  let used = 0;
  const fresh = () => {
    if (used >= images.length) throw new Error('out of unique images');
    return images[used++];
  };

  async function singles(label, auth) {
    for (let i = 0; i < 5; i++) await predict(fresh(), auth);
    const latencies = [];
    const inference = [];
    const byWorker = {};
    const stages = [];
    for (let i = 0; i < SINGLES; i++) {
      const t0 = performance.now();
      const body = await predict(fresh(), auth);
      const elapsed = performance.now() - t0;
      latencies.push(elapsed);
      inference.push(body.results[0].inference_time_ms);
      (byWorker[body.results[0].worker] ??= []).push([elapsed, body.results[0].worker_ms]);
      stages.push(body.results[0].stages_ms);
      if (body.results[0].count !== 11) throw new Error(`expected 11 detections, got ${body.results[0].count}`);
      // Robots are limited to 20 requests/s per token at the gateway; stay under it.
      await sleep(Math.max(0, 55 - elapsed));
    }
    const s = stats(latencies);
    const inf = stats(inference);
    console.log(`${label}: predict via nginx p50 ${f(s.p50)}, p99 ${f(s.p99)}; worker's own session.run p50 ${f(inf.p50)}; added over bare p50 ${f(s.p50 - bareStats.p50)} (ratio ${(s.p50 / bareStats.p50).toFixed(2)}x)`);
    console.log(`  worker stages p50: ${['decode', 'inference', 'postprocess', 'annotate'].map((k) => `${k} ${f(stats(stages.map((st) => st[k])).p50)}`).join(', ')}`);
    for (const [worker, pairs] of Object.entries(byWorker)) {
      console.log(`  ${worker}: ${pairs.length} calls, p50 ${f(stats(pairs.map((p) => p[0])).p50)} end to end, p50 ${f(stats(pairs.map((p) => p[1])).p50)} in the worker`);
    }
    const stageP50 = Object.fromEntries(['decode', 'inference', 'postprocess', 'annotate'].map((k) => [k, +stats(stages.map((st) => st[k])).p50.toFixed(2)]));
    recorded[recordedKey(label)] = { predict_p50_ms: +s.p50.toFixed(2), predict_p99_ms: +s.p99.toFixed(2), bare_p50_ms: +bareStats.p50.toFixed(2), worker_ms_p50: +stats(Object.values(byWorker).flat().map((p) => p[1])).p50.toFixed(2), worker_stages_p50_ms: stageP50 };
    return s;
  }

  async function batchVsSequential(label, auth) {
    const rounds = [];
    for (let round = 0; round < BATCH_ROUNDS; round++) {
      const sequential = Array.from({ length: 32 }, () => fresh());
      let t0 = performance.now();
      for (const image of sequential) await predict(image, auth);
      const sequentialMs = performance.now() - t0;
      const form = new FormData();
      for (let i = 0; i < 32; i++) form.append('images', new Blob([fresh()]), `k${i}.jpg`);
      const processes = [...fleet.instances.filter((i) => i.running).map((i) => [i.instanceId, i.pid]), ['nginx', ...nginxPids(nginxMaster())]];
      const cpuOf = () => processes.map(([, ...pids]) => pids.reduce((sum, pid) => sum + cpuMs(pid), 0));
      const cpuBefore = cpuOf();
      mark(`${label.trim()}/batch${round}`);
      t0 = performance.now();
      const response = await fetch(`${gateway}/vision_api/predict/batch`, { method: 'POST', body: form, headers: { authorization: `Bearer ${auth}` } });
      const body = await response.json();
      const batchMs = performance.now() - t0;
      mark(`${label.trim()}/batch${round}/end`);
      const cpu = cpuOf().map((after, i) => [processes[i][0], after - cpuBefore[i]]);
      if (body.successful !== 32) throw new Error(`batch: ${JSON.stringify(body).slice(0, 300)}`);
      rounds.push({ sequentialMs, batchMs, ratio: sequentialMs / batchMs, workers: new Set(body.results.map((r) => r.worker)), cpu });
      // Let the workers draw the round's images before the next round measures.
      await sleep(300);
    }
    const median = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor(rounds.length / 2)];
    const { sequentialMs, batchMs, workers, cpu } = median;
    Object.assign(recorded[recordedKey(label)], { batch_32_images_per_s: +(32000 / batchMs).toFixed(1), batch_x_singles: +(sequentialMs / batchMs).toFixed(2), batch_x_singles_rounds: rounds.map((r) => +r.ratio.toFixed(2)) });
    console.log(`${label}: median of ${rounds.length} rounds: 32 sequential singles ${f(sequentialMs)} (${(32000 / sequentialMs).toFixed(1)} img/s); one batch of 32 ${f(batchMs)} (${(32000 / batchMs).toFixed(1)} img/s, by ${[...workers].join(' + ')}): ${(sequentialMs / batchMs).toFixed(2)}x (rounds: ${rounds.map((r) => r.ratio.toFixed(2)).join(', ')})`);
    console.log(`  CPU during that batch (ms, from /proc, 10 ms ticks): ${cpu.map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ')}; the machine had ${(os.cpus().length * batchMs).toFixed(0)} (${os.cpus().length} cores)`);
  }

  // The ZIP first: its goal is about what a ZIP costs, and a resident set does not shrink back
  // after the batches' rounds (with them first, the worker's peak carried their history).
  if (ZIP_MB > 0) await zipPhase();
  await singles('two workers', await token('bench-robot-1'));
  await batchVsSequential('two workers', await token('bench-robot-2'));
  const second = fleet.instances.find((i) => i.instanceId === 'vision-worker-2');
  await second.stop();
  await singles('one worker ', await token('bench-robot-3'));
  await batchVsSequential('one worker ', await token('bench-robot-4'));
  await second.start();
} finally {
  await fleet.stop();
  await vhost.drop();
  rmSync(mediaDir, { recursive: true, force: true });
  rmSync(runDir, { recursive: true, force: true });
  const { dropDatabase } = require('@fleet/database');
  await dropDatabase(process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', database).catch(() => undefined);
}
if (PROF_DIR) writeFileSync(path.join(PROF_DIR, 'phases.json'), JSON.stringify(phases, null, 1));
recordBenchResults('vision', recorded, { conditions: { singles: SINGLES, zipMb: ZIP_MB, model: 'demo (generated, tiny)' } });

async function zipPhase() {
  // The ZIP: large noisy JPEGs (barely compressible, like photos), streamed from disk to nginx.
  const zipFile = path.join(runDir, 'photos.zip');
  const zip = new yazl.ZipFile();
  const written = new Promise((resolve) => zip.outputStream.pipe(createWriteStream(zipFile)).on('close', resolve));
  const photo = await kitJpeg(1920, 1920, true);
  const count = Math.ceil((ZIP_MB * 1024 * 1024) / photo.length);
  for (let i = 0; i < count; i++) {
    const unique = Buffer.from(photo);
    unique.writeUInt32BE(i, unique.length - 6); // inside the entropy-coded data: a different file, same picture size
    zip.addBuffer(unique, `photo-${i}.jpg`, { compress: false });
  }
  zip.end();
  await written;
  const zipBytes = statSync(zipFile).size;
  const watched = () => [
    ...fleet.instances.filter((i) => i.running).map((i) => [i.instanceId, i.pid]),
    ...nginxPids(nginxMaster()).filter(Boolean).map((pid) => [`nginx ${pid}`, pid]),
  ];
  const peak = new Map();
  const sampler = setInterval(() => {
    for (const [name, pid] of watched()) peak.set(name, Math.max(peak.get(name) ?? 0, rssMb(pid)));
  }, 50);
  // The HTTP side must stay responsive while the workers chew: probe the catalogue through nginx meanwhile.
  const probeToken = await token('bench-robot-6');
  const probes = [];
  let probing = true;
  const prober = (async () => {
    while (probing) {
      const p0 = performance.now();
      await fetch(`${gateway}/vision_api/toolkits`, { headers: { authorization: `Bearer ${probeToken}` } }).then((r) => r.arrayBuffer());
      probes.push(performance.now() - p0);
      await sleep(200);
    }
  })();
  const form = new FormData();
  form.append('zip_file', await openAsBlob(zipFile), 'photos.zip');
  const t0 = performance.now();
  const response = await fetch(`${gateway}/vision_api/predict/zip`, { method: 'POST', body: form, headers: { authorization: `Bearer ${await token('bench-robot-5')}` } });
  const body = await response.json();
  const zipMs = performance.now() - t0;
  clearInterval(sampler);
  probing = false;
  await prober;
  if (response.status !== 200) throw new Error(`zip: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  const worst = Math.max(...peak.values());
  const probeStats = stats(probes);
  console.log(`GET /vision_api/toolkits during the ZIP: ${probes.length} probes, p50 ${f(probeStats.p50)}, p99 ${f(probeStats.p99)}`);
  console.log(`ZIP of ${(zipBytes / 1024 / 1024).toFixed(0)} MB (${count} photos of ${(photo.length / 1024 / 1024).toFixed(2)} MB, 1920x1920): ${body.successful}/${body.total_images} detected in ${(zipMs / 1000).toFixed(1)} s`);
  recorded.zip = { mb: Math.round(zipBytes / 1024 / 1024), photos: count, seconds: +(zipMs / 1000).toFixed(1), peak_rss_mb: Object.fromEntries([...peak].map(([name, mb]) => [name, Math.round(mb)])) };
  console.log(`peak resident memory: ${[...peak].map(([name, mb]) => `${name} ${mb.toFixed(0)} MB`).join(', ')} -> worst ${worst.toFixed(0)} MB (goal < 300 MB)`);
}
