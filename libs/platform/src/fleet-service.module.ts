import { createRequire } from 'node:module';
import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import type * as NestTypeOrm from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type Redis from 'ioredis';
import { AuthModule } from '@fleet/auth';
import type { FleetConfig } from '@fleet/config';
import type { ServiceDataSourceOptions } from '@fleet/database';
import { HealthModule, HealthProbe } from '@fleet/health';
import { RequestIdMiddleware } from '@fleet/logging';
import { FLEET_RPC_SERVER, FleetRmqServer, MessagingModule, MessagingModuleOptions, rabbitmqProbe, RpcClient } from '@fleet/messaging';
import { MetricsModule } from '@fleet/metrics';
import { REDIS, RedisModule } from '@fleet/redis';
import { INSTANCE_BEACON_CONFIG, InstanceBeacon, InstanceBeaconConfig } from './instance-roster';

export interface ExtraProbes {
  /** Providers the probes need (the service's own, from its global root module). */
  inject?: unknown[];
  useFactory: (...deps: never[]) => Record<string, HealthProbe>;
}

export interface FleetServiceOptions {
  config: FleetConfig;
  /** The process's name in metrics and connection names (`vision-worker`); defaults to `config.serviceName`. */
  name?: string;
  /** The service's own schema: TypeORM and the `postgres` probe. Omit for processes without a database. */
  database?: ServiceDataSourceOptions;
  /** Redis clients (`REDIS`, `REDIS_SUBSCRIBER`) and the `redis` probe. */
  redis?: boolean;
  /** The global token guard: every route needs a token unless marked `@Public()`. */
  auth?: boolean;
  /** RabbitMQ: always a client; `serve` also consumes the service's queue (started by bootstrapService). */
  messaging?: MessagingModuleOptions & {
    /** Consume another queue than the service's own (a worker pool's). */
    queueOwner?: string;
  };
  /** Probes beyond the standard postgres/redis/rabbitmq ones (chromadb, rtmp, storage...). */
  probes?: ExtraProbes;
}

/** What the platform module was asked for, read back by {@link bootstrapService}. */
export const FLEET_SERVICE = Symbol('FLEET_SERVICE');

export interface FleetServiceInfo {
  /** The module consumes a queue: the bootstrap starts its RMQ server. */
  servesRpc: boolean;
}

const optional = (token: unknown) => ({ token, optional: true });

// TypeORM (about 300 modules, ~7 MB of heap) is loaded only by the processes that ask for a
// database: a worker pool has none and would carry it for nothing (bench:memory).
const load = createRequire(__filename);
const nestTypeOrm = () => load('@nestjs/typeorm') as typeof NestTypeOrm;

/** Stands for the DataSource in the probes' injection list of a process without a database: never provided. */
const NO_DATA_SOURCE = Symbol('NO_DATA_SOURCE');

function healthModule(options: FleetServiceOptions): DynamicModule {
  const extra = options.probes;
  const dataSourceToken = options.database ? nestTypeOrm().getDataSourceToken() : NO_DATA_SOURCE;
  return HealthModule.forRoot({
    inject: [optional(dataSourceToken), optional(REDIS), RpcClient, optional(FLEET_RPC_SERVER), ...(extra?.inject ?? [])],
    useFactory: (...deps: never[]) => {
      const [dataSource, redis, rpc, server, ...rest] = deps as unknown as [DataSource | undefined, Redis | undefined, RpcClient, FleetRmqServer | undefined, ...never[]];
      const probes: Record<string, HealthProbe> = {};
      if (options.database && dataSource) probes.postgres = () => dataSource.query('SELECT 1');
      if (options.redis && redis) probes.redis = () => redis.ping();
      probes.rabbitmq = rabbitmqProbe(rpc, server);
      return { ...probes, ...(extra ? extra.useFactory(...rest) : {}) };
    },
  });
}

/**
 * Everything every fleet process wires the same way: TypeORM on its schema, Redis, the token
 * guard, metrics, RabbitMQ, /health with the standard probes plus the service's own, and the
 * request-id middleware. A root module imports this and then only its feature modules.
 */
@Module({})
export class FleetServiceModule implements NestModule {
  static forRoot(options: FleetServiceOptions): DynamicModule {
    const { config } = options;
    const name = options.name ?? config.serviceName;
    const { queueOwner, ...messaging } = options.messaging ?? {};
    const imports: DynamicModule[] = [];
    if (options.database) imports.push(nestTypeOrm().TypeOrmModule.forRoot({ ...options.database, retryAttempts: 3, retryDelay: 1000 }));
    if (options.redis) imports.push(RedisModule.forRoot(config.redis.url, `${name}-${config.instanceId}`));
    if (options.auth) imports.push(AuthModule.forRoot(config.auth));
    imports.push(
      MetricsModule.forRoot({ service: name, instance: config.instanceId }),
      MessagingModule.forRoot(queueOwner ? { ...config, serviceName: queueOwner } : config, messaging),
      healthModule(options),
    );
    const info: FleetServiceInfo = { servesRpc: Boolean(messaging.serve) };
    return {
      module: FleetServiceModule,
      imports,
      providers: [
        { provide: FLEET_SERVICE, useValue: info },
        // The roll call the console's overview reads (one entry per instance, see instance-roster.ts).
        { provide: INSTANCE_BEACON_CONFIG, useValue: { config, service: name } satisfies InstanceBeaconConfig },
        InstanceBeacon,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestIdMiddleware).forRoutes('*path');
  }
}
