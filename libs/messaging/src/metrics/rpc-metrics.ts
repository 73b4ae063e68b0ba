import { Counter, Gauge, Histogram, register } from 'prom-client';

/** Client outcomes: `ok`, `error` (a domain error reply), `deadline_exceeded`, `unavailable`. */
export type ClientOutcome = 'ok' | 'error' | 'deadline_exceeded' | 'unavailable';
/** Server outcomes; `retried` and `dead_lettered` are unexpected failures, `expired` was dropped unhandled. */
export type ServerOutcome = 'ok' | 'error' | 'retried' | 'dead_lettered' | 'expired';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

// prom-client throws when a name is registered twice (two clients in one process, a test that
// builds two apps), so every metric is looked up in the default registry before it is created.
function histogram(name: string, help: string): Histogram<'method' | 'outcome'> {
  const existing = register.getSingleMetric(name) as Histogram<'method' | 'outcome'> | undefined;
  return existing ?? new Histogram({ name, help, labelNames: ['method', 'outcome'], buckets: BUCKETS });
}

let clientDuration: Histogram<'method' | 'outcome'> | undefined;
let serverDuration: Histogram<'method' | 'outcome'> | undefined;
let deadLettered: Counter<'queue' | 'method'> | undefined;

export function rpcClientDuration(): Histogram<'method' | 'outcome'> {
  return (clientDuration ??= histogram('fleet_rpc_client_duration_seconds', 'RPC calls made, by method and outcome, with their latency'));
}

export function rpcServerDuration(): Histogram<'method' | 'outcome'> {
  return (serverDuration ??= histogram('fleet_rpc_server_duration_seconds', 'RPC and event deliveries handled, by method and outcome'));
}

export function rpcDeadLettered(): Counter<'queue' | 'method'> {
  const name = 'fleet_rpc_dead_lettered_total';
  return (deadLettered ??=
    (register.getSingleMetric(name) as Counter<'queue' | 'method'> | undefined) ??
    new Counter({ name, help: 'Messages sent to a dead-letter queue after failing every attempt', labelNames: ['queue', 'method'] }));
}

type UnroutedSource = () => Promise<number | undefined>;
const unroutedSources = new Set<UnroutedSource>();

/**
 * `fleet_events_unrouted`: events published that no queue was bound to, waiting in the unrouted
 * queue. Read from the broker at scrape time through whichever registered client is connected.
 * Returns the function that unregisters `source`.
 */
export function reportUnroutedEvents(source: UnroutedSource): () => void {
  const name = 'fleet_events_unrouted';
  if (!register.getSingleMetric(name)) {
    new Gauge({
      name,
      help: 'Events published with no queue bound to their name, kept in the unrouted queue',
      async collect() {
        for (const read of unroutedSources) {
          const count = await read().catch(() => undefined);
          if (count !== undefined) return void this.set(count);
        }
      },
    });
  }
  unroutedSources.add(source);
  return () => unroutedSources.delete(source);
}
