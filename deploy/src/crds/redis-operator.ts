import type { IIoK8sApiCoreV1ResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';

/*
 * Minimal typed interface for OT-Container-Kit's redis-operator `redis.redis.opstreelabs.in/v1beta2`
 * Redis (standalone; no typed models on npm), from the operator's examples. The operator makes the
 * Service `<name>` on 6379 (and 9121 for its exporter).
 */
export interface RedisSpec {
  kubernetesConfig: { image: string; imagePullPolicy: 'IfNotPresent'; resources: IIoK8sApiCoreV1ResourceRequirements };
  redisExporter: { enabled: boolean; image: string };
  podSecurityContext: { runAsUser: number; fsGroup: number };
}
