import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HealthModule } from '@fleet/health';
import { FLEET_RPC_SERVER, FleetRmqServer, MessagingModule, rabbitmqProbe, RpcClient } from '@fleet/messaging';
import { MetricsModule } from '@fleet/metrics';
import { RequestIdMiddleware } from '@fleet/logging';
import { FACE_CONFIG, FaceConfig } from './config/face.config';
import { faceDataSourceOptions } from './database/face.datasource';
import { FaceModule } from './face/face.module';
import { createVectorIndex, FACE_PIPELINE, VECTOR_INDEX } from './face/face-runtime';
import { VectorIndex } from './index/vector-index';
import { FacePipeline } from './pipeline/face-pipeline';

/**
 * The face service: no public routes (nginx has no path to it), HTTP only for /health and
 * /metrics; its work arrives over RabbitMQ. The pipeline is loaded before the module is built
 * so a missing or wrong model fails the boot, not the first request.
 */
@Module({})
export class AppModule implements NestModule {
  static forRoot(config: FaceConfig, pipeline: FacePipeline): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({ ...faceDataSourceOptions(config.db.url), retryAttempts: 3, retryDelay: 1000 }),
        MetricsModule.forRoot({ service: 'face', instance: config.instanceId }),
        MessagingModule.forRoot(config, { serve: true }),
        HealthModule.forRoot({
          inject: [getDataSourceToken(), RpcClient, FLEET_RPC_SERVER, VECTOR_INDEX],
          useFactory: (dataSource: DataSource, rpc: RpcClient, server: FleetRmqServer, index: VectorIndex) => ({
            postgres: () => dataSource.query('SELECT 1'),
            rabbitmq: rabbitmqProbe(rpc, server),
            chromadb: () => index.heartbeat(),
          }),
        }),
        FaceModule,
      ],
      providers: [
        { provide: FACE_CONFIG, useValue: config },
        { provide: FACE_PIPELINE, useValue: pipeline },
        { provide: VECTOR_INDEX, useFactory: () => createVectorIndex(config, pipeline) },
      ],
      exports: [FACE_CONFIG, FACE_PIPELINE, VECTOR_INDEX],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestIdMiddleware).forRoutes('*path');
  }
}
