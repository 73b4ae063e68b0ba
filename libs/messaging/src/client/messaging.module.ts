import { DynamicModule, INestApplication, Module } from '@nestjs/common';
import type { FleetConfig } from '@fleet/config';
import { RpcClient, RpcClientOptions } from './rpc-client';
import { createRpcServer, RpcServerOverrides } from '../server/create-rpc-server';
import type { FleetRmqServer } from '../server/fleet-rmq.server';

export function rpcClientOptions(config: FleetConfig): RpcClientOptions {
  return { url: config.rmq.url, defaultDeadlineMs: config.rmq.deadlineMs, name: `${config.serviceName}-${config.instanceId} rpc-client` };
}

/** The service's own RMQ server strategy (consumer of `fleet.<service>`), when it serves methods or events. */
export const FLEET_RPC_SERVER = Symbol('FLEET_RPC_SERVER');

export interface MessagingModuleOptions {
  client?: Partial<RpcClientOptions>;
  /** Also consume the service's queue (its @RpcHandler/@EventHandler methods); start it with {@link startRpcServer}. */
  serve?: boolean | RpcServerOverrides;
}

/**
 * Provides one {@link RpcClient} per app (global), connected at init and closed at shutdown, and,
 * with `serve`, the service's RMQ server strategy under {@link FLEET_RPC_SERVER}.
 */
@Module({})
export class MessagingModule {
  static forRoot(config: FleetConfig, options: MessagingModuleOptions = {}): DynamicModule {
    const providers: DynamicModule['providers'] = [{ provide: RpcClient, useFactory: () => new RpcClient({ ...rpcClientOptions(config), ...options.client }) }];
    if (options.serve) {
      const overrides = options.serve === true ? {} : options.serve;
      providers.push({ provide: FLEET_RPC_SERVER, useFactory: () => createRpcServer(config, overrides).strategy });
    }
    return { module: MessagingModule, global: true, providers, exports: providers.map((provider) => ('provide' in provider ? provider.provide : provider)) };
  }
}

/**
 * Connects the module's RMQ server to a hybrid app and starts it after `app.init()`, so no handler
 * runs before every provider is ready. Global pipes and filters apply to handlers too.
 */
export async function startRpcServer(app: INestApplication): Promise<void> {
  const strategy = app.get<FleetRmqServer>(FLEET_RPC_SERVER);
  app.connectMicroservice({ strategy }, { inheritAppConfig: true });
  await app.init();
  await app.startAllMicroservices();
}

/**
 * The `rabbitmq` health probe: up when the client's channels are open and, for a serving app, its
 * consumer is registered. Both reconnect on their own after a broker restart.
 */
export function rabbitmqProbe(client: RpcClient, server?: FleetRmqServer): () => Promise<void> {
  return async () => {
    if (!client.isConnected()) throw new Error('RPC client not connected to RabbitMQ');
    if (server && !server.isConnected()) throw new Error('RPC server not consuming from RabbitMQ');
  };
}
