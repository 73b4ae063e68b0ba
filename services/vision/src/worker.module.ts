import { DynamicModule, Module } from '@nestjs/common';
import Redis from 'ioredis';
import { FleetServiceModule } from '@fleet/platform';
import { REDIS } from '@fleet/redis';
import type { ObjectStore } from '@fleet/storage';
import { VISION_CONFIG, VisionConfig } from './config/vision.config';
import { PendingAnnotations } from './media/pending-annotations';
import { VISION_STORE, visionStore } from './media/vision-store';
import { AnnotationWriter } from './worker/annotation-writer';
import { DetectRpcController } from './worker/detect.rpc.controller';
import { DetectionCache } from './worker/detection-cache';
import { DetectorService } from './worker/detector.service';

/** The worker pool's name in logs and connection names; its queue is the one DetectImage names (`fleet.vision.detect`). */
export const WORKER_SERVICE = 'vision_worker';

/**
 * A vision worker: consumes detection requests, runs the model, serves /health and /metrics on
 * PORT. No database: everything it needs travels in the message or sits in the shared media storage.
 * Redis holds the result cache and the announcements of annotated images being drawn.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: VisionConfig): DynamicModule {
    const store = visionStore(config);
    return {
      module: WorkerModule,
      global: true,
      imports: [
        FleetServiceModule.forRoot({
          config,
          name: 'vision-worker',
          redis: true,
          // One image more than it works on: the next one is in hand when a detection ends (see AnnotationWriter).
          messaging: { queueOwner: WORKER_SERVICE, serve: { prefetch: config.vision.workerConcurrency + 1 } },
          probes: { useFactory: () => ({ storage: () => store.probe() }) },
        }),
      ],
      controllers: [DetectRpcController],
      providers: [
        { provide: VISION_CONFIG, useValue: config },
        { provide: VISION_STORE, useValue: store },
        { provide: DetectionCache, inject: [REDIS], useFactory: (redis: Redis) => new DetectionCache(redis, config.vision.cacheTtlSeconds) },
        { provide: PendingAnnotations, inject: [REDIS], useFactory: (redis: Redis) => new PendingAnnotations(redis) },
        {
          provide: AnnotationWriter,
          inject: [VISION_STORE, PendingAnnotations],
          useFactory: (objects: ObjectStore, pending: PendingAnnotations) => new AnnotationWriter(objects, pending, config.vision.workerConcurrency),
        },
        DetectorService,
      ],
      exports: [VISION_CONFIG],
    };
  }
}
