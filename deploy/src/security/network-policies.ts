import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IIoK8sApiNetworkingV1NetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { IIoK8sApiNetworkingV1NetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import { isWorkerPool, type Workload } from '../fleet/workloads.js';
import { GATEWAY } from '../edge/gateway.js';
import { INGEST, RTMP_PORT } from '../fleet/video-ingest.js';
import { BROKER_CLIENT_LABEL, DATABASE_CLIENT_LABEL, labelsOf, selectorOf } from '../k8s/labels.js';
import type { DeploySettings } from '../settings.js';
import { CHROMA_SERVICE } from '../state/names.js';
import { KEYCLOAK_POD_LABELS } from '../state/keycloak.js';
import { POSTGRES_POD_LABELS } from '../state/postgres.js';
import { RABBITMQ_POD_LABELS } from '../state/rabbitmq.js';
import { REDIS_POD_LABELS } from '../state/redis.js';

/**
 * Ingress rules of the fleet's namespace: everything is refused unless a rule below admits it.
 * NetworkPolicies work on addresses and ports, not paths: /metrics shares port 3000 with each
 * service's API, so "only Prometheus reaches /metrics" holds because port 3000 admits only
 * Prometheus's namespace, the gateway (whose nginx.conf answers 404 to every `/<svc>_api/metrics`)
 * and the named peers below (base for face, the video API pods for the ingest's playback).
 * Kubelet probes come from the node and are not subject to these rules on the common CNIs.
 * Egress is left open (webhooks, HTTP engines, the public issuer's keys).
 */
type Rule = { from: IIoK8sApiNetworkingV1NetworkPolicyPeer[]; ports: IIoK8sApiNetworkingV1NetworkPolicyPort[] };

const tcp = (...ports: (number | string)[]): IIoK8sApiNetworkingV1NetworkPolicyPort[] => ports.map((port) => ({ protocol: 'TCP', port }));
const pods = (name: string): IIoK8sApiNetworkingV1NetworkPolicyPeer => ({ podSelector: selectorOf(name) });
const podsLabelled = (labels: Record<string, string>): IIoK8sApiNetworkingV1NetworkPolicyPeer => ({ podSelector: { matchLabels: labels } });
const namespace = (name: string): IIoK8sApiNetworkingV1NetworkPolicyPeer => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
const anywhere: IIoK8sApiNetworkingV1NetworkPolicyPeer[] = [];

function policy(settings: DeploySettings, name: string, podSelector: Record<string, string>, rules: Rule[]): NetworkPolicy {
  return new NetworkPolicy({
    metadata: { name, namespace: settings.namespace, labels: labelsOf(name) },
    spec: {
      podSelector: { matchLabels: podSelector },
      policyTypes: ['Ingress'],
      // An absent `from` admits every source, absent `ports` every port.
      ingress: rules.map((rule) => ({ ...(rule.from.length ? { from: rule.from } : {}), ...(rule.ports.length ? { ports: rule.ports } : {}) })),
    },
  });
}

/** Who may call each fleet process on its HTTP port, besides Prometheus. */
function callersOf(workload: Workload): IIoK8sApiNetworkingV1NetworkPolicyPeer[] {
  // Face is biometrics: its work arrives over RabbitMQ, and only base may reach its pods.
  if (workload.name === 'face') return [pods('base')];
  if (isWorkerPool(workload)) return [];
  return [pods(GATEWAY)];
}

export function networkPolicies(settings: DeploySettings, workloads: Workload[]): NetworkPolicy[] {
  const prometheus = (...ports: (number | string)[]): Rule => ({ from: [namespace(settings.prometheusNamespace)], ports: tcp(...ports) });
  const services = (name: string, from: IIoK8sApiNetworkingV1NetworkPolicyPeer[]): NetworkPolicy =>
    policy(settings, `allow-${name}`, selectorOf(name).matchLabels, [...(from.length ? [{ from, ports: tcp(3000) }] : []), prometheus(3000)]);
  return [
    new NetworkPolicy({
      metadata: { name: 'default-deny-ingress', namespace: settings.namespace, labels: labelsOf('default-deny-ingress') },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    }),
    ...workloads.map((workload) => services(workload.name, callersOf(workload))),
    policy(settings, `allow-${INGEST}`, selectorOf(INGEST).matchLabels, [
      { from: anywhere, ports: tcp(RTMP_PORT) },
      // Playback of a stream is proxied by the video API pods to the ingest pod that holds it.
      { from: [pods('video')], ports: tcp(3000) },
      prometheus(3000),
    ]),
    policy(settings, `allow-${GATEWAY}`, selectorOf(GATEWAY).matchLabels, [{ from: anywhere, ports: tcp(8080) }]),
    // Postgres: the services and their migrations (each with its own role), Keycloak, the
    // instances' replication, CloudNativePG's operator on the instance manager's port, metrics.
    policy(settings, 'allow-postgres', POSTGRES_POD_LABELS, [
      { from: [podsLabelled({ [DATABASE_CLIENT_LABEL]: 'true' }), podsLabelled(KEYCLOAK_POD_LABELS)], ports: tcp(5432) },
      { from: [podsLabelled(POSTGRES_POD_LABELS)], ports: tcp(5432, 8000) },
      { from: [namespace(settings.operatorNamespaces.cnpg)], ports: tcp(8000) },
      prometheus(9187),
    ]),
    policy(settings, 'allow-rabbitmq', RABBITMQ_POD_LABELS, [
      { from: [podsLabelled({ [BROKER_CLIENT_LABEL]: 'true' })], ports: tcp(5672) },
      // Clustering (epmd, distribution, CLI) between the nodes.
      { from: [podsLabelled(RABBITMQ_POD_LABELS)], ports: [] },
      // KEDA reads queue depths and the operator manages users through the management API.
      { from: [namespace(settings.operatorNamespaces.keda), namespace(settings.operatorNamespaces.rabbitmq)], ports: tcp(15672) },
      prometheus(15692),
    ]),
    policy(settings, 'allow-redis', REDIS_POD_LABELS, [{ from: [podsLabelled({ [BROKER_CLIENT_LABEL]: 'true' })], ports: tcp(6379) }, prometheus(9121)]),
    policy(settings, 'allow-keycloak', KEYCLOAK_POD_LABELS, [
      // The gateway routes /keycloak; base and video provision robot and drone clients on its own address.
      { from: [pods(GATEWAY), pods('base'), pods('video'), pods(INGEST)], ports: tcp(8080) },
      // Keycloak's instances share their caches (JGroups).
      { from: [podsLabelled(KEYCLOAK_POD_LABELS)], ports: [] },
      prometheus(9000),
    ]),
    policy(settings, `allow-${CHROMA_SERVICE}`, selectorOf(CHROMA_SERVICE).matchLabels, [{ from: [pods('face')], ports: tcp(8000) }]),
  ];
}
