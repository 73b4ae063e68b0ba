/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are checked field by field by the asserts */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, createTestRealm, eventually, ffprobeStreams, freeTcpPort as freePort, VideoFeedClient, makeTestClip, publishRtmp, signTestToken, TestDatabase, TestRealm, createTestVhost, TestVhost, withTimeout } from '@fleet/testing';
import type { TelemetrySampleView, VideoWsServerFrame } from '@fleet/contracts';
import { videoDataSourceOptions } from '../src/database/video.datasource';

import { spawnVideo, VideoProcess } from './support/spawn-video';

/**
 * Two real video instances against real Postgres, Redis and RabbitMQ: video-1 owns the RTMP
 * ingest, video-2 serves the API only. Real ffmpeg publishes, real ffprobe plays back.
 */
describe('video service', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let realm: TestRealm;
  let ingest: VideoProcess;
  let api: VideoProcess;
  let rtmpPort: number;
  let clip: string;
  let operator: string;
  let recordings: string;

  const call = async (instance: VideoProcess, method: string, urlPath: string, options: { token?: string; body?: unknown } = {}) => {
    const res = await fetch(`${instance.url}${urlPath}`, {
      method,
      headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as any) : undefined };
  };
  const register = async (name: string, clientId: string) => {
    const res = await call(api, 'POST', '/drones', { token: operator, body: { name, keycloak_client_id: clientId } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string; stream_key: string };
  };
  const rtmpUrl = (key: string) => `rtmp://127.0.0.1:${rtmpPort}/live/${key}`;
  const stats = (id: string) => call(api, 'GET', `/drones/${id}/stream`, { token: operator }).then((r) => r.body);

  before(async () => {
    // A private vhost: every video instance on a vhost hears its stream events.
    [db, vhost] = await Promise.all([createTestDatabase('video', 'svc_video', videoDataSourceOptions), createTestVhost('fleet_test_video')]);
    realm = createTestRealm();
    rtmpPort = await freePort();
    // A hidden directory, like the default `.dev/video-recordings`: downloads must still be served from it.
    recordings = mkdtempSync(path.join(os.tmpdir(), '.fleet-video-recordings-'));
    const env = {
      RABBITMQ_URL: vhost.url, RTMP_PORT: String(rtmpPort), RTMP_BIND: '127.0.0.1', VIDEO_INGEST_INSTANCE: 'video-t1',
      VIDEO_RECORDINGS_DIR: recordings, VIDEO_RECORD_SEGMENT_S: '1',
    };
    [ingest, api] = await Promise.all([
      spawnVideo({ port: await freePort(), databaseUrl: db.url, realm, instanceId: 'video-t1', env }),
      spawnVideo({ port: await freePort(), databaseUrl: db.url, realm, instanceId: 'video-t2', env }),
    ]);
    const dir = path.join(os.tmpdir(), 'fleet-video-test');
    mkdirSync(dir, { recursive: true });
    clip = await makeTestClip(dir, { width: 320, height: 240, fps: 15, seconds: 4, bitrate: '300k' });
    operator = await signTestToken(realm, { sub: 'op-1', roles: ['operator'] });
  });

  after(async () => {
    await Promise.allSettled([ingest?.stop(), api?.stop()]);
    await Promise.allSettled([db?.drop(), vhost?.drop()]);
    rmSync(recordings, { recursive: true, force: true });
  });

  test('operators register, edit, list and retire drones; other roles may not', async () => {
    const drone = await register('Track watcher 1', 'drone-admin-1');
    assert.match(drone.stream_key, /^[A-Za-z0-9_-]{40,}$/);
    const robot = await signTestToken(realm, { sub: 'robot-1', roles: ['robot'] });
    assert.equal((await call(api, 'POST', '/drones', { token: robot, body: { name: 'x', keycloak_client_id: 'x' } })).status, 403);
    assert.equal((await call(api, 'GET', '/drones')).status, 401);
    assert.equal((await call(api, 'POST', '/drones', { token: operator, body: { name: '', keycloak_client_id: 'bad id!' } })).status, 400);
    assert.equal((await call(api, 'POST', '/drones', { token: operator, body: { name: 'dup', keycloak_client_id: 'drone-admin-1' } })).status, 409);
    const edited = await call(api, 'PATCH', `/drones/${drone.id}`, { token: operator, body: { name: 'Platform 3 watcher' } });
    assert.equal(edited.body.name, 'Platform 3 watcher');
    assert.equal(edited.body.stream_key, undefined, 'only register and rotate show the key');
    const listed = await call(ingest, 'GET', '/drones', { token: operator });
    assert.ok(listed.body.items.some((d: { id: string }) => d.id === drone.id));
    assert.deepEqual([listed.body.limit, listed.body.offset, listed.body.total >= listed.body.items.length], [50, 0, true]);
    assert.equal((await call(api, 'DELETE', `/drones/${drone.id}`, { token: operator })).status, 200);
    assert.equal((await call(api, 'PATCH', `/drones/${drone.id}`, { token: operator, body: { name: 'y' } })).status, 409);
    assert.equal((await call(api, 'GET', '/drones/00000000-0000-4000-8000-000000000000', { token: operator })).status, 404);
  });

  test('a drone publishes over RTMP; stats, playback through the other instance, events and history', async () => {
    const drone = await register('Live drone', 'drone-live-1');
    const feed = await VideoFeedClient.connect(`${api.url.replace('http', 'ws')}/ws`, operator);
    feed.send({ type: 'subscribe', drones: [drone.id] });
    await feed.waitFor((f) => f.type === 'subscribed');

    const publisher = publishRtmp(clip, rtmpUrl(drone.stream_key));
    try {
      // Every figure is measured over time (two keyframes for the interval): wait until all are in.
      const live = await eventually(() => stats(drone.id), (s) => s.live && s.bitrate_in_kbps > 0 && s.video.fps > 0 && s.video.keyframe_interval_ms !== null, 15_000);
      assert.equal(live.video.width, 320);
      assert.equal(live.video.height, 240);
      assert.equal(live.video.codec, 'H264');
      assert.equal(live.audio.codec, 'AAC');
      assert.ok(live.bitrate_in_kbps > 150 && live.bitrate_in_kbps < 1500, `plausible bitrate, got ${live.bitrate_in_kbps} kbps`);
      assert.ok(Math.abs(live.video.fps - 15) < 3, `fps ~15, got ${live.video.fps}`);
      assert.ok(live.video.keyframe_interval_ms >= 800 && live.video.keyframe_interval_ms <= 1200, `keyframe every ~1 s, got ${live.video.keyframe_interval_ms}`);
      assert.equal(JSON.stringify(live).includes(drone.stream_key), false, 'stats never show the key');
      await feed.waitFor((f) => f.type === 'stream' && f.state === 'published' && f.drone_id === drone.id);

      // video-2 has no ingest: it proxies to video-1; one viewer with a signed URL, one with a token.
      const signed = await call(api, 'POST', `/drones/${drone.id}/play-url`, { token: operator });
      assert.match(signed.body.url, new RegExp(`^/live/${drone.id}\\.flv\\?exp=\\d+&sig=`));
      const probed = await ffprobeStreams(`${api.url}${signed.body.url}`);
      const media = (streams: typeof probed) => streams.filter((s) => s.codec_type === 'video' || s.codec_type === 'audio').map((s) => s.codec_name).sort();
      assert.deepEqual(media(probed), ['aac', 'h264']);
      assert.equal(probed.find((s) => s.codec_type === 'video')?.width, 320);
      await assert.rejects(ffprobeStreams(rtmpUrl(drone.stream_key)), 'RTMP play is refused, even with the key');
      const viaToken = await ffprobeStreams(`${ingest.url}/live/${drone.id}.flv`, { authorization: `Bearer ${operator}` });
      assert.deepEqual(media(viaToken), ['aac', 'h264']);
      // A viewer still watching when the drone stops is ended, so its player reconnects.
      const watching = await fetch(`${api.url}/live/${drone.id}.flv`, { headers: { authorization: `Bearer ${operator}` } });
      assert.equal(watching.headers.get('content-type'), 'video/x-flv');
      await publisher.stop();
      const received = await withTimeout(watching.arrayBuffer(), 10_000);
      assert.ok(received.byteLength > 10_000, `the viewer got video before the end (${received.byteLength} bytes)`);
    } finally {
      await publisher.stop();
    }
    await feed.waitFor((f) => f.type === 'stream' && f.state === 'unpublished' && f.drone_id === drone.id);
    feed.close();
    const history = await eventually(
      () => call(api, 'GET', `/drones/${drone.id}/sessions`, { token: operator }).then((r) => r.body.items as any[]),
      (rows) => rows.some((r) => r.kind === 'publish' && r.ended_at) && rows.filter((r) => r.kind === 'play' && r.ended_at).length >= 3,
    );
    const publish = history.find((r) => r.kind === 'publish');
    assert.equal(publish.client_address, '127.0.0.1');
    assert.ok(publish.bytes > 50_000, `bytes recorded, got ${publish.bytes}`);
    assert.deepEqual([publish.video.width, publish.video.height, publish.video.codec], [320, 240, 'H264']);
    assert.equal((await stats(drone.id)).live, false);
    const open = await call(api, 'GET', `/sessions?drone_id=${drone.id}&open=true`, { token: operator });
    assert.deepEqual(open.body, { items: [], total: 0, limit: 50, offset: 0 });
  });

  test('wrong, rotated and retired keys are refused, and so is a second publisher on a live key', async () => {
    const wrong = publishRtmp(clip, rtmpUrl('not-a-key-of-any-drone'));
    assert.notEqual(await withTimeout(wrong.exited, 10_000), 0, 'a wrong key is refused');

    const drone = await register('Rotating drone', 'drone-rot-1');
    const first = publishRtmp(clip, rtmpUrl(drone.stream_key));
    try {
      await eventually(() => stats(drone.id), (s) => s.live);
      const second = publishRtmp(clip, rtmpUrl(drone.stream_key));
      assert.notEqual(await withTimeout(second.exited, 10_000), 0, 'a second publisher on a live key is refused');
      assert.equal((await stats(drone.id)).live, true, 'the first one stays live');
      assert.equal(first.child.exitCode, null);

      const rotated = await call(api, 'POST', `/drones/${drone.id}/rotate-key`, { token: operator });
      assert.notEqual(rotated.body.stream_key, drone.stream_key);
      await withTimeout(first.exited, 10_000); // the live publisher on the old key is cut off
      const old = publishRtmp(clip, rtmpUrl(drone.stream_key));
      assert.notEqual(await withTimeout(old.exited, 10_000), 0, 'the rotated key is refused');

      const renewed = publishRtmp(clip, rtmpUrl(rotated.body.stream_key));
      try {
        await eventually(() => stats(drone.id), (s) => s.live && s.bytes_in > 0);
      } finally {
        await renewed.stop();
      }
      await call(api, 'DELETE', `/drones/${drone.id}`, { token: operator });
      const retired = publishRtmp(clip, rtmpUrl(rotated.body.stream_key));
      assert.notEqual(await withTimeout(retired.exited, 10_000), 0, 'a retired drone is refused');
      const metrics = await (await fetch(`${ingest.url}/metrics`)).text();
      assert.match(metrics, /fleet_video_publish_refused_total\{reason="unknown_key"[^}]*\} [3-9]/);
      assert.match(metrics, /fleet_video_publish_refused_total\{reason="already_live"[^}]*\} 1/);
    } finally {
      await first.stop();
    }
  });

  test('live playback needs an operator token or a valid signed URL', async () => {
    const drone = await register('Private drone', 'drone-priv-1');
    const drone2 = await register('Other drone', 'drone-priv-2');
    const signed = (await call(api, 'POST', `/drones/${drone2.id}/play-url`, { token: operator })).body.url as string;
    const droneToken = await signTestToken(realm, { sub: 'svc-drone', roles: ['drone'] });
    assert.equal((await fetch(`${api.url}/live/${drone.id}.flv`)).status, 401);
    assert.equal((await fetch(`${api.url}/live/${drone.id}.flv`, { headers: { authorization: `Bearer ${droneToken}` } })).status, 403);
    assert.equal((await fetch(`${api.url}${signed.replace(drone2.id, drone.id)}`)).status, 403, 'a URL signed for another drone');
    assert.equal((await fetch(`${api.url}/live/${drone.id}.flv?exp=1&sig=abc`)).status, 403, 'expired');
    assert.equal((await fetch(`${api.url}/live/${drone.id}.flv`, { headers: { authorization: `Bearer ${operator}` } })).status, 404, 'not live');
    assert.equal((await fetch(`${api.url}/live/${drone.stream_key}.flv`, { headers: { authorization: `Bearer ${operator}` } })).status, 400, 'keys are not names');
  });

  test('telemetry posted to one instance reaches a WebSocket on the other; history, track and link health', async () => {
    const drone = await register('Telemetry drone', 'drone-tel-1');
    const droneToken = await signTestToken(realm, { sub: 'svc-acc', roles: ['drone'], extraClaims: { azp: 'drone-tel-1' } });
    const feed = await VideoFeedClient.connect(`${ingest.url.replace('http', 'ws')}/ws`, operator);
    feed.send({ type: 'subscribe', drones: [drone.id] });
    await feed.waitFor((f) => f.type === 'subscribed');

    const now = Date.now();
    const sample = { ts: new Date(now).toISOString(), lat: 52.52, lon: 13.405, alt_m: 40, speed_mps: 5, heading_deg: 90, battery_pct: 80, signal_dbm: -60 };
    const posted = await call(api, 'POST', `/drones/${drone.id}/telemetry`, { token: droneToken, body: sample });
    assert.equal(posted.status, 202, JSON.stringify(posted.body));
    const frame = await feed.waitFor<Extract<VideoWsServerFrame, { type: 'telemetry' }>>((f) => f.type === 'telemetry' && f.drone_id === drone.id);
    assert.equal(frame.sample.lat, 52.52);
    assert.equal(frame.sample.stream_clock, null, 'no stream live: no stream clock');

    const batch = Array.from({ length: 50 }, (_, i) => ({ ts: new Date(now - 50_000 + i * 1000).toISOString(), lat: 52.5 + i / 1000, lon: 13.4, stream_ms: i * 1000 }));
    assert.equal((await call(api, 'POST', `/drones/${drone.id}/telemetry`, { token: droneToken, body: { samples: batch } })).status, 202);
    await eventually(async () => feed.frames.filter((f) => f.type === 'telemetry').length, (n) => n >= 51);

    const bad = async (body: unknown) => call(api, 'POST', `/drones/${drone.id}/telemetry`, { token: droneToken, body });
    const wrongType = await bad({ ...sample, lat: '52.5' });
    assert.equal(wrongType.status, 400);
    assert.match(JSON.stringify(wrongType.body.message), /lat/);
    assert.equal((await bad({ ...sample, lat: 91 })).status, 400);
    assert.equal((await bad({ ...sample, lon: -181 })).status, 400);
    const future = await bad({ ...sample, ts: new Date(now + 3600_000).toISOString() });
    assert.equal(future.status, 400);
    assert.match(JSON.stringify(future.body.message), /future/);
    assert.equal((await bad({ ...sample, ts: 'yesterday' })).status, 400);
    assert.equal((await bad({ samples: [sample, { ...sample, lat: null }] })).status, 400);
    assert.equal((await bad({ samples: [] })).status, 400);
    assert.equal((await bad({ ...sample, extra: 1 })).status, 400);
    assert.equal((await bad([sample])).status, 400);
    const otherDrone = await signTestToken(realm, { sub: 'svc-other', roles: ['drone'], extraClaims: { azp: 'someone-else' } });
    assert.equal((await call(api, 'POST', `/drones/${drone.id}/telemetry`, { token: otherDrone, body: sample })).status, 403);
    assert.equal((await call(api, 'POST', `/drones/${drone.id}/telemetry`, { token: operator, body: sample })).status, 403);

    const page1 = await call(api, 'GET', `/drones/${drone.id}/telemetry?limit=20&from=${new Date(now - 120_000).toISOString()}`, { token: operator });
    assert.equal(page1.body.items.length, 20);
    assert.equal(page1.body.items[0].stream_ms, 0);
    assert.equal(page1.body.items[0].stream_clock, 'drone');
    const seen: TelemetrySampleView[] = [...page1.body.items];
    let cursor = page1.body.next_cursor as string | null;
    while (cursor) {
      const page = await call(api, 'GET', `/drones/${drone.id}/telemetry?limit=20&from=${new Date(now - 120_000).toISOString()}&cursor=${cursor}`, { token: operator });
      seen.push(...page.body.items);
      cursor = page.body.next_cursor;
    }
    assert.equal(seen.length, 51);
    assert.deepEqual(seen.map((s) => s.ts), [...seen.map((s) => s.ts)].sort());

    const track = await call(api, 'GET', `/drones/${drone.id}/track?from=${new Date(now - 60_000).toISOString()}&to=${new Date(now + 1000).toISOString()}&points=10`, { token: operator });
    assert.ok(track.body.points.length <= 10 && track.body.points.length >= 5, JSON.stringify(track.body));
    assert.equal(track.body.points.reduce((n: number, p: { samples: number }) => n + p.samples, 0), 51);

    const latest = await call(ingest, 'GET', `/drones/${drone.id}/telemetry/latest`, { token: operator });
    assert.equal(latest.body.ts, sample.ts);
    const link = await call(api, 'GET', `/drones/${drone.id}/link`, { token: operator });
    assert.equal(link.body.video.live, false);
    assert.ok(link.body.telemetry.samples >= 50);
    assert.ok(link.body.telemetry.max_gap_ms >= 1000);
    assert.ok(link.body.last_seen_ago_s < 10);
    feed.close();
  });

  test('telemetry from a live drone is mapped onto the stream clock', async () => {
    const drone = await register('Synced drone', 'drone-sync-1');
    const droneToken = await signTestToken(realm, { sub: 'svc-sync', roles: ['drone'], extraClaims: { azp: 'drone-sync-1' } });
    const publisher = publishRtmp(clip, rtmpUrl(drone.stream_key));
    try {
      const live = await eventually(() => stats(drone.id), (s) => s.live && s.clock !== null && s.clock.stream_ms > 1000);
      const posted = await call(api, 'POST', `/drones/${drone.id}/telemetry`, { token: droneToken, body: { ts: new Date().toISOString(), lat: 1, lon: 2 } });
      assert.equal(posted.body.latest.stream_clock, 'server');
      assert.ok(posted.body.latest.stream_ms >= live.clock.stream_ms, `${posted.body.latest.stream_ms} >= ${live.clock.stream_ms}`);
      assert.ok(posted.body.latest.stream_ms < live.clock.stream_ms + 5000);
      const link = await call(api, 'GET', `/drones/${drone.id}/link`, { token: operator });
      assert.equal(link.body.video.live, true);
      assert.ok(link.body.video.fps > 10);
    } finally {
      await publisher.stop();
    }
  });

  test('a drone with recording on is written to MP4 segments, listed and downloadable from any instance', async () => {
    const drone = (await call(api, 'POST', '/drones', { token: operator, body: { name: 'Recorded', keycloak_client_id: 'drone-rec-1', record: true } })).body;
    const publisher = publishRtmp(clip, rtmpUrl(drone.stream_key));
    try {
      await eventually(() => stats(drone.id), (s) => s.live && s.clock?.stream_ms > 3500);
    } finally {
      await publisher.stop();
    }
    await eventually(() => stats(drone.id), (s) => !s.live);
    const list = await eventually(() => call(api, 'GET', `/drones/${drone.id}/recordings`, { token: operator }).then((r) => r.body.items as any[]), (rows) => rows.length >= 2);
    assert.ok(list.every((r) => r.size_bytes > 0 && r.url.startsWith(`/video_api/drones/${drone.id}/recordings/`)));
    const res = await fetch(`${api.url}${list[0].url.replace('/video_api', '')}`, { headers: { authorization: `Bearer ${operator}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'video/mp4');
    const file = path.join(recordings, 'downloaded.mp4');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const probed = await ffprobeStreams(file);
    assert.deepEqual(probed.map((s) => s.codec_name).sort(), ['aac', 'h264']);
    const bad = await call(api, 'GET', `/drones/${drone.id}/recordings/..%2F..%2Fetc%2Fpasswd`, { token: operator });
    assert.equal(bad.status, 404);
  });

  test('the feed refuses bad tokens and answers bad frames with an error', async () => {
    await assert.rejects(VideoFeedClient.connect(`${api.url.replace('http', 'ws')}/ws`, 'nope'), /401/);
    const droneToken = await signTestToken(realm, { sub: 'svc-x', roles: ['drone'] });
    await assert.rejects(VideoFeedClient.connect(`${api.url.replace('http', 'ws')}/ws`, droneToken), /403/);
    const feed = await VideoFeedClient.connect(`${api.url.replace('http', 'ws')}/ws`, operator);
    feed.send({ type: 'subscribe', drones: ['not-a-uuid'] });
    await feed.waitFor((f) => f.type === 'error');
    feed.close();
  });
});
