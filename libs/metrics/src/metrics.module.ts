import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { collectDefaultMetrics, register } from 'prom-client';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';

let defaultsCollected = false;

@Module({})
export class MetricsModule implements NestModule {
  /** Labels every series with service and instance; starts process metrics (memory, event-loop lag, GC) once. */
  static forRoot(labels: { service: string; instance: string }): DynamicModule {
    register.setDefaultLabels(labels);
    if (!defaultsCollected) {
      collectDefaultMetrics({ eventLoopMonitoringPrecision: 20 });
      defaultsCollected = true;
    }
    return { module: MetricsModule, controllers: [MetricsController], providers: [HttpMetricsMiddleware] };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
