import { Module } from '@nestjs/common';
import { RobotsModule } from '../robots/robots.module';
import { OrderTicketLookup, SqlOrderTicketLookup } from './order-ticket.lookup';
import { RobotOrdersController } from './orders.controller';
import { OrdersService } from './orders.service';

/** Robot orders, forwarded to store over RabbitMQ (per-robot rate limit from RobotsModule). Needs RpcClient and BASE_CONFIG (global). */
@Module({
  imports: [RobotsModule],
  controllers: [RobotOrdersController],
  providers: [{ provide: OrderTicketLookup, useClass: SqlOrderTicketLookup }, OrdersService],
})
export class OrdersModule {}
