import { DynamicModule, Module } from '@nestjs/common';
import { FleetServiceModule } from '@fleet/platform';
import { BASE_CONFIG, BaseConfig } from './config/base.config';
import { baseDataSourceOptions } from './database/base.datasource';
import { ChatModule } from './chat/chat.module';
import { OrdersModule } from './orders/orders.module';
import { EngineersModule } from './engineers/engineers.module';
import { RobotsModule } from './robots/robots.module';
import { TicketsModule } from './tickets/tickets.module';
import { FaceAuthModule } from './face-auth/face-auth.module';
import { FleetStatusModule } from './fleet/fleet-status.module';

@Module({})
export class AppModule {
  static forRoot(config: BaseConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        FleetServiceModule.forRoot({ config, database: baseDataSourceOptions(config.db.url), redis: true, auth: true, messaging: { serve: true } }),
        // First of the features: Express tries routes in the order they were registered, and the
        // robots' ticket check is base's busiest route.
        TicketsModule,
        ChatModule,
        OrdersModule,
        RobotsModule,
        EngineersModule,
        FaceAuthModule,
        FleetStatusModule,
      ],
      providers: [{ provide: BASE_CONFIG, useValue: config }],
      exports: [BASE_CONFIG],
    };
  }
}
