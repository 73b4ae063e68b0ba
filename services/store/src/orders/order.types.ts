import type { OrderStatus } from '@fleet/contracts';

/** An order row as stored (snake_case, as Postgres returns it). */
export interface OrderRow {
  id: string;
  idempotency_key: string;
  request_fingerprint: string;
  shop_id: string;
  status: OrderStatus;
  currency: string;
  /** bigint: pg returns it as a string. */
  total_minor: string;
  ticket_code: string;
  placed_by: string;
  passenger_name: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface OrderItemRow {
  order_id: string;
  product_id: string;
  name: string;
  quantity: number;
  unit_price_minor: number;
}

export interface StoredOrder {
  order: OrderRow;
  items: OrderItemRow[];
}

/** One line of a new order, already merged per product. */
export interface OrderLine {
  productId: string;
  quantity: number;
}

export interface NewOrder {
  idempotencyKey: string;
  fingerprint: string;
  shopId: string;
  ticketCode: string;
  placedBy: string;
  passengerName: string | null;
  lines: OrderLine[];
}

/** What a reservation attempt found; the service turns the failures into 404/409. */
export type CreateOutcome =
  | { kind: 'created'; stored: StoredOrder }
  | { kind: 'replayed'; stored: StoredOrder }
  | { kind: 'key_reused'; existing: OrderRow }
  | { kind: 'product_unavailable'; productId: string }
  | { kind: 'out_of_stock'; productId: string; requested: number; available: number }
  | { kind: 'mixed_currency'; currencies: string[] };

export type TransitionOutcome =
  | { kind: 'moved'; stored: StoredOrder; from: OrderStatus }
  | { kind: 'not_found' }
  | { kind: 'illegal'; current: OrderStatus };
