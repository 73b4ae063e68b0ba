import { CustomResource } from '../k8s/custom-resource.js';
import { labelsOf } from '../k8s/labels.js';
import type { KubeObject } from '../k8s/manifest.js';
import type { RedisSpec } from '../crds/redis-operator.js';
import { STATE_SIZING } from '../fleet/resources.js';
import type { DeploySettings } from '../settings.js';
import { REDIS_NAME } from './names.js';

/** Labels OT-Container-Kit's operator puts on a standalone Redis's pods. */
export const REDIS_POD_LABELS = { app: REDIS_NAME, redis_setup_type: 'standalone' };

/**
 * Redis through OT-Container-Kit's redis-operator (Apache-2.0, maintained, CRDs for standalone,
 * replication with Sentinel, and cluster). Standalone, as in compose: the fleet keeps a cache,
 * pub/sub fan-out, idempotency keys and who holds which stream there, all of which rebuild
 * themselves, and its clients take one REDIS_URL (no Sentinel). No password: only the fleet's
 * pods reach it (NetworkPolicy).
 */
export function redisObjects(settings: DeploySettings): KubeObject[] {
  const spec: RedisSpec = {
    kubernetesConfig: { image: 'quay.io/opstree/redis:v7.0.15', imagePullPolicy: 'IfNotPresent', resources: STATE_SIZING.redis },
    redisExporter: { enabled: true, image: 'quay.io/opstree/redis-exporter:v1.44.0' },
    podSecurityContext: { runAsUser: 1000, fsGroup: 1000 },
  };
  return [new CustomResource('redis.redis.opstreelabs.in/v1beta2', 'Redis', { name: REDIS_NAME, namespace: settings.namespace, labels: labelsOf(REDIS_NAME) }, spec)];
}
