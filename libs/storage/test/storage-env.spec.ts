import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { storageSettingsOf, WithStorageEnv } from '../src/storage-env';

class Base {
  PORT: number = 3000;
}
class ServiceEnv extends WithStorageEnv(Base) {}

function load(env: Record<string, string>): { env: ServiceEnv; problems: string[] } {
  const instance = plainToInstance(ServiceEnv, env, { enableImplicitConversion: true });
  const problems = validateSync(instance).flatMap((error) => Object.values(error.constraints ?? {}));
  return { env: instance, problems };
}

describe('WithStorageEnv', () => {
  it('defaults to the filesystem, without any S3 variable', () => {
    const { env, problems } = load({});
    assert.deepEqual(problems, []);
    assert.deepEqual(storageSettingsOf(env), { backend: 'fs' });
    assert.equal(env.PORT, 3000, 'the base class keeps its variables');
  });

  it('maps s3 with an endpoint to path style, explicit credentials and a prefix', () => {
    const { env, problems } = load({ STORAGE_BACKEND: 's3', S3_BUCKET: 'fleet', S3_ENDPOINT: 'http://minio:9000', S3_PREFIX: 'vision/', S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'secret' });
    assert.deepEqual(problems, []);
    assert.deepEqual(storageSettingsOf(env), {
      backend: 's3',
      s3: { endpoint: 'http://minio:9000', region: 'us-east-1', bucket: 'fleet', prefix: 'vision/', forcePathStyle: true, credentials: { accessKeyId: 'id', secretAccessKey: 'secret' } },
    });
  });

  it('on AWS itself: virtual-hosted style and the default credential chain', () => {
    const { env } = load({ STORAGE_BACKEND: 's3', S3_BUCKET: 'fleet', S3_REGION: 'eu-west-1' });
    assert.deepEqual(storageSettingsOf(env), { backend: 's3', s3: { endpoint: undefined, region: 'eu-west-1', bucket: 'fleet', prefix: '', forcePathStyle: false, credentials: undefined } });
  });

  it('reports every mistake at once: no bucket, half the credentials, a bad prefix, an unknown backend', () => {
    const bucketless = load({ STORAGE_BACKEND: 's3' }).problems;
    assert.ok(bucketless.length > 0 && bucketless.every((p) => /S3_BUCKET/.test(p)), bucketless.join('; '));
    const { problems } = load({ STORAGE_BACKEND: 's3', S3_ACCESS_KEY_ID: 'id', S3_PREFIX: '/abs' });
    assert.ok(problems.some((p) => /S3_BUCKET/.test(p)), problems.join('; '));
    assert.ok(problems.some((p) => /S3_SECRET_ACCESS_KEY goes with/.test(p)), problems.join('; '));
    assert.ok(problems.some((p) => /S3_PREFIX/.test(p)), problems.join('; '));
    assert.ok(load({ STORAGE_BACKEND: 'gcs' }).problems.some((p) => /STORAGE_BACKEND/.test(p)));
  });
});
