import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { validateEnv } from '@fleet/config';
import { storageSettingsOf, WithStorageEnv } from '@fleet/storage';
import { settingsFromEnv } from '../src/settings.js';
import { synthesize } from '../src/synth.js';
import { renderFiles } from '../src/write.js';
import { ofKind, podSpecs, type Written } from './fixture.js';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}

const BUCKETED = ['vision', 'vision-worker', 'translator', 'translator-worker'];

/** The manifests with vision's and the translator's files in a MinIO bucket. */
function writtenWithBucket(): Written[] {
  const settings = settingsFromEnv({ FLEET_S3_BUCKET: 'fleet-files', FLEET_S3_ENDPOINT: 'http://minio.storage.svc.cluster.local:9000' });
  return [...renderFiles(synthesize(settings))].flatMap(([file, text]) => parseAllDocuments(text).map((doc) => ({ file, ...(doc.toJS() as Omit<Written, 'file'>) })));
}

const deploymentOf = (objects: Written[], name: string) => objects.find((object) => object.kind === 'Deployment' && object.metadata.name === name)!;
const envOf = (deployment: Written): EnvVar[] => deployment.spec!.template.spec.containers[0].env;

/** What the service's env class makes of a pod's plain variables, the Secret's keys filled in as a cluster would. */
class StorageOnly extends WithStorageEnv(class {}) {}
function storageOfPod(env: EnvVar[]) {
  const values = Object.fromEntries(env.map((v) => [v.name, v.value ?? (v.valueFrom?.secretKeyRef ? `from-${v.valueFrom.secretKeyRef.key}` : '')]));
  return storageSettingsOf(validateEnv(StorageOnly, values));
}

describe('shared files: ReadWriteMany claims, or an S3-compatible bucket', () => {
  it('by default, vision and the translator share ReadWriteMany claims and read no S3 variable', () => {
    const claims = ofKind('PersistentVolumeClaim').map((claim) => claim.metadata.name);
    assert.deepEqual(claims.sort(), ['translator-storage', 'video-recordings', 'vision-media']);
    for (const { owner, spec } of podSpecs().filter(({ owner }) => BUCKETED.includes(owner.metadata.name))) {
      assert.equal(storageOfPod(spec.containers[0].env).backend, 'fs', owner.metadata.name);
      assert.ok(spec.volumes.some((v: { persistentVolumeClaim?: unknown }) => v.persistentVolumeClaim), `${owner.metadata.name} mounts its claim`);
    }
  });

  it('with FLEET_S3_BUCKET, their claims go; each pod keeps a bounded scratch at the same path', () => {
    const objects = writtenWithBucket();
    assert.deepEqual(
      objects.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.metadata.name),
      ['video-recordings'],
      'recordings stay on a claim: ffmpeg writes them as files',
    );
    for (const name of BUCKETED) {
      const spec = deploymentOf(objects, name).spec!.template.spec;
      const claim = name.startsWith('vision') ? 'vision-media' : 'translator-storage';
      const volume = spec.volumes.find((v: { name: string }) => v.name === claim);
      assert.ok(volume?.emptyDir?.sizeLimit, `${name}: ${claim} is a sized emptyDir`);
      assert.equal(volume.persistentVolumeClaim, undefined);
      assert.ok(spec.containers[0].volumeMounts.some((m: { name: string }) => m.name === claim), `${name} mounts it`);
    }
  });

  it('gives each service valid S3 settings under its own prefix, the keys only from the Secret', () => {
    const objects = writtenWithBucket();
    const prefixes = new Map<string, string>();
    for (const name of BUCKETED) {
      const env = envOf(deploymentOf(objects, name));
      const storage = storageOfPod(env);
      assert.equal(storage.backend, 's3', name);
      if (storage.backend !== 's3') continue;
      assert.equal(storage.s3.bucket, 'fleet-files');
      assert.equal(storage.s3.endpoint, 'http://minio.storage.svc.cluster.local:9000');
      assert.equal(storage.s3.forcePathStyle, true);
      prefixes.set(name, storage.s3.prefix);
      for (const key of ['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY']) {
        const variable = env.find((v) => v.name === key);
        assert.deepEqual(variable?.valueFrom?.secretKeyRef, { name: 'fleet-secrets', key, optional: true }, `${name}: ${key}`);
      }
    }
    assert.equal(prefixes.get('vision'), prefixes.get('vision-worker'), "the API and its workers see the same files");
    assert.equal(prefixes.get('translator'), prefixes.get('translator-worker'));
    assert.notEqual(prefixes.get('vision'), prefixes.get('translator'));
    for (const other of ['base', 'store', 'video']) assert.ok(!envOf(deploymentOf(objects, other)).some((v) => v.name.startsWith('S3_')), other);
  });
});
