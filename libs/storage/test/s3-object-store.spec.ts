import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { S3RVER_CREDENTIALS, startS3Server } from '@fleet/testing';
import { createObjectStore, describeStorage } from '../src/create-object-store';
import { FilesystemObjectStore } from '../src/filesystem-object-store';
import { S3ObjectStore, s3ClientOf, S3Settings } from '../src/s3-object-store';
import { objectStoreContract } from './object-store.contract';

/**
 * A real S3-compatible server on loopback (s3rver: the S3 REST API over HTTP, objects on disk),
 * driven by the real AWS SDK: nothing here is mocked. s3rver checks the access key id, not V4
 * signatures, and has no AbortMultipartUpload.
 */
async function startS3(buckets: string[]): Promise<{ settings: (bucket: string, prefix: string) => S3Settings; stop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
  const server = await startS3Server(dir, buckets);
  return {
    // Path style, as for MinIO.
    settings: (bucket, prefix) => ({ endpoint: server.endpoint, region: 'us-east-1', bucket, prefix, forcePathStyle: true, credentials: S3RVER_CREDENTIALS }),
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function storeOf(settings: S3Settings, scratch: string): S3ObjectStore {
  return new S3ObjectStore(s3ClientOf(settings), settings, scratch);
}

objectStoreContract('S3ObjectStore (s3rver)', async () => {
  const s3 = await startS3(['fleet']);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 's3-scratch-'));
  const store = storeOf(s3.settings('fleet', 'translator/'), scratch);
  return {
    store,
    scratch,
    stop: async () => {
      await store.close();
      await s3.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
});

describe(S3ObjectStore.name, () => {
  let s3: Awaited<ReturnType<typeof startS3>>;
  let scratch: string;
  before(async () => {
    s3 = await startS3(['shared']);
    scratch = mkdtempSync(path.join(os.tmpdir(), 's3-scratch-'));
  });
  after(async () => {
    await s3?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('keeps services apart by prefix in one bucket', async () => {
    const vision = storeOf(s3.settings('shared', 'vision/'), scratch);
    const translator = storeOf(s3.settings('shared', 'translator/'), scratch);
    try {
      await vision.put('annotated/a.jpg', Buffer.from('v'));
      await translator.put('annotated/a.jpg', Buffer.from('t'));
      assert.equal((await vision.read('annotated/a.jpg'))?.toString(), 'v');
      assert.equal((await translator.read('annotated/a.jpg'))?.toString(), 't');
      const listed: string[] = [];
      for await (const object of vision.list('')) listed.push(object.key);
      assert.deepEqual(listed, ['annotated/a.jpg']);
    } finally {
      await vision.close();
      await translator.close();
    }
  });

  it('its probe fails for a bucket that does not exist, and for an unknown access key', async () => {
    const missing = storeOf(s3.settings('no-such-bucket', ''), scratch);
    const wrongKey = storeOf({ ...s3.settings('shared', ''), credentials: { accessKeyId: 'NOT-A-KEY', secretAccessKey: 'S3RVER' } }, scratch);
    try {
      await assert.rejects(missing.probe());
      await assert.rejects(wrongKey.probe());
      await assert.rejects(wrongKey.read('anything'), /Access Key Id/i);
    } finally {
      await missing.close();
      await wrongKey.close();
    }
  });

  it('createObjectStore gives the bucket for s3 settings (scratch under the local root) and the directory for fs', async () => {
    const settings = s3.settings('shared', 'made/');
    const store = createObjectStore({ backend: 's3', s3: settings }, { root: scratch, scratch: 'tmp' });
    try {
      assert.ok(store instanceof S3ObjectStore);
      assert.equal(store.location, 's3://shared/made/');
      assert.equal(describeStorage({ backend: 's3', s3: settings }, scratch), `s3://shared/made/ at ${settings.endpoint}`);
      assert.equal(path.dirname(await store.scratchFile()), path.join(scratch, 'tmp'));
      await store.put('x/y', Buffer.from('via factory'));
      assert.equal((await store.read('x/y'))?.toString(), 'via factory');
    } finally {
      await store.close();
    }
    assert.ok(createObjectStore({ backend: 'fs' }, { root: scratch, scratch: 'tmp' }) instanceof FilesystemObjectStore);
  });

  it('a local copy for programs is a download into scratch, removed on release', async () => {
    const store = storeOf(s3.settings('shared', 'copies/'), scratch);
    try {
      await store.put('files/clip.wav', Buffer.from('RIFF'));
      const local = await store.localCopy('files/clip.wav');
      assert.ok(local && local.path.startsWith(scratch + path.sep), local?.path);
      await local.release();
      assert.equal(existsSync(local.path), false);
      assert.equal((await store.read('files/clip.wav'))?.toString(), 'RIFF', 'the object stays');
    } finally {
      await store.close();
    }
  });
});
