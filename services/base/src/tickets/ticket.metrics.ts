import { Counter, register } from 'prom-client';

/** Looked up by name first, so a second app in one process (tests) reuses the series. */
const existing = register.getSingleMetric('fleet_ticket_checks_total') as Counter<'decision' | 'direction' | 'path'> | undefined;

/**
 * Ticket checks on /metrics, by decision, direction and the path that settled them: `fast` (one
 * statement), `slow` (the serialised transaction after a lost race or a stale cache entry) or
 * `replay` (a retried nonce).
 */
export const ticketChecks =
  existing ??
  new Counter({ name: 'fleet_ticket_checks_total', help: 'Ticket checks answered, by decision, direction and path', labelNames: ['decision', 'direction', 'path'] });
