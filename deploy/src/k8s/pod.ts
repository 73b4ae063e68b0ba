import type { IIoK8sApiCoreV1Container } from 'kubernetes-models/v1/Container';
import type { IIoK8sApiCoreV1PodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IIoK8sApiCoreV1Probe } from 'kubernetes-models/v1/Probe';
import type { IIoK8sApiCoreV1TopologySpreadConstraint } from 'kubernetes-models/v1/TopologySpreadConstraint';
import type { IIoK8sApiCoreV1Volume } from 'kubernetes-models/v1/Volume';
import type { IIoK8sApiCoreV1VolumeMount } from 'kubernetes-models/v1/VolumeMount';
import { selectorOf } from './labels.js';

/** The uid and gid of `node` in the node images (the Dockerfile's `USER node`), owner of /data. */
export const NODE_UID = 1000;

/** Readiness: 503 while a dependency (Postgres, Redis, RabbitMQ, the shared storage) is down. */
export const READINESS_PATH = '/health';
/** Liveness: 200 whenever the process answers (libs/health), whatever its dependencies. */
export const LIVENESS_PATH = '/health/live';

const probe = (path: string, periodSeconds: number, failureThreshold: number, timeoutSeconds: number): IIoK8sApiCoreV1Probe => ({
  httpGet: { path, port: 'http' },
  periodSeconds,
  failureThreshold,
  timeoutSeconds,
});

/**
 * Readiness reacts within seconds: the gateway stops sending to a pod whose dependencies are
 * away, and sends again when they are back. Liveness asks only whether the process answers, so a
 * broker or database failover restarts nothing, and a wedged process (its event loop stuck for
 * 30 s) is replaced. The startup probe asks the same, so a pod that starts during an outage is not
 * killed for it.
 */
export const HEALTH_PROBES = {
  readinessProbe: probe(READINESS_PATH, 5, 2, 3),
  livenessProbe: probe(LIVENESS_PATH, 10, 3, 5),
  // Face loads its ONNX models and vision's worker generates its demo model before listening.
  startupProbe: probe(LIVENESS_PATH, 5, 36, 3),
} satisfies Partial<IIoK8sApiCoreV1Container>;

/** Non-root, no privilege escalation, no capabilities, read-only root (writes go to volumes). */
export const RESTRICTED_CONTAINER: IIoK8sApiCoreV1Container['securityContext'] = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};

export function restrictedPodSecurity(uid: number): IIoK8sApiCoreV1PodSpec['securityContext'] {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    // Volumes become writable by the group, whatever the storage made them.
    fsGroup: uid,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** os.tmpdir(): apertium's work files, fontconfig's cache, Node's own temporary files. */
export const TMP_VOLUME: IIoK8sApiCoreV1Volume = { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } };
export const TMP_MOUNT: IIoK8sApiCoreV1VolumeMount = { name: 'tmp', mountPath: '/tmp' };

/**
 * Spread replicas over nodes and zones. ScheduleAnyway: a small cluster still runs every replica;
 * matchLabelKeys keeps a rolling update's new pods spread among themselves.
 */
export function spreadOf(name: string): IIoK8sApiCoreV1TopologySpreadConstraint[] {
  return ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map((topologyKey) => ({
    topologyKey,
    maxSkew: 1,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: selectorOf(name),
    matchLabelKeys: ['pod-template-hash'],
  }));
}
