import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import Redis from 'ioredis';
import { HealthModule } from '@fleet/health';
import { RequestIdMiddleware } from '@fleet/logging';
import { FLEET_RPC_SERVER, FleetRmqServer, MessagingModule, rabbitmqProbe, RpcClient } from '@fleet/messaging';
import { MetricsModule } from '@fleet/metrics';
import { REDIS, RedisModule } from '@fleet/redis';
import { VISION_CONFIG, VisionConfig } from './config/vision.config';
import { DetectRpcController } from './worker/detect.rpc.controller';
import { DetectionCache } from './worker/detection-cache';
import { DetectorService } from './worker/detector.service';

/** The worker's queue owner name: `vision_worker.detect.v1` lands on `fleet.vision_worker`. */
export const WORKER_SERVICE = 'vision_worker';

/**
 * A vision worker: consumes detection requests, runs the model, serves /health and /metrics on
 * PORT. No database: everything it needs travels in the message or sits in shared storage.
 */
@Module({})
export class WorkerModule implements NestModule {
  static forRoot(config: VisionConfig): DynamicModule {
    const queueConfig = { ...config, serviceName: WORKER_SERVICE };
    return {
      module: WorkerModule,
      global: true,
      imports: [
        RedisModule.forRoot(config.redis.url, `vision-worker-${config.instanceId}`),
        MetricsModule.forRoot({ service: 'vision-worker', instance: config.instanceId }),
        MessagingModule.forRoot(queueConfig, { serve: { prefetch: config.vision.workerConcurrency } }),
        HealthModule.forRoot({
          inject: [REDIS, RpcClient, FLEET_RPC_SERVER],
          useFactory: (redis: Redis, rpc: RpcClient, server: FleetRmqServer) => ({
            redis: () => redis.ping(),
            rabbitmq: rabbitmqProbe(rpc, server),
          }),
        }),
      ],
      controllers: [DetectRpcController],
      providers: [
        { provide: VISION_CONFIG, useValue: config },
        { provide: DetectionCache, inject: [REDIS], useFactory: (redis: Redis) => new DetectionCache(redis, config.vision.cacheTtlSeconds) },
        DetectorService,
      ],
      exports: [VISION_CONFIG],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestIdMiddleware).forRoutes('*path');
  }
}
