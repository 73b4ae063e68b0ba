import { DynamicModule, Module } from '@nestjs/common';
import { FleetServiceModule } from '@fleet/platform';
import { TRANSLATOR_CONFIG, TranslatorConfig } from './config/translator.config';
import { translatorDataSourceOptions } from './database/translator.datasource';
import { FilesModule } from './files/files.module';
import { JobsModule } from './jobs/jobs.module';
import { API_STORAGE, translatorStore } from './storage/storage';

/**
 * The translator API: uploads, jobs, downloads, progress events, and the orchestrator that
 * drives jobs through the worker pool. It calls the stage methods but serves none (the workers
 * consume `fleet.translator`).
 */
@Module({})
export class AppModule {
  static forRoot(config: TranslatorConfig): DynamicModule {
    const store = translatorStore(config);
    return {
      module: AppModule,
      global: true,
      imports: [
        FleetServiceModule.forRoot({
          config,
          database: translatorDataSourceOptions(config.db.url),
          auth: true,
          probes: { useFactory: () => ({ storage: () => store.probe() }) },
        }),
        FilesModule,
        JobsModule,
      ],
      providers: [
        { provide: TRANSLATOR_CONFIG, useValue: config },
        { provide: API_STORAGE, useValue: store },
      ],
      exports: [TRANSLATOR_CONFIG, API_STORAGE],
    };
  }
}
