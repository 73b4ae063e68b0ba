import type { IIoK8sApiCoreV1Affinity } from 'kubernetes-models/v1/Affinity';
import type { IIoK8sApiCoreV1ResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';

/*
 * Minimal typed interface for the RabbitMQ Cluster Operator's `rabbitmq.com/v1beta1`
 * RabbitmqCluster (no typed models on npm): the fields the fleet sets, from the operator's API
 * reference. The operator makes the Service `<name>` (5672 amqp, 15672 management, 15692
 * prometheus) and the Secret `<name>-default-user` (username, password).
 */
export interface RabbitmqClusterSpec {
  replicas: number;
  resources: IIoK8sApiCoreV1ResourceRequirements;
  persistence: { storage: string; storageClassName?: string };
  /** Appended to the generated rabbitmq.conf. */
  rabbitmq: { additionalConfig: string };
  affinity: IIoK8sApiCoreV1Affinity;
}
