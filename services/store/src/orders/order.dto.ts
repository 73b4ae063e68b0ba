import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { ORDER_STATUSES, OrderStatus } from '@fleet/contracts';
import { PageQueryDto } from '../common/paging.dto';
import { StoredOrder } from './order.types';
import { StoreOrderView } from './order.view';

export class ChangeOrderStatusDto {
  @ApiProperty({ enum: ['paid', 'ready', 'handed_over', 'cancelled'] })
  @IsIn(ORDER_STATUSES.filter((status) => status !== 'created'), { message: `status must be one of: ${ORDER_STATUSES.filter((s) => s !== 'created').join(', ')}` })
  status!: Exclude<OrderStatus, 'created'>;
}

export class OrderQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional() @IsIn(ORDER_STATUSES)
  status?: OrderStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional() @IsUUID()
  shop_id?: string;
}

export function mapOrder({ order, items }: StoredOrder, replayed?: boolean): StoreOrderView {
  const view: StoreOrderView = {
    id: order.id,
    shop_id: order.shop_id,
    status: order.status,
    currency: order.currency,
    total_minor: Number(order.total_minor),
    items: items.map((item) => ({
      product_id: item.product_id,
      name: item.name,
      quantity: item.quantity,
      unit_price_minor: item.unit_price_minor,
      line_total_minor: item.unit_price_minor * item.quantity,
    })),
    ticket_code: order.ticket_code,
    placed_by: order.placed_by,
    passenger_name: order.passenger_name,
    idempotency_key: order.idempotency_key,
    created_at: order.created_at.toISOString(),
    updated_at: order.updated_at.toISOString(),
  };
  if (replayed !== undefined) view.replayed = replayed;
  return view;
}
