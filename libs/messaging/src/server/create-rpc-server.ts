import type { CustomStrategy } from '@nestjs/microservices';
import type { FleetConfig } from '@fleet/config';
import { FleetRmqServer, FleetRmqServerOptions } from './fleet-rmq.server';

export type RpcServerOverrides = Partial<Omit<FleetRmqServerOptions, 'url' | 'service' | 'instanceId'>>;

/**
 * Microservice options for `app.connectMicroservice(createRpcServer(config), { inheritAppConfig: true })`.
 * Keep the returned object to reach the strategy (`.strategy.isConnected()` for the health check).
 */
export function createRpcServer(config: FleetConfig, overrides: RpcServerOverrides = {}): CustomStrategy & { strategy: FleetRmqServer } {
  const strategy = new FleetRmqServer({
    url: config.rmq.url,
    service: config.serviceName,
    instanceId: config.instanceId,
    prefetch: config.rmq.prefetch,
    eventPrefetch: config.rmq.eventPrefetch,
    maxDeliveries: config.rmq.maxDeliveries,
    ...overrides,
  });
  return { strategy };
}
