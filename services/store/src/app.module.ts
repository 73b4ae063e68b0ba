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
import { STORE_CONFIG, StoreConfig } from './config/store.config';
import { storeDataSourceOptions } from './database/store.datasource';
import { OrderModule } from './orders/order.module';
import { OutboxModule } from './outbox/outbox.module';
import { ProductModule } from './products/product.module';
import { ShopModule } from './shops/shop.module';

@Module({})
export class AppModule implements NestModule {
  static forRoot(config: StoreConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({ ...storeDataSourceOptions(config.db.url), retryAttempts: 3, retryDelay: 1000 }),
        RedisModule.forRoot(config.redis.url, `store-${config.instanceId}`),
        AuthModule.forRoot(config.auth),
        MetricsModule.forRoot({ service: 'store', instance: config.instanceId }),
        MessagingModule.forRoot(config, { serve: true }),
        HealthModule.forRoot({
          inject: [getDataSourceToken(), REDIS, RpcClient, FLEET_RPC_SERVER],
          useFactory: (dataSource: DataSource, redis: Redis, rpc: RpcClient, server: FleetRmqServer) => ({
            postgres: () => dataSource.query('SELECT 1'),
            redis: () => redis.ping(),
            rabbitmq: rabbitmqProbe(rpc, server),
          }),
        }),
        ShopModule,
        ProductModule,
        OrderModule,
        OutboxModule,
      ],
      providers: [{ provide: STORE_CONFIG, useValue: config }],
      exports: [STORE_CONFIG],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestIdMiddleware).forRoutes('*path');
  }
}
