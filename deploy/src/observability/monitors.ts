import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { METRICS_LABEL, PART_OF, labelsOf } from '../k8s/labels.js';
import type { KubeObject } from '../k8s/manifest.js';
import type { DeploySettings } from '../settings.js';
import { repoRoot } from '../repo.js';
import { POSTGRES_POD_LABELS } from '../state/postgres.js';
import { RABBITMQ_CLUSTER } from '../state/names.js';

export const DASHBOARD_FILE = path.join('deploy', 'grafana', 'fleet-dashboard.json');

/**
 * What Prometheus scrapes: every fleet process's /metrics (each pod, through the headless
 * Services labelled for it), RabbitMQ's per-queue series (the dashboard's queue depth and work
 * in progress), and CloudNativePG's exporter. The dashboard goes in a ConfigMap that Grafana's
 * dashboard sidecar (kube-prometheus-stack) picks up by its label.
 */
export function monitoringObjects(settings: DeploySettings): KubeObject[] {
  const metadata = (name: string, extra: Record<string, string> = {}) => ({
    name,
    namespace: settings.namespace,
    labels: { ...labelsOf(name), ...settings.monitorLabels, ...extra },
  });
  const dashboard = readFileSync(path.join(repoRoot(), DASHBOARD_FILE), 'utf8');
  return [
    new ServiceMonitor({
      metadata: metadata('fleet-services'),
      spec: {
        selector: { matchLabels: { [METRICS_LABEL]: 'true', 'app.kubernetes.io/part-of': PART_OF } },
        // honorLabels: the services label their series with their own `service` and `instance`
        // (libs/metrics), which the dashboard groups by; Prometheus's target labels would rename them.
        endpoints: [{ port: 'http', path: '/metrics', interval: '30s', honorLabels: true }],
      },
    }),
    new ServiceMonitor({
      metadata: metadata('fleet-rabbitmq'),
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/name': RABBITMQ_CLUSTER, 'app.kubernetes.io/component': 'rabbitmq' } },
        endpoints: [
          { port: 'prometheus', path: '/metrics', interval: '30s' },
          // Per-queue depth and unacked counts (`rabbitmq_detailed_queue_messages_*`).
          { port: 'prometheus', path: '/metrics/detailed', params: { family: ['queue_coarse_metrics', 'queue_consumer_count'] }, interval: '30s' },
        ],
      },
    }),
    new PodMonitor({
      metadata: metadata('fleet-db'),
      spec: { selector: { matchLabels: POSTGRES_POD_LABELS }, podMetricsEndpoints: [{ port: 'metrics', interval: '30s' }] },
    }),
    new ConfigMap({
      metadata: metadata('fleet-grafana-dashboard', { grafana_dashboard: '1' }),
      data: { 'fleet-dashboard.json': dashboard },
    }),
  ];
}
