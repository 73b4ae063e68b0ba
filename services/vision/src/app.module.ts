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
import { VISION_CONFIG, VisionConfig } from './config/vision.config';
import { visionDataSourceOptions } from './database/vision.datasource';
import { ToolkitsController, ToolsController } from './catalogue/catalogue.controller';
import { CatalogueRepository } from './catalogue/catalogue.repository';
import { CatalogueService } from './catalogue/catalogue.service';
import { ToolEntity } from './catalogue/tool.entity';
import { ToolkitEntity, ToolkitItemEntity } from './catalogue/toolkit.entity';
import { EngineerEntity } from './engineers/engineer.entity';
import { EngineerEventsController } from './engineers/engineer-events.controller';
import { EngineersRepository } from './engineers/engineers.repository';
import { MediaController } from './media/media.controller';
import { MediaJanitor } from './media/media-janitor';
import { DetectionDispatcher } from './predict/detection-dispatcher';
import { PredictController } from './predict/predict.controller';
import { PredictService } from './predict/predict.service';
import { TransactionEntity } from './transactions/transaction.entity';
import { TransactionsController } from './transactions/transactions.controller';
import { TransactionsRepository } from './transactions/transactions.repository';
import { TransactionsService } from './transactions/transactions.service';

/**
 * The vision HTTP service: catalogue, transactions, predictions (dispatched to the worker pool),
 * media; it consumes `fleet.vision` for base's engineer events. It never runs the model itself.
 */
@Module({})
export class AppModule implements NestModule {
  static forRoot(config: VisionConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({ ...visionDataSourceOptions(config.db.url), retryAttempts: 3, retryDelay: 1000 }),
        TypeOrmModule.forFeature([ToolEntity, ToolkitEntity, ToolkitItemEntity, EngineerEntity, TransactionEntity]),
        RedisModule.forRoot(config.redis.url, `vision-${config.instanceId}`),
        AuthModule.forRoot(config.auth),
        MetricsModule.forRoot({ service: 'vision', instance: config.instanceId }),
        MessagingModule.forRoot(config, { serve: true }),
        HealthModule.forRoot({
          inject: [getDataSourceToken(), REDIS, RpcClient, FLEET_RPC_SERVER],
          useFactory: (dataSource: DataSource, redis: Redis, rpc: RpcClient, server: FleetRmqServer) => ({
            postgres: () => dataSource.query('SELECT 1'),
            redis: () => redis.ping(),
            rabbitmq: rabbitmqProbe(rpc, server),
          }),
        }),
      ],
      controllers: [ToolsController, ToolkitsController, PredictController, MediaController, TransactionsController, EngineerEventsController],
      providers: [
        { provide: VISION_CONFIG, useValue: config },
        CatalogueRepository,
        CatalogueService,
        EngineersRepository,
        DetectionDispatcher,
        MediaJanitor,
        PredictService,
        TransactionsRepository,
        TransactionsService,
      ],
      exports: [VISION_CONFIG],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestIdMiddleware).forRoutes('*path');
  }
}
