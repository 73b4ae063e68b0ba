import type { Request, Response } from 'express';

/** The liveness route, next to /health (readiness). */
export const LIVENESS_PATH = 'health/live';

/**
 * GET /health/live: 200 whenever the process answers at all, whatever its dependencies. It is what
 * Kubernetes' livenessProbe asks: a pod is restarted when its event loop is stuck or its server is
 * gone, never because Postgres, Redis or RabbitMQ is away. That is /health's 503, the readiness
 * probe's answer: the pod stops getting traffic and gets it back by itself once they return, where
 * restarting every pod of the fleet during a broker failover would only add to the outage.
 *
 * Served as a middleware, not a controller route: it is the kubelet's question to the instance,
 * not part of the service's API (no OpenAPI entry, no token to check, no work to do).
 */
export function answerLiveness(_req: Request, res: Response): void {
  res.status(200).json({ status: 'alive' });
}
