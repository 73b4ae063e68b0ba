import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { AuthUser, CurrentUser, Roles } from '@fleet/auth';
import { OrderView, Role } from '@fleet/contracts';
import { Page } from '../common/paging.dto';
import { ChangeOrderStatusDto, OrderQueryDto } from './order.dto';
import { OrderService } from './order.service';

/** Operators follow orders and move them along: paid at the till, ready, handed over, or cancelled. */
@ApiTags('orders')
@ApiBearerAuth()
@Controller('admin/orders')
@Roles(Role.Operator, Role.Admin)
export class OrdersController {
  constructor(private readonly orders: OrderService) {}

  @Get()
  getOrders(@Query() query: OrderQueryDto): Promise<Page<OrderView>> {
    return this.orders.getOrders(query);
  }

  @Get(':id')
  getOrder(@Param('id', ParseUUIDPipe) id: string): Promise<OrderView> {
    return this.orders.getOrder(id);
  }

  @Post(':id/status')
  @HttpCode(200)
  changeStatus(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ChangeOrderStatusDto): Promise<OrderView> {
    return this.orders.changeStatus(id, dto.status, user.sub);
  }
}
