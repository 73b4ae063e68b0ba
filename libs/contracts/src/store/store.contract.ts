// class-transformer's @Type reads design types: make sure the polyfill is in, whoever imports contracts first.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { defineMethod } from '../rpc';

/**
 * The store service's RPC methods (queue `fleet.store`), and the order shapes the HTTP edges of
 * base and store answer with. Money is always an integer count of the currency's minor units
 * (cents) plus an ISO 4217 code: never a floating-point amount.
 */

export const ORDER_STATUSES = ['created', 'paid', 'ready', 'handed_over', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The status machine: which statuses each one may move to. handed_over and cancelled are final. */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  created: ['paid', 'cancelled'],
  paid: ['ready', 'cancelled'],
  ready: ['handed_over', 'cancelled'],
  handed_over: [],
  cancelled: [],
};

/** Most line items one order may hold, and most units of one product per line. */
export const ORDER_MAX_ITEMS = 50;
export const ORDER_MAX_QUANTITY = 100;
/** Idempotency keys: what a client may send (a uuid fits). */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,200}$/;

export class OrderItemParams {
  @IsUUID()
  product_id!: string;

  @IsInt() @Min(1) @Max(ORDER_MAX_QUANTITY)
  quantity!: number;
}

export class CreateOrderParams {
  /** The same key twice yields the first order again (and reserves nothing more). */
  @IsString() @Matches(IDEMPOTENCY_KEY_PATTERN, { message: 'idempotency_key must be 8-200 characters of A-Z a-z 0-9 _ . : -' })
  idempotency_key!: string;

  @IsUUID()
  shop_id!: string;

  @ValidateNested({ each: true }) @Type(() => OrderItemParams)
  @ArrayMinSize(1) @ArrayMaxSize(ORDER_MAX_ITEMS)
  items!: OrderItemParams[];

  /** The ticket base checked before calling; stored for the accounting export. */
  @IsString() @MinLength(1) @MaxLength(64)
  ticket_code!: string;

  /** Who placed it (the robot's token subject). */
  @IsString() @MinLength(1) @MaxLength(128)
  placed_by!: string;

  @IsOptional() @IsString() @MaxLength(200)
  passenger_name?: string;
}

export class GetOrderParams {
  @IsUUID()
  order_id!: string;
}

export interface OrderItemView {
  product_id: string;
  name: string;
  quantity: number;
  unit_price_minor: number;
  line_total_minor: number;
}

export class OrderView {
  id!: string;
  shop_id!: string;
  status!: OrderStatus;
  currency!: string;
  total_minor!: number;
  items!: OrderItemView[];
  ticket_code!: string;
  placed_by!: string;
  passenger_name!: string | null;
  idempotency_key!: string;
  created_at!: string;
  updated_at!: string;
  /** True when this answer replays an order created earlier with the same idempotency key. */
  replayed?: boolean;
}

/** Places an order: checks the shop is open, reserves stock in the same transaction (never oversells). */
export const CreateOrder = defineMethod('store.order.create.v1', CreateOrderParams, OrderView);
/** Reads one order (NotFound when unknown). */
export const GetOrder = defineMethod('store.order.get.v1', GetOrderParams, OrderView);
