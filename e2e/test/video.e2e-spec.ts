/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are checked field by field by the asserts */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { VideoWsServerFrame } from '@fleet/contracts';
import { eventually, ffprobeStreams, makeTestClip, publishRtmp, VideoFeedClient } from '@fleet/testing';
import { startTestFleet, TestFleet } from '../src';

/**
 * Drones and operators as they meet the video service: RTMP straight to the ingest owner
 * (video-1), everything else through nginx (/video_api, /video_api/ws, /live) across two
 * instances. Real ffmpeg publishes, real ffprobe watches.
 */
describe('video through the gateway', () => {
  let fleet: TestFleet;
  let operator: string;
  let clip: string;
  const feeds: VideoFeedClient[] = [];

  before(async () => {
    // Video depends on no other service: start only its instances (and nginx) for a quicker, steadier run.
    fleet = await startTestFleet({ only: ['video'] });
    operator = await fleet.token('operator');
    const dir = path.join(os.tmpdir(), 'fleet-video-e2e');
    mkdirSync(dir, { recursive: true });
    clip = await makeTestClip(dir, { width: 320, height: 240, fps: 15, seconds: 4, bitrate: '300k' });
  });
  after(async () => {
    feeds.forEach((feed) => feed.close());
    await fleet?.stop();
  });

  const api = async (method: string, urlPath: string, options: { token?: string; body?: unknown } = {}) => {
    const res = await fleet.request(`/video_api${urlPath}`, {
      method,
      headers: { authorization: `Bearer ${options.token ?? operator}`, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const rtmpUrl = (key: string) => `rtmp://127.0.0.1:${fleet.rtmpPort}/live/${key}`;
  const wsUrl = () => `${fleet.gatewayUrl.replace('http', 'ws')}/video_api/ws`;

  test('ffmpeg publishes over RTMP; operators watch through nginx; wrong and rotated keys are refused; history keeps it', async () => {
    const drone = (await api('POST', '/drones', { body: { name: 'Track 4 watcher', keycloak_client_id: 'drone-e2e-video' } })).body;
    assert.ok(drone.stream_key);

    const wrong = publishRtmp(clip, rtmpUrl('no-such-key'));
    assert.notEqual(await wrong.exited, 0, 'a wrong key is refused');

    const publisher = publishRtmp(clip, rtmpUrl(drone.stream_key));
    try {
      const stats = await eventually(() => api('GET', `/drones/${drone.id}/stream`).then((r) => r.body), (s) => s.live && s.bitrate_in_kbps > 0 && s.video.fps > 0);
      assert.deepEqual([stats.video.width, stats.video.height, stats.video.codec, stats.audio.codec], [320, 240, 'H264', 'AAC']);
      assert.ok(stats.bitrate_in_kbps > 150 && stats.bitrate_in_kbps < 1500, `plausible bitrate: ${stats.bitrate_in_kbps} kbps`);
      const all = await api('GET', '/streams?limit=500');
      assert.ok(all.body.items.some((s: any) => s.drone_id === drone.id && s.live));

      // Through nginx: with the operator's token, and with a signed URL (whichever instance nginx picks).
      const media = (streams: Array<{ codec_type: string; codec_name: string; width?: number }>) =>
        streams.filter((s) => s.codec_type === 'video' || s.codec_type === 'audio').map((s) => s.codec_name).sort();
      const viaToken = await ffprobeStreams(`${fleet.gatewayUrl}/live/${drone.id}.flv`, { authorization: `Bearer ${operator}` });
      assert.deepEqual(media(viaToken), ['aac', 'h264']);
      assert.equal(viaToken.find((s) => s.codec_type === 'video')?.width, 320);
      for (let i = 0; i < 2; i += 1) {
        const signed = (await api('POST', `/drones/${drone.id}/play-url`)).body.url as string;
        assert.deepEqual(media(await ffprobeStreams(`${fleet.gatewayUrl}${signed}`)), ['aac', 'h264']);
      }
      assert.equal((await fleet.request(`/live/${drone.id}.flv`)).status, 401);

      const rotated = (await api('POST', `/drones/${drone.id}/rotate-key`)).body;
      assert.notEqual(await publisher.exited, null, 'the publisher on the rotated key is cut off');
      const old = publishRtmp(clip, rtmpUrl(drone.stream_key));
      assert.notEqual(await old.exited, 0, 'the rotated key is refused');
      assert.ok(rotated.stream_key && rotated.stream_key !== drone.stream_key);
    } finally {
      await publisher.stop();
    }

    const history = await eventually(
      () => api('GET', `/sessions?drone_id=${drone.id}`).then((r) => r.body.items as any[]),
      (rows) => rows.some((r) => r.kind === 'publish' && r.ended_at) && rows.filter((r) => r.kind === 'play' && r.ended_at).length >= 3,
    );
    const publishes = history.filter((r) => r.kind === 'publish');
    assert.equal(publishes.length, 1, 'the refused reconnect left no row of its own');
    const [publish] = publishes;
    assert.equal(publish.client_address, '127.0.0.1');
    assert.ok(publish.bytes > 50_000);
    assert.equal(publish.end_reason, 'key rotated');
    assert.deepEqual([publish.video.width, publish.video.height, publish.video.codec], [320, 240, 'H264']);
    const streams = (await api('GET', '/streams?limit=500')).body.items as any[];
    assert.equal(streams.find((s) => s.drone_id === drone.id)?.live, false, 'no ghost live stream');
    assert.ok(history.filter((r) => r.kind === 'play').every((r) => r.client_address === '127.0.0.1'));

    const accessLog = readFileSync(path.join(fleet.fleet.logDir, 'nginx-access.log'), 'utf8');
    assert.ok(accessLog.includes(`/live/${drone.id}.flv`));
    assert.equal(accessLog.includes(drone.stream_key), false, 'the stream key never crosses the gateway');
  });

  test('telemetry posted by a drone arrives on operators\' WebSockets on both instances through nginx; bad samples get 400s', async () => {
    const drone = (await api('POST', '/drones', { body: { name: 'Telemetry e2e', keycloak_client_id: 'drone-e2e-tel' } })).body;
    const droneToken = await fleet.token('drone', 'service-account-drone-e2e-tel', { extraClaims: { azp: 'drone-e2e-tel' } });

    // nginx balances the sockets; connect until both instances hold one.
    const byInstance = new Map<string, VideoFeedClient>();
    for (let i = 0; i < 8 && byInstance.size < 2; i += 1) {
      const feed = await VideoFeedClient.connect(wsUrl(), operator);
      feeds.push(feed);
      const welcome = feed.frames.find((f) => f.type === 'welcome') as Extract<VideoWsServerFrame, { type: 'welcome' }>;
      if (!byInstance.has(welcome.instance)) byInstance.set(welcome.instance, feed);
    }
    assert.deepEqual([...byInstance.keys()].sort(), ['video-1', 'video-2']);
    for (const feed of byInstance.values()) {
      feed.send({ type: 'subscribe', drones: [drone.id] });
      await feed.waitFor((f) => f.type === 'subscribed');
    }

    const sample = { ts: new Date().toISOString(), lat: 48.1372, lon: 11.5756, alt_m: 35, battery_pct: 71 };
    const posted = await api('POST', `/drones/${drone.id}/telemetry`, { token: droneToken, body: sample });
    assert.equal(posted.status, 202, JSON.stringify(posted.body));
    for (const feed of byInstance.values()) {
      const frame = await feed.waitFor<Extract<VideoWsServerFrame, { type: 'telemetry' }>>((f) => f.type === 'telemetry' && f.drone_id === drone.id);
      assert.equal(frame.sample.lat, 48.1372);
      assert.equal(frame.sample.ts, sample.ts);
    }

    const bad = (body: unknown) => api('POST', `/drones/${drone.id}/telemetry`, { token: droneToken, body });
    for (const body of [
      { ...sample, lat: 'north' },
      { ...sample, lat: 123 },
      { ...sample, lon: 200 },
      { ...sample, ts: new Date(Date.now() + 24 * 3600_000).toISOString() },
      { samples: [sample, { ...sample, battery_pct: 140 }] },
    ]) {
      const res = await bad(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok(res.body.message, 'a message says what is wrong');
    }
    const history = await api('GET', `/drones/${drone.id}/telemetry`);
    assert.equal(history.body.items.length, 1, 'bad samples were not stored');
  });
});
