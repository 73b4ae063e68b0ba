import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ORDER_TRANSITIONS, OrderStatus } from '@fleet/contracts';
import { likePattern } from '../common/paging.dto';
import { returning } from '../common/sql';
import { CreateOutcome, NewOrder, OrderItemRow, OrderRow, StoredOrder, TransitionOutcome } from './order.types';

/** Thrown inside a transaction to roll it back while carrying the reason out. */
class Rollback extends Error {
  constructor(readonly outcome: CreateOutcome) {
    super(outcome.kind);
  }
}

export interface OrderFilter {
  status?: OrderStatus;
  shopId?: string;
  q?: string;
}

/** Hook run inside a status change's transaction (the outbox writes there). */
export type InTransaction = (manager: EntityManager, stored: StoredOrder, from: OrderStatus) => Promise<void>;

@Injectable()
export class OrderRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Stores the order and reserves its stock in ONE transaction:
   * 1. The order row goes in first with `ON CONFLICT (idempotency_key) DO NOTHING`: a concurrent
   *    creation with the same key waits on the unique index until the first commits, then finds
   *    that order (a replay) or, if it rolled back, inserts its own. One key, one order, always.
   * 2. Each line takes stock with `UPDATE … SET stock = stock - q WHERE stock >= q`, in product id
   *    order so two orders never lock the same rows in opposite orders (no deadlocks). The row
   *    lock serialises concurrent orders for one product, and Postgres re-checks `stock >= q` on
   *    the latest row version after the wait, so the last units go to exactly one of them.
   *    (`CHECK (stock >= 0)` backs this up.) A line that cannot be served rolls everything back.
   */
  async create(input: NewOrder): Promise<CreateOutcome> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const inserted = await returning<{ id: string }>(
          manager,
          `INSERT INTO store.orders (idempotency_key, request_fingerprint, shop_id, status, currency, total_minor, ticket_code, placed_by, passenger_name)
           VALUES ($1, $2, $3, 'created', 'XXX', 0, $4, $5, $6)
           ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
          [input.idempotencyKey, input.fingerprint, input.shopId, input.ticketCode, input.placedBy, input.passengerName],
        );
        if (inserted.length === 0) return this.replay(manager, input);
        const orderId = inserted[0].id;
        const items = await this.reserve(manager, input);
        const currencies = [...new Set(items.map((item) => item.currency))];
        if (currencies.length > 1) throw new Rollback({ kind: 'mixed_currency', currencies });
        await manager.query(
          `INSERT INTO store.order_item (order_id, product_id, name, quantity, unit_price_minor)
           SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::int[], $5::int[])`,
          [orderId, items.map((i) => i.productId), items.map((i) => i.name), items.map((i) => i.quantity), items.map((i) => i.unitPriceMinor)],
        );
        // Integer arithmetic only: at most 50 lines x 100 units x 10^8 minor units stays far below 2^53.
        const total = items.reduce((sum, item) => sum + item.unitPriceMinor * item.quantity, 0);
        await manager.query(`UPDATE store.orders SET currency = $2, total_minor = $3 WHERE id = $1`, [orderId, currencies[0], total]);
        return { kind: 'created', stored: await this.load(manager, orderId) } as CreateOutcome;
      });
    } catch (error) {
      if (error instanceof Rollback) return error.outcome;
      throw error;
    }
  }

  /**
   * Moves an order to `to` if the status machine allows it from its current status, in one
   * transaction with `extra` (the outbox record). Cancelling puts the reserved units back.
   * `SELECT … FOR UPDATE` makes concurrent transitions of one order queue, so e.g. two cancels
   * cannot both release the stock.
   */
  async transition(orderId: string, to: OrderStatus, extra?: InTransaction): Promise<TransitionOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await returning<OrderRow>(manager, `SELECT * FROM store.orders WHERE id = $1 FOR UPDATE`, [orderId]);
      if (rows.length === 0) return { kind: 'not_found' } as TransitionOutcome;
      const from = rows[0].status;
      if (!ORDER_TRANSITIONS[from].includes(to)) return { kind: 'illegal', current: from } as TransitionOutcome;
      await manager.query(`UPDATE store.orders SET status = $2, updated_at = now() WHERE id = $1`, [orderId, to]);
      if (to === 'cancelled') {
        await manager.query(
          `UPDATE store.product p SET stock = p.stock + i.quantity, updated_at = now()
           FROM (SELECT product_id, quantity FROM store.order_item WHERE order_id = $1 ORDER BY product_id) i
           WHERE p.id = i.product_id`,
          [orderId],
        );
      }
      const stored = await this.load(manager, orderId);
      if (extra) await extra(manager, stored, from);
      return { kind: 'moved', stored, from } as TransitionOutcome;
    });
  }

  async getById(orderId: string): Promise<StoredOrder | null> {
    const rows = await returning<OrderRow>(this.dataSource.manager, `SELECT * FROM store.orders WHERE id = $1`, [orderId]);
    return rows.length === 0 ? null : this.withItems(this.dataSource.manager, rows[0]);
  }

  async getPage(filter: OrderFilter, limit: number, offset: number): Promise<[StoredOrder[], number]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status) where.push(`status = $${params.push(filter.status)}`);
    if (filter.shopId) where.push(`shop_id = $${params.push(filter.shopId)}`);
    if (filter.q) where.push(`(ticket_code ILIKE $${params.push(likePattern(filter.q))} OR placed_by ILIKE $${params.length})`);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const manager = this.dataSource.manager;
    const [{ count }] = await returning<{ count: string }>(manager, `SELECT count(*) FROM store.orders ${clause}`, params);
    const rows = await returning<OrderRow>(
      manager,
      `SELECT * FROM store.orders ${clause} ORDER BY created_at DESC, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return [await Promise.all(rows.map((row) => this.withItems(manager, row))), Number(count)];
  }

  private async replay(manager: EntityManager, input: NewOrder): Promise<CreateOutcome> {
    const [existing] = await returning<OrderRow>(manager, `SELECT * FROM store.orders WHERE idempotency_key = $1`, [input.idempotencyKey]);
    if (existing.request_fingerprint !== input.fingerprint) return { kind: 'key_reused', existing };
    return { kind: 'replayed', stored: await this.withItems(manager, existing) };
  }

  private async reserve(manager: EntityManager, input: NewOrder) {
    const lines = [...input.lines].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
    const items: Array<{ productId: string; name: string; quantity: number; unitPriceMinor: number; currency: string }> = [];
    for (const line of lines) {
      const taken = await returning<{ name: string; price_minor: number; currency: string }>(
        manager,
        `UPDATE store.product SET stock = stock - $2, updated_at = now()
         WHERE id = $1 AND shop_id = $3 AND active AND stock >= $2
         RETURNING name, price_minor, currency`,
        [line.productId, line.quantity, input.shopId],
      );
      if (taken.length === 0) throw new Rollback(await this.whyNotReserved(manager, input.shopId, line.productId, line.quantity));
      items.push({ productId: line.productId, name: taken[0].name, quantity: line.quantity, unitPriceMinor: taken[0].price_minor, currency: taken[0].currency });
    }
    return items;
  }

  private async whyNotReserved(manager: EntityManager, shopId: string, productId: string, requested: number): Promise<CreateOutcome> {
    const [product] = await returning<{ stock: number }>(manager, `SELECT stock FROM store.product WHERE id = $1 AND shop_id = $2 AND active`, [productId, shopId]);
    if (!product) return { kind: 'product_unavailable', productId };
    return { kind: 'out_of_stock', productId, requested, available: product.stock };
  }

  private async load(manager: EntityManager, orderId: string): Promise<StoredOrder> {
    const [order] = await returning<OrderRow>(manager, `SELECT * FROM store.orders WHERE id = $1`, [orderId]);
    return this.withItems(manager, order);
  }

  private async withItems(manager: EntityManager, order: OrderRow): Promise<StoredOrder> {
    const items = await returning<OrderItemRow>(manager, `SELECT * FROM store.order_item WHERE order_id = $1 ORDER BY name, product_id`, [order.id]);
    return { order, items };
  }
}
