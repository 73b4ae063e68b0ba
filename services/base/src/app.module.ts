import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import Redis from 'ioredis';
import { AuthModule } from '@fleet/auth';
import { HealthModule } from '@fleet/health';
import { FLEET_RPC_SERVER, FleetRmqServer, MessagingModule, rabbitmqProbe, RpcClient } from '@fleet/messaging';
import { MetricsModule } from '@fleet/metrics';
import { RequestIdMiddleware } from '@fleet/logging';
import { REDIS, RedisModule } from '@fleet/redis';
import { BASE_CONFIG, BaseConfig } from './config/base.config';
import { baseDataSourceOptions } from './database/base.datasource';
import { ChatModule } from './chat/chat.module';
import { OrdersModule } from './orders/orders.module';
import { EngineersModule } from './engineers/engineers.module';
import { RobotsModule } from './robots/robots.module';
import { TicketsModule } from './tickets/tickets.module';
import { FaceAuthModule } from './face-auth/face-auth.module';

@Module({})
export class AppModule implements NestModule {
  static forRoot(config: BaseConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({ ...baseDataSourceOptions(config.db.url), retryAttempts: 3, retryDelay: 1000 }),
        RedisModule.forRoot(config.redis.url, `base-${config.instanceId}`),
        AuthModule.forRoot(config.auth),
        MetricsModule.forRoot({ service: 'base', instance: config.instanceId }),
        MessagingModule.forRoot(config, { serve: true }),
        HealthModule.forRoot({
          inject: [getDataSourceToken(), REDIS, RpcClient, FLEET_RPC_SERVER],
          useFactory: (dataSource: DataSource, redis: Redis, rpc: RpcClient, server: FleetRmqServer) => ({
            postgres: () => dataSource.query('SELECT 1'),
            redis: () => redis.ping(),
            rabbitmq: rabbitmqProbe(rpc, server),
          }),
        }),
        ChatModule,
        OrdersModule,
        RobotsModule,
        TicketsModule,
        EngineersModule,
        FaceAuthModule,
      ],
      providers: [{ provide: BASE_CONFIG, useValue: config }],
      exports: [BASE_CONFIG],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestIdMiddleware).forRoutes('*path');
  }
}
