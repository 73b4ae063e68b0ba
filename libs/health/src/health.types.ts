/** Resolves when the dependency answers, rejects (or times out) when it does not. */
export type HealthProbe = () => Promise<unknown>;

export type DependencyState = 'up' | 'down';

export interface HealthReport {
  status: 'healthy' | 'unhealthy';
  services: Record<string, DependencyState>;
  /** Why each failing dependency is down; omitted when all are up. */
  errors?: Record<string, string>;
}

/** What /health answers through the gateway: the verdict, nothing about the dependencies. */
export type PublicHealthReport = Pick<HealthReport, 'status'>;

export const HEALTH_PROBES = Symbol('HEALTH_PROBES');
