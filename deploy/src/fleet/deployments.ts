import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Service } from 'kubernetes-models/v1/Service';
import { METRICS_LABEL, labelsOf, selectorOf } from '../k8s/labels.js';
import type { KubeObject } from '../k8s/manifest.js';
import type { DeploySettings } from '../settings.js';
import { poolScaling } from './pool-scaling.js';
import { servicePodTemplate } from './service-pods.js';
import { isWorkerPool, type Workload } from './workloads.js';

/** Upper bounds of the HTTP services' HPAs; the capacity model (`npm run capacity`) says what a network needs. */
const HTTP_MAX_REPLICAS: Record<string, number> = { base: 10, store: 6, video: 6, vision: 6, translator: 4 };

/**
 * Grace for a stopping pod: an HTTP request or RPC in flight ends within the RPC deadline; a
 * detection within VISION_DETECT_DEADLINE_MS (30 s); a translator stage may run for hours, so its
 * pods are never scaled in while they hold one (pool-scaling.ts) and a rollout's interrupted stage
 * is redelivered to another worker.
 */
const GRACE_SECONDS: Record<string, number> = { 'vision-worker': 45, 'translator-worker': 120 };

export function headlessService(settings: DeploySettings, name: string, ports: { name: string; port: number }[]): Service {
  return new Service({
    metadata: { name, namespace: settings.namespace, labels: labelsOf(name, { [METRICS_LABEL]: 'true' }) },
    spec: {
      // Headless: nginx resolves every ready pod itself (as compose's DNS gives it every replica),
      // balances over them and marks a failing one down on its own; Prometheus scrapes each pod.
      clusterIP: 'None',
      selector: selectorOf(name).matchLabels,
      ports: ports.map((port) => ({ name: port.name, port: port.port, targetPort: port.name })),
    },
  });
}

export function disruptionBudget(settings: DeploySettings, name: string): PodDisruptionBudget {
  // maxUnavailable rather than minAvailable: a drain proceeds one pod at a time, even at one replica.
  return new PodDisruptionBudget({
    metadata: { name, namespace: settings.namespace, labels: labelsOf(name) },
    spec: { maxUnavailable: 1, selector: selectorOf(name) },
  });
}

function cpuAutoscaler(settings: DeploySettings, name: string, maxReplicas: number): HorizontalPodAutoscaler {
  return new HorizontalPodAutoscaler({
    metadata: { name, namespace: settings.namespace, labels: labelsOf(name) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: 2,
      maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    },
  });
}

function deployment(settings: DeploySettings, workload: Workload): Deployment {
  return new Deployment({
    metadata: { name: workload.name, namespace: settings.namespace, labels: labelsOf(workload.name) },
    spec: {
      // No `replicas`: the HPA or KEDA owns the count, and an apply must not reset it.
      selector: selectorOf(workload.name),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: servicePodTemplate(settings, {
        name: workload.name,
        service: workload.service,
        entry: workload.entry,
        sizing: workload.sizing,
        terminationGracePeriodSeconds: GRACE_SECONDS[workload.name] ?? 30,
      }),
    },
  });
}

/** A process kind of the fleet: Deployment, headless Service, disruption budget, and how it scales. */
export function workloadObjects(settings: DeploySettings, workload: Workload): KubeObject[] {
  const scaling = isWorkerPool(workload) ? poolScaling(settings, workload.name) : [cpuAutoscaler(settings, workload.name, maxReplicasOf(workload.name))];
  return [
    deployment(settings, workload),
    headlessService(settings, workload.name, [{ name: 'http', port: 3000 }]),
    disruptionBudget(settings, workload.name),
    ...scaling,
  ];
}

function maxReplicasOf(name: string): number {
  const max = HTTP_MAX_REPLICAS[name];
  if (max === undefined) throw new Error(`${name} is an HTTP service without an HPA bound: add it to HTTP_MAX_REPLICAS`);
  return max;
}
