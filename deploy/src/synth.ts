import { Namespace } from 'kubernetes-models/v1/Namespace';
import { gatewayObjects } from './edge/gateway.js';
import { workloadObjects } from './fleet/deployments.js';
import { migrationJob } from './fleet/migrations.js';
import { rabbitmqTriggerAuthentication } from './fleet/pool-scaling.js';
import { videoIngestObjects } from './fleet/video-ingest.js';
import { fleetWorkloads, migratedServices } from './fleet/workloads.js';
import { PART_OF } from './k8s/labels.js';
import { manifestsOf, validateManifest, type Manifest } from './k8s/manifest.js';
import { monitoringObjects } from './observability/monitors.js';
import { networkPolicies } from './security/network-policies.js';
import type { DeploySettings } from './settings.js';
import { chromaObjects } from './state/chromadb.js';
import { keycloakObjects } from './state/keycloak.js';
import { postgresObjects } from './state/postgres.js';
import { rabbitmqObjects } from './state/rabbitmq.js';
import { redisObjects } from './state/redis.js';
import { sharedClaims } from './state/storage.js';

function namespaceOf(settings: DeploySettings): Namespace {
  return new Namespace({
    metadata: {
      name: settings.namespace,
      labels: {
        'app.kubernetes.io/part-of': PART_OF,
        // The fleet's own pods meet `restricted`; the operators' pods are held to `baseline`.
        'pod-security.kubernetes.io/enforce': 'baseline',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
      },
    },
  });
}

/**
 * Every object of the fleet's deployment, each validated (the Kubernetes OpenAPI schema through
 * kubernetes-models, names, namespaces) before anything is written. Components are the files.
 */
export function synthesize(settings: DeploySettings): Manifest[] {
  const workloads = fleetWorkloads();
  const manifests: Manifest[] = [
    ...manifestsOf('namespace', [namespaceOf(settings)]),
    ...manifestsOf('storage', sharedClaims(settings)),
    ...manifestsOf('postgres', postgresObjects(settings)),
    ...manifestsOf('rabbitmq', rabbitmqObjects(settings)),
    ...manifestsOf('redis', redisObjects(settings)),
    ...manifestsOf('keycloak', keycloakObjects(settings)),
    ...manifestsOf('chromadb', chromaObjects(settings)),
    ...manifestsOf('migrations', migratedServices().map((service) => migrationJob(settings, service))),
    ...manifestsOf('autoscaling', [rabbitmqTriggerAuthentication(settings)]),
    ...workloads.flatMap((workload) => manifestsOf(workload.name, workloadObjects(settings, workload))),
    ...manifestsOf('video-ingest', videoIngestObjects(settings)),
    ...manifestsOf('gateway', gatewayObjects(settings)),
    ...manifestsOf('network-policies', networkPolicies(settings, workloads)),
    ...manifestsOf('monitoring', monitoringObjects(settings)),
  ];
  const seen = new Set<string>();
  for (const { object } of manifests) {
    validateManifest(object);
    const key = `${object.apiVersion}/${object.kind}/${object.metadata?.name}`;
    if (seen.has(key)) throw new Error(`Two objects named ${key}`);
    seen.add(key);
  }
  return manifests;
}
