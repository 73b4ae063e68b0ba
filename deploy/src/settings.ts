/**
 * What differs between clusters, read from the environment of `npm run k8s:synth` (defaults in
 * brackets): FLEET_NAMESPACE [fleet], FLEET_PUBLIC_URL [https://fleet.example.com],
 * FLEET_IMAGE_REGISTRY [station-fleet], FLEET_IMAGE_TAG [latest], FLEET_RWX_STORAGE_CLASS [none:
 * the cluster's default, which must then offer ReadWriteMany], FLEET_PROMETHEUS_NAMESPACE
 * [monitoring], FLEET_CLUSTER_DNS [kube-dns.kube-system.svc.cluster.local]; FLEET_S3_BUCKET [none:
 * ReadWriteMany claims], FLEET_S3_ENDPOINT [none: AWS], FLEET_S3_REGION [us-east-1].
 */
export interface DeploySettings {
  namespace: string;
  /** The address browsers, robots and drones use; Keycloak puts it in tokens (`iss`). */
  publicUrl: string;
  /** Images are `<registry>/<service>:<tag>`, built as compose builds them (one Dockerfile, SERVICE=…). */
  imageRegistry: string;
  imageTag: string;
  rwxStorageClass?: string;
  /** Vision's and the translator's shared files in an S3-compatible bucket instead of ReadWriteMany claims. */
  objectStore?: { bucket: string; endpoint?: string; region: string };
  /** The namespace Prometheus runs in: the only one that may reach /metrics. */
  prometheusNamespace: string;
  /** Labels the Prometheus Operator selects ServiceMonitors and PodMonitors by. */
  monitorLabels: Record<string, string>;
  /** The cluster's DNS service: nginx re-resolves the services' pods through it. */
  clusterDns: string;
  /** Namespaces of the operators whose controllers reach the fleet's pods. */
  operatorNamespaces: { cnpg: string; rabbitmq: string; keda: string };
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): DeploySettings {
  const publicUrl = (env.FLEET_PUBLIC_URL ?? 'https://fleet.example.com').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+$/.test(publicUrl)) throw new Error(`FLEET_PUBLIC_URL must be a scheme and a host (and port), got ${publicUrl}`);
  return {
    namespace: env.FLEET_NAMESPACE ?? 'fleet',
    publicUrl,
    imageRegistry: env.FLEET_IMAGE_REGISTRY ?? 'station-fleet',
    imageTag: env.FLEET_IMAGE_TAG ?? 'latest',
    rwxStorageClass: env.FLEET_RWX_STORAGE_CLASS || undefined,
    objectStore: env.FLEET_S3_BUCKET ? { bucket: env.FLEET_S3_BUCKET, endpoint: env.FLEET_S3_ENDPOINT || undefined, region: env.FLEET_S3_REGION || 'us-east-1' } : undefined,
    prometheusNamespace: env.FLEET_PROMETHEUS_NAMESPACE ?? 'monitoring',
    // kube-prometheus-stack selects monitors by its release label; match yours.
    monitorLabels: { release: env.FLEET_PROMETHEUS_RELEASE ?? 'kube-prometheus-stack' },
    clusterDns: env.FLEET_CLUSTER_DNS ?? 'kube-dns.kube-system.svc.cluster.local',
    operatorNamespaces: { cnpg: 'cnpg-system', rabbitmq: 'rabbitmq-system', keda: 'keda' },
  };
}

/** In-cluster DNS name of a Service of the fleet's namespace (nginx's resolver does not use search domains). */
export function serviceHost(settings: DeploySettings, service: string): string {
  return `${service}.${settings.namespace}.svc.cluster.local`;
}
