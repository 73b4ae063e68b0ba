import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { AuthUser, CurrentUser, Roles } from '@fleet/auth';
import { Role } from '@fleet/contracts';
import { ApiPage } from '@fleet/openapi';
import { Page } from '../common/paging.dto';
import { ChangeOrderStatusDto, OrderQueryDto } from './order.dto';
import { OrderService } from './order.service';
import { StoreOrderView } from './order.view';

/** Operators follow orders and move them along: paid at the till, ready, handed over, or cancelled. */
@ApiTags('orders')
@ApiBearerAuth()
@Controller('admin/orders')
@Roles(Role.Operator, Role.Admin)
export class OrdersController {
  constructor(private readonly orders: OrderService) {}

  @Get()
  @ApiPage(StoreOrderView, 'Newest first.')
  getOrders(@Query() query: OrderQueryDto): Promise<Page<StoreOrderView>> {
    return this.orders.getOrders(query);
  }

  @Get(':id')
  getOrder(@Param('id', ParseUUIDPipe) id: string): Promise<StoreOrderView> {
    return this.orders.getOrder(id);
  }

  @Post(':id/status')
  @HttpCode(200)
  changeStatus(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ChangeOrderStatusDto): Promise<StoreOrderView> {
    return this.orders.changeStatus(id, dto.status, user.sub);
  }
}
