import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { CreateOrder, CreateOrderParams, GetOrder, GetOrderParams, OrderView } from '@fleet/contracts';
import { RpcHandler } from '@fleet/messaging';
import { OrderService } from './order.service';

/**
 * Orders arrive over RabbitMQ from base (which has checked the passenger's ticket). A redelivery
 * or a caller's retry carries the same idempotency key, so it replays the stored order instead of
 * reserving twice: the database's unique key makes this exact, no message-id cache needed.
 */
// RabbitMQ only: no HTTP route, so nothing for the OpenAPI document (its payload classes would show up as empty schemas).
@ApiExcludeController()
@Controller()
export class OrdersRpcController {
  constructor(private readonly orders: OrderService) {}

  @RpcHandler(CreateOrder)
  createOrder(@Payload() params: CreateOrderParams): Promise<OrderView> {
    return this.orders.createOrder(params);
  }

  @RpcHandler(GetOrder)
  getOrder(@Payload() params: GetOrderParams): Promise<OrderView> {
    return this.orders.getOrder(params.order_id);
  }
}
