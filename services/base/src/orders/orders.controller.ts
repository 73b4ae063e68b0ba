import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { AuthUser, CurrentUser, Roles } from '@fleet/auth';
import { Role } from '@fleet/contracts';
import { RobotRateLimitGuard } from '../robots/robot-rate-limit.guard';
import { PlaceOrderDto } from './orders.dto';
import { OrdersService } from './orders.service';
import { RobotOrderView } from './orders.view';

/** The robot orders from a station shop for a passenger (`/base_api/robot/orders`). */
@Controller('robot/orders')
@Roles(Role.Robot)
@UseGuards(RobotRateLimitGuard)
export class RobotOrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  placeOrder(@CurrentUser() user: AuthUser, @Body() dto: PlaceOrderDto, @Headers('idempotency-key') key?: string): Promise<RobotOrderView> {
    return this.orders.placeOrder(user, dto, key);
  }

  @Get(':id')
  getOrder(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<RobotOrderView> {
    return this.orders.getOrder(user, id);
  }
}
