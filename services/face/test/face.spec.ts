import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Client } from 'pg';
import sharp from 'sharp';
import {
  CheckLiveness,
  DetectFaces,
  EnrollFace,
  FaceImageRejection,
  FACE_MAX_IMAGE_BYTES,
  FaceRejection,
  ForgetFace,
  IdentifyFace,
  RpcErrorCode,
  VerifyFace,
} from '@fleet/contracts';
import { RpcClient, RpcError } from '@fleet/messaging';
import { b64, createTestDatabase, createTestVhost, cropFace, franckFrames, freeTcpPort as freePort, groupPhoto, TestDatabase, TestVhost } from '@fleet/testing';
import { faceDataSourceOptions } from '../src/database/face.datasource';
import { VectorIndex } from '../src/index/vector-index';
import { modelVersionOf, defaultModelPaths } from '../src/pipeline/face-models';
import { ChromaServer, startChromaServer } from './support/chroma-server';
import { FaceProcess, spawnFace } from './support/spawn-face';

const run = promisify(execFile);
const REBUILD = path.resolve(__dirname, '../src/rebuild-index.js');

async function rejectionOf(call: Promise<unknown>): Promise<{ error: RpcError; rejections: FaceImageRejection[] }> {
  const error = await call.then(
    () => assert.fail('expected the call to be refused'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof RpcError, `not an RpcError: ${String(error)}`);
  return { error, rejections: ((error.data as { rejections?: FaceImageRejection[] } | undefined)?.rejections ?? []) };
}

describe('face service over RabbitMQ (real models, Postgres, ChromaDB)', () => {
  let db: TestDatabase;
  let chroma: ChromaServer;
  let vhost: TestVhost;
  let face: FaceProcess;
  let rpc: RpcClient;
  let franck: Buffer[];
  let strangers: Buffer[];
  const index = () => new VectorIndex(chroma.url, 'face_templates', modelVersionOf(defaultModelPaths().embedding));

  before(async () => {
    franck = franckFrames();
    // Three different people from one group photo: certainly not Franck, and not each other.
    const group = groupPhoto(3);
    [db, chroma, vhost] = await Promise.all([
      createTestDatabase('face', 'svc_face', faceDataSourceOptions),
      freePort().then(startChromaServer),
      createTestVhost('fleet_face_test'),
    ]);
    face = await spawnFace({ port: await freePort(), databaseUrl: db.url, rabbitmqUrl: vhost.url, chromaUrl: chroma.url, instanceId: 'face-test-1' });
    rpc = new RpcClient({ url: vhost.url, defaultDeadlineMs: 15_000, name: 'face-spec' });
    await rpc.connect();
    const { faces } = await rpc.call(DetectFaces, { image: group });
    assert.equal(faces.length, 3, 'group photo 3 has three people');
    strangers = await Promise.all(faces.map((f) => cropFace(group, f.box)));
  });

  after(async () => {
    await rpc?.close();
    await face?.stop();
    await Promise.all([chroma?.stop(), vhost?.drop(), db?.drop()]);
  });

  it('detects faces with boxes, scores and five landmarks (EXIF orientation honoured)', async () => {
    const frame = franck[0];
    const upright = await rpc.call(DetectFaces, { image: frame });
    assert.equal(upright.faces.length, 1);
    assert.deepEqual([upright.width, upright.height], [720, 576]);
    const [f] = upright.faces;
    assert.ok(f.score > 0.9);
    assert.equal(f.landmarks.length, 5);
    assert.ok(f.landmarks[0].x < f.landmarks[1].x, 'left eye is left of the right eye');
    // Stored rotated by 90° with EXIF orientation 6 ("rotate 90° clockwise to display"): decoded upright again.
    const sideways = await sharp(frame).rotate(-90).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const turned = await rpc.call(DetectFaces, { image: sideways });
    assert.deepEqual([turned.width, turned.height], [720, 576]);
    assert.equal(turned.faces.length, 1);
    assert.ok(Math.abs(turned.faces[0].box.x - f.box.x) < 12, `same box after EXIF rotation: ${turned.faces[0].box.x} vs ${f.box.x}`);
  });

  it('identifies the same person across different frames, and not strangers', async () => {
    const enrolled = await rpc.call(EnrollFace, { personId: 'franck', images: [franck[0], franck[5]] });
    assert.equal(enrolled.templates.length, 2);
    assert.equal(enrolled.totalTemplates, 2);
    assert.match(enrolled.modelVersion, /^fr_feature@[0-9a-f]{12}$/);
    await rpc.call(EnrollFace, { personId: 'stranger-a', images: [strangers[0]] });
    await rpc.call(EnrollFace, { personId: 'stranger-b', images: [strangers[1]] });

    const similarities: number[] = [];
    for (const frame of [1, 2, 3, 4, 6, 7, 8, 9, 10].map((i) => franck[i])) {
      const result = await rpc.call(IdentifyFace, { image: frame });
      assert.equal(result.match?.personId, 'franck', `frame identified as ${JSON.stringify(result.candidates)}`);
      similarities.push(result.match!.similarity);
    }
    const stranger = await rpc.call(IdentifyFace, { image: strangers[2] });
    assert.equal(stranger.match, null, `an unenrolled person matched: ${JSON.stringify(stranger.candidates)}`);
    assert.ok(stranger.candidates.every((c) => c.similarity < stranger.threshold));
    console.log(`same person: min ${Math.min(...similarities)}, max ${Math.max(...similarities)}; best stranger ${stranger.candidates[0]?.similarity} (threshold ${stranger.threshold})`);

    const same = await rpc.call(VerifyFace, { personId: 'franck', image: franck[10] });
    assert.equal(same.match, true);
    const other = await rpc.call(VerifyFace, { personId: 'stranger-a', image: franck[10] });
    assert.equal(other.match, false);
    assert.ok(other.similarity < 0.3, `Franck vs stranger ${other.similarity}`);
  });

  it('takes images as bytes or, from a JSON-only caller, as base64 text; refuses empty and oversize ones by the contract', async () => {
    const asBytes = await rpc.call(IdentifyFace, { image: franck[3] });
    // What a stock Nest client sends: the image as base64 inside plain JSON (no attachment).
    const asText = await rpc.call(IdentifyFace, { image: b64(franck[3]) as unknown as Buffer });
    assert.equal(asBytes.match?.personId, 'franck');
    assert.deepEqual(asText, asBytes);
    const liveness = await rpc.call(CheckLiveness, { frames: [franck[0], b64(franck[1]) as unknown as Buffer] });
    assert.equal(liveness.frames.length, 2);
    for (const [name, image] of [['empty', Buffer.alloc(0)], ['one byte over the limit', Buffer.alloc(FACE_MAX_IMAGE_BYTES + 1)]] as const) {
      await assert.rejects(rpc.call(IdentifyFace, { image }), (e: RpcError) => e.code === RpcErrorCode.InvalidParams && /image must be bytes/.test(e.message), name);
    }
    await assert.rejects(rpc.call(EnrollFace, { personId: 'franck', images: [franck[1], Buffer.alloc(0)] }), (e: RpcError) => e.code === RpcErrorCode.InvalidParams && /each value in images must be bytes/.test(e.message));
  });

  it('calls served at once answer exactly as each does alone (model inputs are reused between runs)', async () => {
    const frames = [1, 2, 3, 4, 6, 7].map((i) => franck[i]).concat(strangers.slice(0, 2));
    const alone = [];
    for (const frame of frames) alone.push(await rpc.call(IdentifyFace, { image: frame }));
    const atOnce = await Promise.all(frames.map((frame) => rpc.call(IdentifyFace, { image: frame })));
    assert.deepEqual(
      atOnce.map((result) => result.candidates),
      alone.map((result) => result.candidates),
    );
    assert.equal(atOnce.filter((result) => result.match?.personId === 'franck').length, 6);
  });

  it('forget removes the person from Postgres and ChromaDB', async () => {
    await rpc.call(EnrollFace, { personId: 'to-forget', images: [strangers[2]] });
    assert.equal((await index().idsOfPerson('to-forget')).length, 1);
    const result = await rpc.call(ForgetFace, { personId: 'to-forget' });
    assert.deepEqual(result, { personId: 'to-forget', existed: true, templatesRemoved: 1 });

    assert.deepEqual(await index().idsOfPerson('to-forget'), []);
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      const { rows } = await pg.query(`SELECT (SELECT count(*) FROM face.person WHERE id = $1)::int AS persons, (SELECT count(*) FROM face.template WHERE person_id = $1)::int AS templates`, ['to-forget']);
      assert.deepEqual(rows[0], { persons: 0, templates: 0 });
    } finally {
      await pg.end();
    }
    const identified = await rpc.call(IdentifyFace, { image: strangers[2] });
    assert.ok(identified.candidates.every((c) => c.personId !== 'to-forget'));
    await assert.rejects(rpc.call(VerifyFace, { personId: 'to-forget', image: strangers[2] }), (e: RpcError) => e.code === RpcErrorCode.NotFound);
    assert.deepEqual(await rpc.call(ForgetFace, { personId: 'to-forget' }), { personId: 'to-forget', existed: false, templatesRemoved: 0 });
  });

  it('refuses enrollment images with the reason: no face, several faces, tiny face, not an image, truncated, 50 megapixels', async () => {
    const blank = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#8899aa' } }).jpeg().toBuffer();
    const tiny = await sharp(franck[0]).resize(96, 77).jpeg().toBuffer();
    const truncated = franck[0].subarray(0, Math.floor(franck[0].length / 2));
    const huge = await sharp({ create: { width: 10_000, height: 5_000, channels: 3, background: '#000' } }).jpeg().toBuffer();
    const cases: Array<[string, Buffer, FaceRejection]> = [
      ['blank', blank, FaceRejection.NoFace],
      ['group', groupPhoto(1), FaceRejection.MultipleFaces],
      ['tiny', tiny, FaceRejection.FaceTooSmall],
      ['text', Buffer.from('this is not an image'), FaceRejection.NotAnImage],
      ['truncated', truncated, FaceRejection.CorruptImage],
      ['50 MP', huge, FaceRejection.TooLarge],
    ];
    for (const [name, image, reason] of cases) {
      const { error, rejections } = await rejectionOf(rpc.call(EnrollFace, { personId: `bad-${name.replace(/\W/g, '')}`, images: [image] }));
      assert.equal(error.code, RpcErrorCode.InvalidParams, name);
      assert.deepEqual(rejections.map((r) => [r.index, r.reason]), [[0, reason]], `${name}: ${error.message}`);
    }
    // All or nothing: one bad image among good ones stores nothing, and says which one failed.
    const { rejections } = await rejectionOf(rpc.call(EnrollFace, { personId: 'mixed', images: [franck[1], groupPhoto(2)] }));
    assert.deepEqual(rejections.map((r) => [r.index, r.reason]), [[1, FaceRejection.MultipleFaces]]);
    assert.deepEqual(await index().idsOfPerson('mixed'), []);
    // Bad params never reach the pipeline; the worker is still healthy after all of this.
    await assert.rejects(rpc.call(EnrollFace, { personId: 'no spaces allowed', images: [franck[1]] }), (e: RpcError) => e.code === RpcErrorCode.InvalidParams);
    assert.equal((await fetch(`${face.url}/health`)).status, 200);
  });

  it('rebuilds the ChromaDB collection from Postgres', async () => {
    const before = await index().count();
    assert.ok(before >= 4);
    await index().recreate();
    assert.equal(await index().count(), 0);
    const { stdout } = await run(process.execPath, [REBUILD], { env: { ...process.env, DATABASE_URL: db.url, CHROMA_URL: chroma.url } });
    const report = JSON.parse(stdout.trim().split('\n').pop()!) as { templates: number; indexed: number };
    assert.equal(report.templates, before);
    assert.equal(report.indexed, before);
    const result = await rpc.call(IdentifyFace, { image: franck[3] });
    assert.equal(result.match?.personId, 'franck');
  });

  it('a pool: two instances consume the same queue with no configuration, and calls survive losing one', async () => {
    const second = await spawnFace({ port: await freePort(), databaseUrl: db.url, rabbitmqUrl: vhost.url, chromaUrl: chroma.url, instanceId: 'face-test-2' });
    try {
      const served = async (instance: FaceProcess): Promise<number> => {
        const text = await (await fetch(`${instance.url}/metrics`)).text();
        const line = text.split('\n').find((l) => l.startsWith('fleet_rpc_server_duration_seconds_count') && l.includes('method="face.identify.v1"') && l.includes('outcome="ok"'));
        return line ? Number(line.split(' ').pop()) : 0;
      };
      const [firstBefore, secondBefore] = [await served(face), await served(second)];
      const calls = Array.from({ length: 16 }, (_, i) => rpc.call(IdentifyFace, { image: franck[i % franck.length] }));
      const results = await Promise.all(calls);
      assert.ok(results.every((r) => r.match?.personId === 'franck'));
      const [firstServed, secondServed] = [(await served(face)) - firstBefore, (await served(second)) - secondBefore];
      assert.equal(firstServed + secondServed, 16);
      assert.ok(firstServed > 0 && secondServed > 0, `work split ${firstServed}/${secondServed}`);

      // Stop one instance while calls are in flight: it finishes what it holds (graceful drain), the rest goes to the other.
      const inFlight = Array.from({ length: 8 }, (_, i) => rpc.call(IdentifyFace, { image: franck[i] }, { deadlineMs: 30_000 }));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await second.stop();
      const survived = await Promise.all(inFlight);
      assert.ok(survived.every((r) => r.match?.personId === 'franck'));
    } finally {
      await second.stop();
    }
  });

  it('liveness: class scores per frame, experimental, and frame variation for several frames', async () => {
    const single = await rpc.call(CheckLiveness, { frames: [franck[0]] });
    assert.equal(single.experimental, true);
    assert.equal(single.frames[0].classScores.length, 3);
    assert.ok(Math.abs(single.frames[0].classScores.reduce((a, b) => a + b, 0) - 1) < 0.01);
    assert.equal(single.frameVariation, undefined);
    const moving = await rpc.call(CheckLiveness, { frames: [franck[0], franck[1], franck[2]] });
    const still = await rpc.call(CheckLiveness, { frames: [franck[0], franck[0], franck[0]] });
    assert.ok(moving.frameVariation! > 5, `moving ${moving.frameVariation}`);
    assert.equal(still.frameVariation, 0);
    assert.equal(still.live, false, 'the same frame three times is a replayed still');
  });
});
