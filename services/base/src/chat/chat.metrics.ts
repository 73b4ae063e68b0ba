import { Counter, Gauge, register } from 'prom-client';

function counter<L extends string>(name: string, help: string, labelNames: L[] = []): Counter<L> {
  return (register.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter({ name, help, labelNames });
}

function gauge(name: string, help: string): Gauge {
  return (register.getSingleMetric(name) as Gauge | undefined) ?? new Gauge({ name, help });
}

/** Chat series on /metrics; looked up by name so a second app in one process (tests) reuses them. */
export const chatMetrics = {
  connections: gauge('fleet_chat_connections', 'Open, authenticated chat sockets on this instance'),
  stored: counter('fleet_chat_messages_stored_total', 'Messages stored by senders connected to this instance'),
  refused: counter('fleet_chat_frames_refused_total', 'Client frames answered with an error frame, by error code', ['code']),
  closed: counter('fleet_chat_closes_total', 'Sockets closed by the server, by close code', ['code']),
  filled: counter('fleet_chat_backlog_fills_total', 'Reads of missed messages from Postgres to close a delivery gap, by cause', ['cause']),
  publishFailures: counter('fleet_chat_publish_failures_total', 'Messages stored but not published to Redis (other instances catch up from Postgres)'),
};
