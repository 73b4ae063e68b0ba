import { DynamicModule, Module } from '@nestjs/common';
import { FleetServiceModule } from '@fleet/platform';
import { VISION_CONFIG, VisionConfig } from './config/vision.config';
import { visionDataSourceOptions } from './database/vision.datasource';
import { CatalogueModule } from './catalogue/catalogue.module';
import { EngineersModule } from './engineers/engineers.module';
import { MediaModule } from './media/media.module';
import { VISION_STORE, visionStore } from './media/vision-store';
import { PredictModule } from './predict/predict.module';
import { TransactionsModule } from './transactions/transactions.module';

/**
 * The vision HTTP service: catalogue, transactions, predictions (dispatched to the worker pool),
 * media; it consumes base's engineer events on `fleet.vision.events`. It never runs the model itself.
 */
@Module({})
export class AppModule {
  static forRoot(config: VisionConfig): DynamicModule {
    const store = visionStore(config);
    return {
      module: AppModule,
      global: true,
      imports: [
        FleetServiceModule.forRoot({
          config,
          database: visionDataSourceOptions(config.db.url),
          redis: true,
          auth: true,
          messaging: { serve: true },
          probes: { useFactory: () => ({ storage: () => store.probe() }) },
        }),
        CatalogueModule,
        EngineersModule,
        MediaModule,
        PredictModule,
        TransactionsModule,
      ],
      providers: [
        { provide: VISION_CONFIG, useValue: config },
        { provide: VISION_STORE, useValue: store },
      ],
      exports: [VISION_CONFIG, VISION_STORE],
    };
  }
}
