import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { ShopModule } from '../shops/shop.module';
import { OrderRepository } from './order.repository';
import { OrderService } from './order.service';
import { OrdersController } from './orders.controller';
import { OrdersRpcController } from './orders.rpc.controller';

@Module({
  imports: [ShopModule, OutboxModule],
  controllers: [OrdersController, OrdersRpcController],
  providers: [OrderRepository, OrderService],
})
export class OrderModule {}
