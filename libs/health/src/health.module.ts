import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { HealthController } from './health.controller';
import { answerLiveness, LIVENESS_PATH } from './liveness';
import { HealthService } from './health.service';
import { HEALTH_PROBES, HealthProbe } from './health.types';

export interface HealthModuleOptions {
  /** Named dependency probes, resolved from the service's own providers. */
  inject: unknown[];
  useFactory: (...deps: never[]) => Record<string, HealthProbe>;
}

/** GET /health: readiness (every dependency answers); GET /health/live: liveness (the process answers). */
@Module({})
export class HealthModule implements NestModule {
  static forRoot(options: HealthModuleOptions): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [
        { provide: HEALTH_PROBES, inject: options.inject as never[], useFactory: options.useFactory },
        HealthService,
      ],
      exports: [HealthService],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(answerLiveness).forRoutes({ path: LIVENESS_PATH, method: RequestMethod.GET });
  }
}
