import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { IIoK8sApiCoreV1Volume } from 'kubernetes-models/v1/Volume';
import type { IIoK8sApiCoreV1VolumeMount } from 'kubernetes-models/v1/VolumeMount';
import { labelsOf } from '../k8s/labels.js';
import type { DeploySettings } from '../settings.js';

/**
 * Files the API pods and the worker pods both see, as compose's named volumes: ReadWriteMany
 * claims (NFS, CephFS, EFS, Azure Files, Filestore...). Only storage-relative paths cross
 * RabbitMQ, and writers publish with rename(): the storage must be one POSIX filesystem for all
 * its pods (README, Kubernetes: what moving to S3-compatible storage would take).
 */
interface SharedVolume {
  claim: string;
  size: string;
  mountPath: string;
  workloads: readonly string[];
}

export const SHARED_VOLUMES: readonly SharedVolume[] = [
  // Recorded MP4 segments: written by the ingest pods, served by the API pods.
  { claim: 'video-recordings', size: '200Gi', mountPath: '/data/recordings', workloads: ['video', 'video-ingest'] },
  // Uploads while they are detected, annotated images (the janitor keeps both bounded).
  { claim: 'vision-media', size: '50Gi', mountPath: '/data/vision-media', workloads: ['vision', 'vision-worker'] },
  // Uploads by content hash, every stage's output (the cache), work in progress.
  { claim: 'translator-storage', size: '500Gi', mountPath: '/data/translator', workloads: ['translator', 'translator-worker'] },
];

/**
 * Per-pod scratch: vision's demo model is generated at start (deterministic, seconds); a trained
 * model is mounted read-only and named by VISION_MODEL_PATH.
 */
const POD_VOLUMES: Record<string, { name: string; mountPath: string }[]> = {
  vision: [{ name: 'vision-models', mountPath: '/data/vision-models' }],
  'vision-worker': [{ name: 'vision-models', mountPath: '/data/vision-models' }],
};

export function sharedClaims(settings: DeploySettings): PersistentVolumeClaim[] {
  return SHARED_VOLUMES.map(
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

export function dataVolumesOf(workload: string): { volumes: IIoK8sApiCoreV1Volume[]; mounts: IIoK8sApiCoreV1VolumeMount[] } {
  const shared = SHARED_VOLUMES.filter((volume) => volume.workloads.includes(workload));
  const scratch = POD_VOLUMES[workload] ?? [];
  return {
    volumes: [
      ...shared.map((volume) => ({ name: volume.claim, persistentVolumeClaim: { claimName: volume.claim } })),
      ...scratch.map((volume) => ({ name: volume.name, emptyDir: {} })),
    ],
    mounts: [...shared.map((volume) => ({ name: volume.claim, mountPath: volume.mountPath })), ...scratch],
  };
}
