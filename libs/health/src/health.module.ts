import { DynamicModule, Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { HEALTH_PROBES, HealthProbe } from './health.types';

export interface HealthModuleOptions {
  /** Named dependency probes, resolved from the service's own providers. */
  inject: unknown[];
  useFactory: (...deps: never[]) => Record<string, HealthProbe>;
}

@Module({})
export class HealthModule {
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
}
