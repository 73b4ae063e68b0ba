import { ApiProperty } from '@nestjs/swagger';
import { ORDER_STATUSES, OrderItemView, OrderStatus, OrderView } from '@fleet/contracts';

/** One line of an order, priced when it was placed. */
export class RobotOrderItemView implements OrderItemView {
  product_id!: string;
  name!: string;
  quantity!: number;
  /** Integer minor units of the order's currency. */
  unit_price_minor!: number;
  /** Integer minor units of the order's currency. */
  line_total_minor!: number;
}

/** An order the robot placed for a passenger (the store's answer, passed through). */
export class RobotOrderView implements OrderView {
  id!: string;
  shop_id!: string;
  @ApiProperty({ enum: ORDER_STATUSES })
  status!: OrderStatus;
  currency!: string;
  /** Integer minor units of `currency`. */
  total_minor!: number;
  items!: RobotOrderItemView[];
  ticket_code!: string;
  placed_by!: string;
  passenger_name!: string | null;
  idempotency_key!: string;
  created_at!: string;
  updated_at!: string;
  /** True when this answer replays an order created earlier with the same idempotency key. */
  replayed?: boolean;
}
