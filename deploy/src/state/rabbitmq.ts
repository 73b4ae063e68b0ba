import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CustomResource } from '../k8s/custom-resource.js';
import { labelsOf } from '../k8s/labels.js';
import type { KubeObject } from '../k8s/manifest.js';
import type { RabbitmqClusterSpec } from '../crds/rabbitmq.js';
import { STATE_SIZING } from '../fleet/resources.js';
import type { DeploySettings } from '../settings.js';
import { repoRoot } from '../repo.js';
import { RABBITMQ_CLUSTER } from './names.js';

/** Labels the RabbitMQ Cluster Operator puts on the cluster's pods. */
export const RABBITMQ_POD_LABELS = { 'app.kubernetes.io/name': RABBITMQ_CLUSTER, 'app.kubernetes.io/component': 'rabbitmq' };

/** compose's gateway/rabbitmq/fleet.conf (consumer_timeout above the longest translator stage), without its comments. */
export function fleetRabbitmqConfig(): string {
  const text = readFileSync(path.join(repoRoot(), 'gateway', 'rabbitmq', 'fleet.conf'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() && !line.trim().startsWith('#'))
    .join('\n')
    .concat('\n');
}

/**
 * RabbitMQ through its Cluster Operator: three nodes, so that the quorum queues the services
 * declare (every RPC and event queue, with their dead-letter queues) keep a majority through the
 * loss of one node.
 */
export function rabbitmqObjects(settings: DeploySettings): KubeObject[] {
  const spec: RabbitmqClusterSpec = {
    replicas: 3,
    resources: STATE_SIZING.rabbitmq,
    persistence: { storage: '20Gi' },
    rabbitmq: { additionalConfig: fleetRabbitmqConfig() },
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: RABBITMQ_POD_LABELS } } },
        ],
      },
    },
  };
  return [
    new CustomResource('rabbitmq.com/v1beta1', 'RabbitmqCluster', { name: RABBITMQ_CLUSTER, namespace: settings.namespace, labels: labelsOf(RABBITMQ_CLUSTER) }, spec, (s) =>
      s.replicas % 2 === 1 && s.replicas >= 3 ? [] : ['quorum queues need an odd number of nodes, at least 3'],
    ),
  ];
}
