import { DynamicModule, Module } from '@nestjs/common';
import { FleetServiceModule } from '@fleet/platform';
import { TranslatorConfig } from '../config/translator.config';
import { createEngines } from '../engines/engines';
import { translatorStore } from '../storage/storage';
import { StageCache } from './stage-cache';
import { StagesRpcController } from './stages.rpc.controller';
import { STAGE_CACHE, StagesService, TRANSLATOR_ENGINES, TRANSLATOR_STORAGE } from './stages.service';

/**
 * A translator worker: consumes `fleet.translator` (the stage methods) with a prefetch of
 * TRANSLATOR_WORKER_CONCURRENCY, so each worker runs that many stages at once and more workers
 * mean more throughput. It touches no database: inputs and outputs are in the shared storage.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: TranslatorConfig): DynamicModule {
    const storage = translatorStore(config);
    return {
      module: WorkerModule,
      global: true,
      imports: [
        FleetServiceModule.forRoot({
          config,
          name: 'translator-worker',
          messaging: { serve: { prefetch: config.workerConcurrency } },
          probes: { useFactory: () => ({ storage: () => storage.probe() }) },
        }),
      ],
      controllers: [StagesRpcController],
      providers: [
        { provide: TRANSLATOR_ENGINES, useFactory: () => createEngines(config.engines) },
        { provide: TRANSLATOR_STORAGE, useValue: storage },
        { provide: STAGE_CACHE, useValue: new StageCache(storage, config.instanceId) },
        StagesService,
      ],
    };
  }
}
