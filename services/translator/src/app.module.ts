import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { mkdir } from 'node:fs/promises';
import { AuthModule } from '@fleet/auth';
import { HealthModule } from '@fleet/health';
import { MessagingModule, rabbitmqProbe, RpcClient } from '@fleet/messaging';
import { MetricsModule } from '@fleet/metrics';
import { RequestIdMiddleware } from '@fleet/logging';
import { TRANSLATOR_CONFIG, TranslatorConfig } from './config/translator.config';
import { translatorDataSourceOptions } from './database/translator.datasource';
import { FilesController } from './files/files.controller';
import { FilesRepository } from './files/files.repository';
import { FilesService } from './files/files.service';
import { JobEvents } from './jobs/job-events';
import { API_STORAGE, JobRunner } from './jobs/job-runner';
import { JobsController } from './jobs/jobs.controller';
import { JobsRepository } from './jobs/jobs.repository';
import { JobsService } from './jobs/jobs.service';
import { Storage } from './storage/storage';

/**
 * The translator API: uploads, jobs, downloads, progress events, and the orchestrator that
 * drives jobs through the worker pool. It calls the stage methods but serves none (the workers
 * consume `fleet.translator`).
 */
@Module({})
export class AppModule implements NestModule {
  static forRoot(config: TranslatorConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({ ...translatorDataSourceOptions(config.db.url), retryAttempts: 3, retryDelay: 1000 }),
        AuthModule.forRoot(config.auth),
        MetricsModule.forRoot({ service: 'translator', instance: config.instanceId }),
        MessagingModule.forRoot(config),
        HealthModule.forRoot({
          inject: [getDataSourceToken(), RpcClient],
          useFactory: (dataSource: DataSource, rpc: RpcClient) => ({
            postgres: () => dataSource.query('SELECT 1'),
            rabbitmq: rabbitmqProbe(rpc),
            storage: () => mkdir(config.storageDir, { recursive: true }),
          }),
        }),
      ],
      controllers: [FilesController, JobsController],
      providers: [
        { provide: TRANSLATOR_CONFIG, useValue: config },
        { provide: API_STORAGE, useValue: new Storage(config.storageDir) },
        FilesRepository,
        FilesService,
        JobsRepository,
        JobsService,
        JobRunner,
        JobEvents,
      ],
      exports: [TRANSLATOR_CONFIG],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestIdMiddleware).forRoutes('*path');
  }
}
