import type { IIoK8sApiCoreV1EnvVar } from 'kubernetes-models/v1/EnvVar';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { IIoK8sApiCoreV1Volume } from 'kubernetes-models/v1/Volume';
import type { IIoK8sApiCoreV1VolumeMount } from 'kubernetes-models/v1/VolumeMount';
import { labelsOf } from '../k8s/labels.js';
import { fleetSecret } from '../security/secrets.js';
import type { DeploySettings } from '../settings.js';

/**
 * Files the API pods and the worker pods both see, as compose's named volumes: ReadWriteMany
 * claims (NFS, CephFS, EFS, Azure Files, Filestore...). Only storage keys cross RabbitMQ, and
 * writers move finished files in (a rename on one POSIX filesystem shared by all the pods).
 *
 * Vision's and the translator's files can live in an S3-compatible bucket instead
 * (FLEET_S3_BUCKET; their ObjectStore, libs/storage): then their claim is not written, each pod
 * mounts an emptyDir at the same path for its own work in progress (uploads being received,
 * stage inputs downloaded for ffmpeg), and the services share the bucket under their prefix.
 */
interface SharedVolume {
  claim: string;
  size: string;
  mountPath: string;
  workloads: readonly string[];
  /** Where the files go with FLEET_S3_BUCKET, and how much local scratch a pod then gets. */
  bucket?: { prefix: string; scratch: string };
}

export const SHARED_VOLUMES: readonly SharedVolume[] = [
  // Recorded MP4 segments: written by the ingest pods (ffmpeg writes files), served by the API pods.
  { claim: 'video-recordings', size: '200Gi', mountPath: '/data/recordings', workloads: ['video', 'video-ingest'] },
  // Uploads while they are detected, annotated images (the janitor keeps both bounded).
  // Scratch on a bucket: a batch of 64 photos of 32 MB being received, or a 256 MB ZIP.
  { claim: 'vision-media', size: '50Gi', mountPath: '/data/vision-media', workloads: ['vision', 'vision-worker'], bucket: { prefix: 'vision/', scratch: '4Gi' } },
  // Uploads by content hash, every stage's output (the cache), work in progress.
  // Scratch on a bucket: a 500 MB upload being received, or a stage's inputs (up to 4 h of video).
  {
    claim: 'translator-storage',
    size: '500Gi',
    mountPath: '/data/translator',
    workloads: ['translator', 'translator-worker'],
    bucket: { prefix: 'translator/', scratch: '50Gi' },
  },
];

const inBucket = (settings: DeploySettings, volume: SharedVolume): boolean => Boolean(settings.objectStore && volume.bucket);

/**
 * Per-pod scratch: vision's demo model is generated at start (deterministic, seconds); a trained
 * model is mounted read-only and named by VISION_MODEL_PATH.
 */
const POD_VOLUMES: Record<string, { name: string; mountPath: string }[]> = {
  vision: [{ name: 'vision-models', mountPath: '/data/vision-models' }],
  'vision-worker': [{ name: 'vision-models', mountPath: '/data/vision-models' }],
};

export function sharedClaims(settings: DeploySettings): PersistentVolumeClaim[] {
  return SHARED_VOLUMES.filter((volume) => !inBucket(settings, volume)).map(
    (volume) =>
      new PersistentVolumeClaim({
        metadata: { name: volume.claim, namespace: settings.namespace, labels: labelsOf(volume.claim) },
        spec: {
          accessModes: ['ReadWriteMany'],
          ...(settings.rwxStorageClass ? { storageClassName: settings.rwxStorageClass } : {}),
          resources: { requests: { storage: volume.size } },
        },
      }),
  );
}

function volumeOf(settings: DeploySettings, volume: SharedVolume): IIoK8sApiCoreV1Volume {
  if (inBucket(settings, volume)) return { name: volume.claim, emptyDir: { sizeLimit: volume.bucket!.scratch } };
  return { name: volume.claim, persistentVolumeClaim: { claimName: volume.claim } };
}

export function dataVolumesOf(settings: DeploySettings, workload: string): { volumes: IIoK8sApiCoreV1Volume[]; mounts: IIoK8sApiCoreV1VolumeMount[] } {
  const shared = SHARED_VOLUMES.filter((volume) => volume.workloads.includes(workload));
  const scratch = POD_VOLUMES[workload] ?? [];
  return {
    volumes: [...shared.map((volume) => volumeOf(settings, volume)), ...scratch.map((volume) => ({ name: volume.name, emptyDir: {} }))],
    mounts: [...shared.map((volume) => ({ name: volume.claim, mountPath: volume.mountPath })), ...scratch],
  };
}

/**
 * The storage variables of a workload whose shared files are in the bucket (none otherwise). The
 * access key pair is read from fleet-secrets, both keys optional: without them the SDK's default
 * chain applies (IRSA or EKS Pod Identity, GKE/AKS workload identity through their S3 gateways).
 */
export function objectStoreEnv(settings: DeploySettings, workload: string): IIoK8sApiCoreV1EnvVar[] {
  const store = settings.objectStore;
  const volume = SHARED_VOLUMES.find((candidate) => candidate.workloads.includes(workload) && candidate.bucket);
  if (!store || !volume?.bucket) return [];
  return [
    { name: 'STORAGE_BACKEND', value: 's3' },
    { name: 'S3_BUCKET', value: store.bucket },
    { name: 'S3_REGION', value: store.region },
    { name: 'S3_PREFIX', value: volume.bucket.prefix },
    ...(store.endpoint ? [{ name: 'S3_ENDPOINT', value: store.endpoint }] : []),
    fleetSecret('S3_ACCESS_KEY_ID'),
    fleetSecret('S3_SECRET_ACCESS_KEY'),
  ];
}
