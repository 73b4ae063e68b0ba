export const PART_OF = 'station-fleet';

/** Labels on every object of a component; the first two are its pods' selector. */
export function labelsOf(name: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': PART_OF, ...extra };
}

export function selectorOf(name: string): { matchLabels: Record<string, string> } {
  return { matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': PART_OF } };
}

/** Pods that may open connections to Postgres (services, their migrations, Keycloak through its own rule). */
export const DATABASE_CLIENT_LABEL = 'fleet.station/database-client';
/** Pods that may open connections to RabbitMQ and Redis. */
export const BROKER_CLIENT_LABEL = 'fleet.station/broker-client';
/** Services the fleet's ServiceMonitor scrapes. */
export const METRICS_LABEL = 'fleet.station/metrics';
/** Objects of the migration phase, applied and awaited before the rest (README, Kubernetes). */
export const PHASE_LABEL = 'fleet.station/phase';
