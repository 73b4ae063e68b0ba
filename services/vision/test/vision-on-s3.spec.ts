import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createObjectStore, ObjectStore, StoredObject } from '@fleet/storage';
import { createTestDatabase, createTestRealm, createTestVhost, freeTcpPort, S3RVER_CREDENTIALS, S3Server, ServiceProcess, signTestToken, startS3Server, TestDatabase, TestVhost } from '@fleet/testing';
import { visionDataSourceOptions } from '../src/database/vision.datasource';
import { json, multipart } from './support/http';
import { spawnVision } from './support/spawn-vision';
import { fullKitPatches, toolPhoto } from './support/tool-images';
import { buildZip } from './support/zips';

interface PredictBody {
  results: Array<{ filename: string; success: boolean; count: number; annotated_image_url?: string; error?: { reason: string } }>;
}

async function all(objects: AsyncIterable<StoredObject>): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of objects) keys.push(object.key);
  return keys;
}

/**
 * The vision service (HTTP instance and a worker, compiled, as production runs them) with its media
 * in an S3-compatible bucket: a real server on loopback (s3rver), reached by the real AWS SDK.
 */
describe('vision with its media in an S3 bucket (s3rver)', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let work: string;
  let server: S3Server;
  let bucket: ObjectStore;
  let http: ServiceProcess;
  let worker: ServiceProcess;
  let robot: string;
  const mediaDir = () => path.join(work, 'media');

  const post = (route: string, form: FormData) => fetch(`${http.url}${route}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${robot}` } });

  before(async () => {
    const realm = createTestRealm();
    [db, vhost] = await Promise.all([createTestDatabase('vision', 'svc_vision', visionDataSourceOptions), createTestVhost('fleet_test_vision_s3')]);
    work = mkdtempSync(path.join(os.tmpdir(), 'vision-s3-'));
    server = await startS3Server(path.join(work, 's3'), ['fleet-files']);
    const s3 = { S3_ENDPOINT: server.endpoint, S3_BUCKET: 'fleet-files', S3_PREFIX: 'vision/', S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId, S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey };
    // The test's own view of the bucket, to see what the service left in it.
    bucket = createObjectStore(
      { backend: 's3', s3: { endpoint: s3.S3_ENDPOINT, region: 'us-east-1', bucket: 'fleet-files', prefix: 'vision/', forcePathStyle: true, credentials: S3RVER_CREDENTIALS } },
      { root: path.join(work, 'test-scratch'), scratch: 'tmp' },
    );
    const env = { RABBITMQ_URL: vhost.url, VISION_MEDIA_DIR: mediaDir(), STORAGE_BACKEND: 's3', ...s3 };
    worker = await spawnVision({ entry: 'worker', port: await freeTcpPort(), databaseUrl: db.url, realm, instanceId: 'vw-s3-1', env });
    http = await spawnVision({ entry: 'main', port: await freeTcpPort(), databaseUrl: db.url, realm, instanceId: 'vision-s3-http', env });
    robot = await signTestToken(realm, { sub: 'robot-07', roles: ['robot'] });
  });

  after(async () => {
    await Promise.all([http?.stop(), worker?.stop()]);
    await bucket?.close();
    await server?.stop();
    await db?.drop();
    await vhost?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('reports the bucket as a dependency of its health, up', async () => {
    const health = await json<{ status: string; services: Record<string, string> }>(await fetch(`${http.url}/health`));
    assert.equal(health.services.storage, 'up');
    assert.equal(health.status, 'healthy');
  });

  it('detects a photo uploaded through the bucket and serves its annotated image from there', async () => {
    const response = await post('/predict', multipart({}, [['image', 'kit.jpg', await toolPhoto(fullKitPatches(), { unique: true })]]));
    assert.equal(response.status, 200);
    const [result] = (await json<PredictBody>(response)).results;
    assert.equal(result.count, 11);
    const name = result.annotated_image_url!.split('/').pop()!;

    // Fetched at once: the worker answers before drawing, and the GET waits for the image.
    const media = await fetch(`${http.url}/media/${name}`, { headers: { authorization: `Bearer ${robot}` } });
    assert.equal(media.status, 200);
    assert.deepEqual(await all(bucket.list('annotated/')), [`annotated/${name}`], 'the worker stored the annotated image in the bucket');
    const served = Buffer.from(await media.arrayBuffer());
    assert.deepEqual(served, await bucket.read(`annotated/${name}`));
    assert.equal((await fetch(`${http.url}/media/${'d'.repeat(64)}.jpg`, { headers: { authorization: `Bearer ${robot}` } })).status, 404);
  });

  it('streams ZIP entries into the bucket one by one, and leaves nothing in incoming/, here or there', async () => {
    const zip = await buildZip([
      { name: 'a.jpg', data: await toolPhoto(fullKitPatches(['hammer']), { unique: true }) },
      { name: 'b.jpg', data: await toolPhoto([{ tool: 'hammer', x: 32, y: 32, size: 64 }], { unique: true }) },
      { name: 'notes.txt', data: Buffer.from('not an image') },
    ]);
    const response = await post('/predict/zip', multipart({}, [['zip_file', 'photos.zip', zip]]));
    assert.equal(response.status, 200);
    assert.deepEqual(
      (await json<PredictBody>(response)).results.map((r) => [r.filename, r.success ? r.count : r.error?.reason]),
      [
        ['a.jpg', 10],
        ['b.jpg', 1],
        ['notes.txt', 'not_an_image'],
      ],
    );
    assert.deepEqual(await all(bucket.list('incoming/')), [], 'every upload and entry was removed from the bucket');
    assert.deepEqual(readdirSync(path.join(mediaDir(), 'incoming')), [], 'the local scratch is empty');
    assert.equal(existsSync(path.join(mediaDir(), 'annotated')), false, 'nothing but scratch was written to local disk');
  });
});
