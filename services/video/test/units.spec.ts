import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type WebSocket from 'ws';
import { VideoWsServerFrame } from '@fleet/contracts';
import { StreamMeter, streamMsAt } from '../src/ingest/stream-meter';
import { FEED_HARD_LIMIT_BYTES, FEED_SOFT_LIMIT_BYTES, FeedClient } from '../src/realtime/feed-client';
import { parseTelemetryBody } from '../src/telemetry/telemetry-input';

describe(StreamMeter.name, () => {
  test('measures fps and keyframe interval from video timestamps, bit rates from byte samples', () => {
    let now = 0;
    const sut = new StreamMeter(() => now);
    for (let frame = 0; frame < 75; frame++) {
      now = frame * 40;
      sut.observe({ codec_type: 9, flags: frame % 25 === 0 ? 3 : 4, dts: frame * 40, pts: frame * 40, size: 1000 });
      sut.observe({ codec_type: 8, flags: 1, dts: frame * 40, pts: frame * 40, size: 100 }); // audio is not a frame
    }
    sut.observe({ codec_type: 9, flags: 2, dts: 0, pts: 0, size: 40 }); // codec header neither
    for (let second = 0; second <= 3; second++) {
      now = second * 1000;
      sut.sample(second * 62_500, second * 125_000);
    }
    const reading = sut.read();
    assert.equal(reading.fps, 25);
    assert.equal(reading.keyframeIntervalMs, 1000);
    assert.equal(reading.bitrateInKbps, 500);
    assert.equal(reading.bitrateOutKbps, 1000);
    assert.deepEqual(reading.clock, { streamMs: 74 * 40, atMs: 74 * 40 });
  });

  test('maps wall time onto the stream clock from the latest frame', () => {
    assert.equal(streamMsAt({ streamMs: 10_000, atMs: 1_000_000 }, 1_000_250), 10_250);
    assert.equal(streamMsAt(null, 5), null);
  });
});

describe('parseTelemetryBody', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  const ok = { ts: '2026-11-23T11:59:59.500Z', lat: 52.5, lon: 13.4 };
  const messages = (body: unknown) => {
    try {
      parseTelemetryBody(body, now);
    } catch (error) {
      return JSON.stringify((error as { response?: unknown }).response);
    }
    return 'accepted';
  };

  test('takes one sample or a batch', () => {
    assert.equal(parseTelemetryBody(ok, now).length, 1);
    assert.equal(parseTelemetryBody({ samples: [ok, ok] }, now).length, 2);
  });

  test('refuses wrong types, impossible values, far-future and unknown fields, naming each', () => {
    assert.match(messages({ ...ok, lat: '52.5' }), /lat/);
    assert.match(messages({ ...ok, lon: 180.5 }), /lon must not be greater than 180/);
    assert.match(messages({ ...ok, ts: '2026-11-23T12:10:00Z' }), /ts is 600 s in the future/);
    assert.match(messages({ samples: [ok, { ...ok, battery_pct: -1 }] }), /samples\.1\.battery_pct/);
    assert.match(messages({ ...ok, colour: 'red' }), /colour/);
    assert.match(messages([ok]), /one sample object/);
    assert.match(messages({ samples: new Array(501).fill(ok) }), /samples/);
    assert.equal(messages({ ...ok, ts: '2026-11-23T12:00:30Z' }), 'accepted', 'small clock skew is fine');
  });
});

describe(FeedClient.name, () => {
  const fakeSocket = () => {
    const sent: string[] = [];
    const socket = { readyState: 1, bufferedAmount: 0, sent, closed: undefined as number | undefined,
      send(data: Buffer) { sent.push(data.toString()); },
      close(code: number) { this.closed = code; this.readyState = 2; },
      terminate() {} };
    return socket;
  };
  const frame = (lat: number): VideoWsServerFrame => ({ type: 'telemetry', drone_id: 'd1', sample: { lat } as never });

  test('sends everything while the client keeps up, holds only the latest sample per drone while it lags', async () => {
    const socket = fakeSocket();
    const sut = new FeedClient(socket as unknown as WebSocket);
    sut.deliver('d1', true, frame(1), Buffer.from(JSON.stringify(frame(1))));
    assert.equal(socket.sent.length, 1);
    socket.bufferedAmount = FEED_SOFT_LIMIT_BYTES + 1;
    for (let lat = 2; lat < 1000; lat++) sut.deliver('d1', true, frame(lat), Buffer.from(JSON.stringify(frame(lat))));
    assert.equal(socket.sent.length, 1, 'nothing more while congested');
    assert.equal(sut.sampledFrames, 997);
    socket.bufferedAmount = 0;
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(socket.sent.length, 2);
    assert.deepEqual(JSON.parse(socket.sent[1]), { ...frame(999), sampled: true });
    sut.dispose();
  });

  test('drops a client whose backlog passes the hard bound', () => {
    const socket = fakeSocket();
    const sut = new FeedClient(socket as unknown as WebSocket);
    socket.bufferedAmount = FEED_HARD_LIMIT_BYTES;
    const event: VideoWsServerFrame = { type: 'stream', drone_id: 'd1', state: 'published', at: 'now', session_id: 's' };
    sut.deliver('d1', false, event, Buffer.from(JSON.stringify(event)));
    assert.equal(socket.closed, 4408);
    assert.equal(socket.sent.length, 0);
  });
});
