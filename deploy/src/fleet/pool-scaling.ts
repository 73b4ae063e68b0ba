import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import { labelsOf } from '../k8s/labels.js';
import { SECRETS } from '../security/secrets.js';
import { serviceHost, type DeploySettings } from '../settings.js';
import { RABBITMQ_SERVICE } from '../state/names.js';
import { POOL_SCALING } from './workloads.js';

export const RABBITMQ_TRIGGER_AUTH = 'fleet-rabbitmq-keda';

/** KEDA reads queue depths with the broker user the RabbitMQ operator generated (no copy of it). */
export function rabbitmqTriggerAuthentication(settings: DeploySettings): TriggerAuthentication {
  return new TriggerAuthentication({
    metadata: { name: RABBITMQ_TRIGGER_AUTH, namespace: settings.namespace, labels: labelsOf(RABBITMQ_TRIGGER_AUTH) },
    spec: {
      secretTargetRef: [
        { parameter: 'username', name: SECRETS.rabbitmq.name, key: 'username' },
        { parameter: 'password', name: SECRETS.rabbitmq.name, key: 'password' },
      ],
    },
  });
}

/**
 * A worker pool scales on its queue's depth. Through the management API (`protocol: http`) the
 * depth counts messages delivered and not yet acked as well as the waiting ones: the workers ack
 * after the handler, so a stage being worked on keeps its worker.
 */
export function poolScaling(settings: DeploySettings, pool: string): ScaledObject[] {
  const scaling = POOL_SCALING[pool];
  if (!scaling) throw new Error(`Worker pool ${pool} has no queue to scale on: add it to POOL_SCALING (deploy/src/fleet/workloads.ts)`);
  const scaleDown = scaling.scaleInOnlyToZero
    ? { selectPolicy: 'Disabled' }
    : { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] };
  return [
    new ScaledObject({
      metadata: { name: pool, namespace: settings.namespace, labels: labelsOf(pool) },
      spec: {
        scaleTargetRef: { name: pool },
        minReplicaCount: scaling.min,
        maxReplicaCount: scaling.max,
        pollingInterval: 15,
        // With min 0: the queue must stay empty (nothing waiting, nothing unacked) this long.
        cooldownPeriod: 300,
        advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown } } },
        triggers: [
          {
            type: 'rabbitmq',
            metadata: {
              protocol: 'http',
              host: `http://${serviceHost(settings, RABBITMQ_SERVICE)}:15672/`,
              vhostName: '/',
              queueName: scaling.queue,
              mode: 'QueueLength',
              value: String(scaling.perReplica),
            },
            authenticationRef: { name: RABBITMQ_TRIGGER_AUTH },
          },
        ],
      },
    }),
  ];
}
