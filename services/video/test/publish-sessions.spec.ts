/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are checked field by field by the asserts */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, createTestRealm, eventually, freeTcpPort, makeTestClip, publishRtmp, Publisher, signTestToken, sleep, TestDatabase, TestRealm, createTestVhost, TestVhost, withTimeout } from '@fleet/testing';
import { videoDataSourceOptions } from '../src/database/video.datasource';
import { spawnVideo, VideoProcess } from './support/spawn-video';

/** Every scenario runs this many times in a row, so that no timing can hide a leak. */
const ROUNDS = 5;

/**
 * Publish sessions against real ffmpeg publishers and two real video instances: whatever the
 * order and timing of cut-offs, refusals, reconnects and crashes, every publish that started is
 * closed in history exactly once (real bytes, end reason, video fields), and a drone shows live
 * only while a publisher is sending.
 */
describe('video publish sessions', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let realm: TestRealm;
  let ingest: VideoProcess;
  let api: VideoProcess;
  let ingestOptions: Parameters<typeof spawnVideo>[0];
  let rtmpPort: number;
  let clip: string;
  let operator: string;

  const call = async (method: string, urlPath: string, body?: unknown) => {
    const res = await fetch(`${api.url}${urlPath}`, {
      method,
      headers: { authorization: `Bearer ${operator}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as any) : undefined };
  };
  const register = async (name: string) => {
    const res = await call('POST', '/drones', { name, keycloak_client_id: `drone-ps-${name.toLowerCase().replace(/\W+/g, '-')}` });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string; stream_key: string };
  };
  const publish = (key: string) => publishRtmp(clip, `rtmp://127.0.0.1:${rtmpPort}/live/${key}`);
  const stats = (droneId: string) => call('GET', `/drones/${droneId}/stream`).then((r) => r.body);
  const publishRows = (droneId: string) => call('GET', `/sessions?drone_id=${droneId}&kind=publish&limit=100`).then((r) => r.body.items as any[]);

  /** Waits until the drone is live with real video from a session other than `previous`. */
  const untilLive = (droneId: string, previous?: string) =>
    eventually(() => stats(droneId), (s) => s.live && s.session_id !== previous && s.bytes_in > 20_000 && s.video.width === 320, 20_000);

  /** A refused publisher is cut off with an error, and stays no row of its own. */
  const assertRefused = async (publisher: Publisher, what: string) => {
    const code = await withTimeout(publisher.exited, 15_000);
    assert.notEqual(code, 0, `${what} is refused`);
  };

  /** All `count` publish rows of the drone closed, the newest as `reason`, with real bytes and video fields; the drone not live anywhere. */
  const assertHistory = async (droneId: string, count: number, reason: string) => {
    const rows = await eventually(() => publishRows(droneId), (r) => r.length >= count && r.every((row) => row.ended_at !== null));
    assert.equal(rows.length, count, `exactly ${count} publish session(s), got ${JSON.stringify(rows)}`);
    for (const row of rows) {
      assert.ok(row.end_reason, `every session has an end reason: ${JSON.stringify(row)}`);
      assert.ok(row.bytes > 20_000, `real bytes recorded, got ${row.bytes}`);
      assert.deepEqual([row.video.codec, row.video.width, row.video.height], ['H264', 320, 240]);
      assert.ok(row.video.fps > 5, `fps recorded, got ${row.video.fps}`);
    }
    assert.equal(rows[0].end_reason, reason);
    assert.equal((await stats(droneId)).live, false, 'the drone is not live');
    const streams = (await call('GET', '/streams?limit=500')).body.items as any[];
    assert.notEqual(streams.find((s) => s.drone_id === droneId)?.live, true, '/streams shows no ghost');
    assert.deepEqual((await call('GET', `/sessions?drone_id=${droneId}&open=true`)).body.items, []);
    return rows;
  };

  before(async () => {
    [db, vhost] = await Promise.all([createTestDatabase('video', 'svc_video', videoDataSourceOptions), createTestVhost('fleet_test_video_sessions')]);
    realm = createTestRealm();
    rtmpPort = await freeTcpPort();
    const env = { RABBITMQ_URL: vhost.url, RTMP_PORT: String(rtmpPort), RTMP_BIND: '127.0.0.1', VIDEO_INGEST_INSTANCE: 'video-ps1' };
    ingestOptions = { port: await freeTcpPort(), databaseUrl: db.url, realm, instanceId: 'video-ps1', env };
    [ingest, api] = await Promise.all([
      spawnVideo(ingestOptions),
      spawnVideo({ port: await freeTcpPort(), databaseUrl: db.url, realm, instanceId: 'video-ps2', env }),
    ]);
    const dir = path.join(os.tmpdir(), 'fleet-video-test');
    mkdirSync(dir, { recursive: true });
    clip = await makeTestClip(dir, { width: 320, height: 240, fps: 15, seconds: 4, bitrate: '300k' });
    operator = await signTestToken(realm, { sub: 'op-ps', roles: ['operator'] });
  });

  after(async () => {
    await Promise.allSettled([ingest?.stop(), api?.stop()]);
    await Promise.allSettled([db?.drop(), vhost?.drop()]);
  });

  test(`rotate while live, then reconnect with the old key within 100 ms, 1 s and 3 s (${ROUNDS} rounds each)`, async () => {
    await Promise.all([0, 1000, 3000].map(async (delayMs) => {
      const drone = await register(`Rotating after ${delayMs}`);
      let key = drone.stream_key;
      let previous: string | undefined;
      for (let round = 1; round <= ROUNDS; round += 1) {
        const publisher = publish(key);
        try {
          previous = (await untilLive(drone.id, previous)).session_id;
          const rotated = await call('POST', `/drones/${drone.id}/rotate-key`);
          assert.equal(rotated.status, 201, JSON.stringify(rotated.body));
          const oldKey = key;
          key = rotated.body.stream_key;
          await withTimeout(publisher.exited, 15_000);
          // ffmpeg itself takes tens of ms to connect: with no sleep, the reconnect lands within ~100 ms.
          if (delayMs > 0) await sleep(delayMs);
          await assertRefused(publish(oldKey), `round ${round}: the old key ${delayMs} ms after the cut-off`);
        } finally {
          await publisher.stop();
        }
        await assertHistory(drone.id, round, 'key rotated');
      }
    }));
  });

  test(`a drone retired while live is closed as retired (${ROUNDS} times)`, async () => {
    for (let round = 1; round <= ROUNDS; round += 1) {
      const drone = await register(`Retired ${round}`);
      const publisher = publish(drone.stream_key);
      try {
        await untilLive(drone.id);
        assert.equal((await call('DELETE', `/drones/${drone.id}`)).status, 200);
        await withTimeout(publisher.exited, 15_000);
        await assertRefused(publish(drone.stream_key), 'the retired drone reconnecting');
      } finally {
        await publisher.stop();
      }
      await assertHistory(drone.id, 1, 'drone retired');
    }
  });

  test(`a second publisher on a live key is refused and leaves the live session alone (${ROUNDS} times)`, async () => {
    const drone = await register('Contested');
    let previous: string | undefined;
    for (let round = 1; round <= ROUNDS; round += 1) {
      const publisher = publish(drone.stream_key);
      try {
        const live = await untilLive(drone.id, previous);
        previous = live.session_id;
        await assertRefused(publish(drone.stream_key), `round ${round}: a second publisher`);
        const after = await eventually(() => stats(drone.id), (s) => s.live && s.bytes_in > live.bytes_in);
        assert.equal(after.session_id, live.session_id, 'the live session goes on, untouched');
        assert.equal(publisher.child.exitCode, null, 'the first publisher still sends');
      } finally {
        await publisher.stop();
      }
      await assertHistory(drone.id, round, 'publisher disconnected');
    }
  });

  test(`kill -9 of the ingest owner while live; started again, it closes the session as ingest restarted (${ROUNDS} times)`, async () => {
    const drone = await register('Crash witness');
    for (let round = 1; round <= ROUNDS; round += 1) {
      const publisher = publish(drone.stream_key);
      let lastSeen: any;
      try {
        lastSeen = await untilLive(drone.id);
        const died = new Promise((resolve) => ingest.child.once('exit', resolve));
        ingest.child.kill('SIGKILL');
        await died;
        await withTimeout(publisher.exited, 15_000);
      } finally {
        await publisher.stop();
      }
      if (round === 1) {
        // Nobody refreshes the dead owner's statistics: they stop counting as live by themselves.
        await eventually(() => stats(drone.id), (s) => s.live === false, 15_000);
      }
      ingest = await spawnVideo(ingestOptions);
      const rows = await assertHistory(drone.id, round, 'ingest restarted');
      assert.ok(rows[0].bytes >= lastSeen.bytes_in, `the last bytes seen are kept (${rows[0].bytes} >= ${lastSeen.bytes_in})`);
      assert.ok(Date.parse(rows[0].ended_at) >= Date.parse(lastSeen.updated_at), 'ended when it was last seen alive, or later');
    }
    // The restarted owner ingests again.
    const publisher = publish(drone.stream_key);
    try {
      await untilLive(drone.id);
    } finally {
      await publisher.stop();
    }
    await assertHistory(drone.id, ROUNDS + 1, 'publisher disconnected');
  });
});
