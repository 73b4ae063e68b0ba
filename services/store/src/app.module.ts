import { DynamicModule, Module } from '@nestjs/common';
import { FleetServiceModule } from '@fleet/platform';
import { STORE_CONFIG, StoreConfig } from './config/store.config';
import { storeDataSourceOptions } from './database/store.datasource';
import { OrderModule } from './orders/order.module';
import { OutboxModule } from './outbox/outbox.module';
import { ProductModule } from './products/product.module';
import { ShopModule } from './shops/shop.module';

@Module({})
export class AppModule {
  static forRoot(config: StoreConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        FleetServiceModule.forRoot({ config, database: storeDataSourceOptions(config.db.url), redis: true, auth: true, messaging: { serve: true } }),
        ShopModule,
        ProductModule,
        OrderModule,
        OutboxModule,
      ],
      providers: [{ provide: STORE_CONFIG, useValue: config }],
      exports: [STORE_CONFIG],
    };
  }
}
