import { MigrationInterface, QueryRunner } from 'typeorm';
import { STORE_SCHEMA } from '../store.schema';

/**
 * Shops, products, orders and the accounting outbox.
 * - Money is `integer` minor units plus a 3-letter currency: the database cannot hold a fraction.
 * - `product.stock >= 0` is the last line against overselling: even a buggy reservation that
 *   skipped its `stock >= qty` guard would fail the CHECK and roll the whole order back.
 * - `orders.idempotency_key` is unique, so two concurrent creations with one key store one order.
 * - `outbox.idempotency_key` is what the webhook receiver dedupes on; one record per order event.
 */
export class CreateStore1767312000000 implements MigrationInterface {
  name = 'CreateStore1767312000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${STORE_SCHEMA}"`;
    await runner.query(`
      CREATE TABLE ${s}.shop (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        station text NOT NULL,
        name text NOT NULL,
        location text NOT NULL,
        opening_hours jsonb NOT NULL DEFAULT '[]',
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX shop_active_name_idx ON ${s}.shop (active, name)`);
    await runner.query(`
      CREATE TABLE ${s}.product (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        shop_id uuid NOT NULL REFERENCES ${s}.shop (id) ON DELETE RESTRICT,
        name text NOT NULL,
        category text NOT NULL,
        price_minor integer NOT NULL CHECK (price_minor >= 0),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        stock integer NOT NULL CHECK (stock >= 0),
        image_url text,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX product_shop_name_idx ON ${s}.product (shop_id, name)`);
    await runner.query(`
      CREATE TABLE ${s}.orders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        idempotency_key text NOT NULL UNIQUE,
        request_fingerprint text NOT NULL,
        shop_id uuid NOT NULL REFERENCES ${s}.shop (id),
        status text NOT NULL CHECK (status IN ('created', 'paid', 'ready', 'handed_over', 'cancelled')),
        currency char(3) NOT NULL,
        total_minor bigint NOT NULL CHECK (total_minor >= 0),
        ticket_code text NOT NULL,
        placed_by text NOT NULL,
        passenger_name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX orders_shop_created_idx ON ${s}.orders (shop_id, created_at DESC)`);
    await runner.query(`CREATE INDEX orders_status_created_idx ON ${s}.orders (status, created_at DESC)`);
    await runner.query(`
      CREATE TABLE ${s}.order_item (
        order_id uuid NOT NULL REFERENCES ${s}.orders (id) ON DELETE CASCADE,
        product_id uuid NOT NULL REFERENCES ${s}.product (id),
        name text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        unit_price_minor integer NOT NULL CHECK (unit_price_minor >= 0),
        PRIMARY KEY (order_id, product_id)
      )`);
    await runner.query(`CREATE INDEX order_item_product_idx ON ${s}.order_item (product_id)`);
    await runner.query(`
      CREATE TABLE ${s}.outbox (
        id bigserial PRIMARY KEY,
        idempotency_key uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
        event text NOT NULL,
        order_id uuid NOT NULL REFERENCES ${s}.orders (id),
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT outbox_order_event_key UNIQUE (order_id, event)
      )`);
    await runner.query(`CREATE INDEX outbox_due_idx ON ${s}.outbox (next_attempt_at) WHERE status = 'pending'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${STORE_SCHEMA}"`;
    for (const table of ['outbox', 'order_item', 'orders', 'product', 'shop']) await runner.query(`DROP TABLE ${s}.${table}`);
  }
}
