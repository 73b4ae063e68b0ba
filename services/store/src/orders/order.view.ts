import { OrderItemView, OrderStatus, OrderView } from '@fleet/contracts';

/** One line of an order (the contract's OrderItemView as a class the OpenAPI plugin describes). */
export class OrderLineView implements OrderItemView {
  product_id!: string;
  /** The product's name when the order was placed. */
  name!: string;
  quantity!: number;
  /** Integer minor units of the order's currency, as priced when the order was placed. */
  unit_price_minor!: number;
  line_total_minor!: number;
}

/** An order (the contract's OrderView as a class the OpenAPI plugin describes). */
export class StoreOrderView implements OrderView {
  id!: string;
  shop_id!: string;
  /** created -> paid -> ready -> handed_over; cancelled from any but handed_over. */
  status!: OrderStatus;
  /** ISO 4217 code: one order, one currency. */
  currency!: string;
  /** Integer minor units: the exact sum of the lines. */
  total_minor!: number;
  items!: OrderLineView[];
  ticket_code!: string;
  /** Who placed it (the robot's token subject). */
  placed_by!: string;
  passenger_name!: string | null;
  idempotency_key!: string;
  created_at!: string;
  updated_at!: string;
  /** True when this answer replays an order created earlier with the same idempotency key. */
  replayed?: boolean;
}
