// Video benchmark, through the real fleet (nginx in front, video-1 owning the RTMP ingest):
//  1. 1, 10 and 30 simultaneous publishers of a pre-encoded 500 kbps clip (`ffmpeg -re -c copy`),
//     each with one HTTP-FLV viewer through nginx: CPU (% of one core) and RSS of each video instance.
//  2. Time to first video frame for a viewer joining a live stream through nginx (at the 30-stream load).
//  3. Telemetry ingest rate (samples/s) through nginx, single samples and batches of 100.
//  4. WebSocket delivery latency p50/p99 of telemetry to SUBSCRIBERS feed sockets through nginx.
// Goals (issue 6): 30 streams with a viewer each under 25% of one core; first frame under 300 ms.
// Usage: npm run bench:video   (env: STREAMS=1,10,30 MEASURE_MS=8000 SUBSCRIBERS=500 SAMPLE_RATE=20)
import http from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { recordBenchResults } from '../lib/results.mjs';
import { cpuMs } from '../lib/proc.mjs';

const require = createRequire(import.meta.url);
const { startTestFleet } = require('../../e2e/dist/src');
const { makeTestClip, publishRtmp } = require('@fleet/testing');

const STREAMS = (process.env.STREAMS ?? '1,10,30').split(',').filter(Boolean).map(Number);
const MEASURE_MS = Number(process.env.MEASURE_MS ?? 8000);
const SUBSCRIBERS = Number(process.env.SUBSCRIBERS ?? 500);
const SAMPLE_RATE = Number(process.env.SAMPLE_RATE ?? 20);
const TICKS = 100; // clock ticks per second (/proc/<pid>/stat)

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)];
};
/** utime + stime in ticks of 10 ms. */
const cpuTicks = (pid) => cpuMs(pid) / 10;
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/** Reads an HTTP-FLV stream; resolves `firstFrameMs` at the first coded video frame (not the codec header). */
function watch(url, token) {
  const started = performance.now();
  let firstFrameMs;
  let bytes = 0;
  let buffer = Buffer.alloc(0);
  let offset = 13; // FLV header (9) + PreviousTagSize0 (4)
  let resolveFirst;
  const first = new Promise((resolve) => (resolveFirst = resolve));
  const req = http.get(url, { headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
    if (res.statusCode !== 200) resolveFirst(Promise.reject(new Error(`viewer got ${res.statusCode}`)));
    res.on('data', (chunk) => {
      bytes += chunk.length;
      if (firstFrameMs !== undefined) return;
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= offset + 11) {
        const type = buffer[offset];
        const size = buffer.readUIntBE(offset + 1, 3);
        if (buffer.length < offset + 11 + size) break;
        // Video tag, AVC: data[1] is the packet type (0 = sequence header, 1 = coded frames).
        if (type === 9 && buffer[offset + 12] === 1) {
          firstFrameMs = performance.now() - started;
          resolveFirst(firstFrameMs);
          buffer = Buffer.alloc(0);
          return;
        }
        offset += 11 + size + 4;
      }
    });
  });
  req.on('error', (error) => resolveFirst(Promise.reject(error)));
  return { first, bytes: () => bytes, close: () => req.destroy() };
}

async function main() {
  const dir = path.join(os.tmpdir(), 'fleet-video-bench');
  mkdirSync(dir, { recursive: true });
  const clip = await makeTestClip(dir, { width: 640, height: 360, fps: 25, seconds: 10, bitrate: '500k', gop: 25 });
  console.log(`clip: ${clip}`);
  const fleet = await startTestFleet({ logLevel: 'info', only: ['video'] });
  const results = {};
  const publishers = [];
  const viewers = [];
  try {
    const operator = await fleet.token('operator');
    const api = async (method, urlPath, body, token = operator) => {
      const res = await fleet.request(`/video_api${urlPath}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return res.json();
    };
    const video = fleet.fleet.instances.filter((i) => i.service === 'video');
    const maxStreams = Math.max(1, ...STREAMS);
    const drones = [];
    for (let i = 0; i < maxStreams; i++) drones.push(await api('POST', '/drones', { name: `bench ${i}`, keycloak_client_id: `bench-drone-${i}` }));

    // 1. Streams with one viewer each.
    for (const count of STREAMS) {
      while (publishers.length < count) {
        const drone = drones[publishers.length];
        publishers.push(publishRtmp(clip, `rtmp://127.0.0.1:${fleet.rtmpPort}/live/${drone.stream_key}`));
      }
      const deadline = Date.now() + 30_000;
      while ((await api('GET', '/streams?limit=500')).items.filter((s) => s.live).length < count) {
        if (Date.now() > deadline) throw new Error(`fewer than ${count} streams live after 30 s`);
        await sleep(500);
      }
      while (viewers.length < count) viewers.push(watch(`${fleet.gatewayUrl}/live/${drones[viewers.length].id}.flv`, operator));
      await Promise.all(viewers.map((v) => v.first));
      await sleep(1500);
      const before = video.map((i) => cpuTicks(i.pid));
      const bytesBefore = viewers.reduce((a, v) => a + v.bytes(), 0);
      const t0 = performance.now();
      await sleep(MEASURE_MS);
      const seconds = (performance.now() - t0) / 1000;
      const cpu = video.map((i, k) => Math.round(((cpuTicks(i.pid) - before[k]) / TICKS / seconds) * 1000) / 10);
      const viewerKbps = Math.round(((viewers.reduce((a, v) => a + v.bytes(), 0) - bytesBefore) * 8) / 1000 / seconds / count);
      const { items: streams } = await api('GET', '/streams?limit=500');
      const live = streams.filter((s) => s.live);
      results[`streams_${count}`] = {
        live: live.length,
        cpu_pct_of_one_core: Object.fromEntries(video.map((i, k) => [i.instanceId, cpu[k]])),
        rss_mb: Object.fromEntries(video.map((i) => [i.instanceId, Math.round(rssMb(i.pid))])),
        bitrate_in_kbps_avg: Math.round(live.reduce((a, s) => a + (s.bitrate_in_kbps ?? 0), 0) / Math.max(1, live.length)),
        viewer_kbps_avg: viewerKbps,
      };
      console.log(`${count} stream(s):`, JSON.stringify(results[`streams_${count}`]));
    }

    // 2. A new viewer joins a live stream (30 streams with viewers running): time to first video frame.
    const joins = [];
    for (let i = 0; i < (STREAMS.length ? 20 : 0); i++) {
      const viewer = watch(`${fleet.gatewayUrl}/live/${drones[i % drones.length].id}.flv`, operator);
      joins.push(await viewer.first);
      viewer.close();
      await sleep(100);
    }
    if (joins.length) results.first_frame_ms = { p50: Math.round(pct(joins, 0.5)), p99: Math.round(pct(joins, 0.99)), max: Math.round(Math.max(...joins)) };
    console.log('first video frame for a joining viewer:', JSON.stringify(results.first_frame_ms));
    viewers.forEach((v) => v.close());
    await Promise.all(publishers.map((p) => p.stop()));

    // 3. Telemetry ingest through nginx.
    const tel = drones[0];
    const droneToken = await fleet.token('drone', 'bench', { extraClaims: { azp: tel.keycloak_client_id } });
    const post = (body) =>
      fleet.request(`/video_api/drones/${tel.id}/telemetry`, { method: 'POST', headers: { authorization: `Bearer ${droneToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const sample = () => ({ ts: new Date().toISOString(), lat: 52.5 + Math.random() / 100, lon: 13.4, alt_m: 40, speed_mps: 5, battery_pct: 80 });
    for (const [name, makeBody, perRequest] of [
      ['single', sample, 1],
      ['batch_100', () => ({ samples: Array.from({ length: 100 }, sample) }), 100],
    ]) {
      let samples = 0;
      const cpuBefore = video.map((i) => cpuTicks(i.pid));
      const end = performance.now() + 4000;
      const t0 = performance.now();
      await Promise.all(Array.from({ length: 16 }, async () => {
        while (performance.now() < end) {
          const res = await post(makeBody());
          if (res.status !== 202) throw new Error(`telemetry POST answered ${res.status}: ${await res.text()}`);
          await res.arrayBuffer();
          samples += perRequest;
        }
      }));
      results[`telemetry_ingest_${name}_samples_per_s`] = Math.round(samples / ((performance.now() - t0) / 1000));
      // CPU the video instances spent per sample: comparable across machines and loads.
      const cpuMs = video.reduce((sum, i, k) => sum + ((cpuTicks(i.pid) - cpuBefore[k]) * 1000) / TICKS, 0);
      results[`telemetry_ingest_${name}_cpu_ms_per_sample`] = Math.round((cpuMs / samples) * 100) / 100;
    }
    console.log('telemetry ingest:', results.telemetry_ingest_single_samples_per_s, 'samples/s single,', results.telemetry_ingest_batch_100_samples_per_s, 'samples/s in batches of 100;',
      results.telemetry_ingest_single_cpu_ms_per_sample, '/', results.telemetry_ingest_batch_100_cpu_ms_per_sample, 'ms CPU per sample; load average', os.loadavg()[0].toFixed(1));

    // 4. Feed latency to SUBSCRIBERS sockets (spread over both instances by nginx).
    const latencies = [];
    const sockets = [];
    let counting = false;
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const ws = new WebSocket(`${fleet.gatewayUrl.replace('http', 'ws')}/video_api/ws`, { headers: { authorization: `Bearer ${operator}` } });
      await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString());
        if (counting && frame.type === 'telemetry' && frame.sample.alt_m === 1) latencies.push(Date.now() - Date.parse(frame.sample.ts));
      });
      ws.send(JSON.stringify({ type: 'subscribe', drones: [tel.id] }));
      sockets.push(ws);
    }
    await sleep(1000);
    counting = true;
    let posted = 0;
    const until = Date.now() + 5000;
    while (Date.now() < until) {
      await post({ ts: new Date().toISOString(), lat: 52.5, lon: 13.4, alt_m: 1 });
      posted += 1;
      await sleep(1000 / SAMPLE_RATE);
    }
    await sleep(1000);
    results.feed = { subscribers: SUBSCRIBERS, samples_posted: posted, deliveries: latencies.length, expected: posted * SUBSCRIBERS, p50_ms: pct(latencies, 0.5), p99_ms: pct(latencies, 0.99) };
    console.log('feed latency:', JSON.stringify(results.feed));
    sockets.forEach((ws) => ws.terminate());
  } finally {
    viewers.forEach((v) => v.close());
    await Promise.all(publishers.map((p) => p.stop()));
    await fleet.stop();
  }
  console.log(JSON.stringify(results, null, 2));
  // For `npm run capacity` (bench/lib/results.mjs): CPU per stream with its viewer at the most streams
  // measured (video-1 owns the ingest; the other instance serves its share of the viewers), memory, telemetry.
  const most = Math.max(0, ...STREAMS);
  const load = results[`streams_${most}`];
  const perStream = (pct) => +(pct / most).toFixed(3);
  const others = load && Object.entries(load.cpu_pct_of_one_core).filter(([id]) => id !== 'video-1').reduce((sum, [, pct]) => sum + pct, 0);
  recordBenchResults('video', {
    ...(load && { streams: most, ingest_cpu_pct_per_stream: perStream(load.cpu_pct_of_one_core['video-1']), playback_cpu_pct_per_stream: perStream(others), rss_mb: Math.max(...Object.values(load.rss_mb)) }),
    first_frame_ms: results.first_frame_ms,
    telemetry_single: { samples_per_s: results.telemetry_ingest_single_samples_per_s, cpu_ms_per_sample: results.telemetry_ingest_single_cpu_ms_per_sample },
    telemetry_batch_100: { samples_per_s: results.telemetry_ingest_batch_100_samples_per_s, cpu_ms_per_sample: results.telemetry_ingest_batch_100_cpu_ms_per_sample },
    feed: results.feed,
  }, { conditions: { streams: STREAMS, measureMs: MEASURE_MS, subscribers: SUBSCRIBERS, viewersPerStream: 1 } });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
