import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { CreateOrder, CreateOrderParams, GetOrder, OrderView, RpcErrorCode } from '@fleet/contracts';
import { RpcError } from '@fleet/messaging';
import { ALWAYS_OPEN, closedToday, StoreHarness, startStore } from './support/store-harness';

type Json = Record<string, unknown>;
interface PageOf<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

describe('store service (real process, Postgres, Redis, RabbitMQ)', () => {
  let h: StoreHarness;
  let shopId: string;

  const createShop = async (body: Json): Promise<Json> => {
    const response = await h.request('POST', '/admin/shops', { body: { station: 'Central', location: 'Hall A', opening_hours: ALWAYS_OPEN, ...body } });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  };
  const createProduct = async (shop: string, body: Json): Promise<Json> => {
    const response = await h.request('POST', `/admin/shops/${shop}/products`, { body: { category: 'snacks', currency: 'EUR', stock: 10, price_minor: 100, ...body } });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  };
  const order = (items: Array<{ product_id: string; quantity: number }>, extra: Partial<CreateOrderParams> = {}): Promise<OrderView> =>
    h.rpc.call(CreateOrder, { idempotency_key: randomUUID(), shop_id: shopId, items, ticket_code: 'TCK-1', placed_by: 'robot-1', ...extra });
  const rpcFailure = async (promise: Promise<unknown>): Promise<RpcError> => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof RpcError, `expected an RpcError, got ${String(error)}`);
    return error;
  };
  const stockOf = async (productId: string): Promise<number> => ((await h.request<Json>('GET', `/admin/products/${productId}`)).body.stock as number);

  before(async () => {
    h = await startStore();
    shopId = (await createShop({ name: 'Kiosk North' })).id as string;
  });
  after(async () => {
    await h?.stop();
  });

  it('reports postgres, redis and rabbitmq up on /health and serves /metrics', async () => {
    const health = await h.request<{ status: string; services: Record<string, string> }>('GET', '/health', { token: false });
    assert.equal(health.status, 200);
    assert.deepEqual(health.body.services, { postgres: 'up', redis: 'up', rabbitmq: 'up' });
    const metrics = await fetch(`${h.store.url}/metrics`);
    assert.match(await metrics.text(), /process_resident_memory_bytes\{[^}]*service="store"/);
  });

  it('serves its OpenAPI document at /docs/json without a token, generated from the controllers and DTOs', async () => {
    const docs = await h.request<{ servers: Array<{ url: string }>; paths: Record<string, Json>; components: { schemas: Record<string, { properties: Record<string, Json>; required?: string[] }> } }>('GET', '/docs/json', { token: false });
    assert.equal(docs.status, 200);
    assert.deepEqual(docs.body.servers.map((s) => s.url), ['/store_api']);
    for (const path of ['/shops', '/shops/{shopId}/products', '/admin/shops', '/admin/products/{id}', '/admin/orders/{id}/status', '/admin/outbox/{id}/retry']) {
      assert.ok(docs.body.paths[path], `${path} documented`);
    }
    const product = docs.body.components.schemas.CreateProductDto;
    assert.equal(product.properties.price_minor.type, 'integer');
    assert.ok(product.required?.includes('price_minor'));
    const ui = await fetch(`${h.store.url}/docs`);
    assert.equal(ui.status, 200);
    assert.match(await ui.text(), /swagger/i);
  });

  it('guards admin routes: 401 without a token, 403 for a robot, public browsing needs no token', async () => {
    assert.equal((await h.request('GET', '/admin/shops', { token: false })).status, 401);
    assert.equal((await h.request('POST', '/admin/shops', { token: await h.token('robot'), body: {} })).status, 403);
    assert.equal((await h.request('GET', '/admin/orders', { token: await h.token('drone') })).status, 403);
    assert.equal((await h.request('GET', '/shops', { token: false })).status, 200);
  });

  it('refuses bad shop and product input with 400 and a message naming the field', async () => {
    type FieldErrors = { message: string; details: Record<string, string[]>; request_id: string };
    const missing = await h.request<FieldErrors>('POST', '/admin/shops', { body: { name: 'x' } });
    assert.equal(missing.status, 400);
    assert.ok(missing.body.details.station?.length, JSON.stringify(missing.body));
    assert.match(missing.body.message, /station/);
    assert.ok(missing.body.request_id, 'the answer names the request');
    const badHours = await h.request<FieldErrors>('POST', '/admin/shops', {
      body: { station: 'Central', name: 'Night', location: 'B', opening_hours: [{ days: [1], opens: '22:00', closes: '06:00' }] },
    });
    assert.equal(badHours.status, 400);
    assert.match(badHours.body.message, /closes \(06:00\) must be after opens/);
    const badDay = await h.request('POST', '/admin/shops', { body: { station: 'C', name: 'N', location: 'B', opening_hours: [{ days: [8], opens: '07:00', closes: '08:00' }] } });
    assert.equal(badDay.status, 400);
    const unknownField = await h.request<FieldErrors>('POST', '/admin/shops', { body: { station: 'C', name: 'N', location: 'B', opening_hours: [], owner: 'me' } });
    assert.equal(unknownField.status, 400);
    assert.match(unknownField.body.message, /owner should not exist/);
    assert.equal((await h.request('GET', '/admin/shops/not-a-uuid')).status, 400);
    assert.equal((await h.request('GET', `/admin/shops/${randomUUID()}`)).status, 404);
    assert.equal((await h.request('POST', `/admin/shops/${randomUUID()}/products`, { body: { name: 'x', category: 'c', price_minor: 1, currency: 'EUR', stock: 1 } })).status, 404);
    for (const body of [{ stock: -1 }, { currency: 'eur' }, { image_url: 'not a url' }, { price_minor: -5 }]) {
      const response = await h.request('POST', `/admin/shops/${shopId}/products`, { body: { name: 'x', category: 'c', price_minor: 1, currency: 'EUR', stock: 1, ...body } });
      assert.equal(response.status, 400, JSON.stringify(body));
    }
    assert.equal((await h.request('GET', '/shops?limit=0')).status, 400);
    assert.equal((await h.request('GET', '/shops?limit=101')).status, 400);
    assert.equal((await h.request('GET', '/shops?offset=-1')).status, 400);
  });

  it('keeps money integer: fractional or string prices are refused, totals are exact integer sums', async () => {
    for (const price_minor of [2.5, '250', 1e12]) {
      const response = await h.request<{ message: string; details: Record<string, string[]> }>('POST', `/admin/shops/${shopId}/products`, { body: { name: 'Tea', category: 'drinks', price_minor, currency: 'EUR', stock: 5 } });
      assert.equal(response.status, 400, `price_minor ${price_minor}`);
      assert.ok(response.body.details.price_minor?.length, JSON.stringify(response.body));
    }
    const a = await createProduct(shopId, { name: 'Coffee', price_minor: 10, stock: 1000 });
    const b = await createProduct(shopId, { name: 'Bun', price_minor: 20, stock: 1000 });
    assert.equal(a.price_minor, 10);
    const placed = await order([{ product_id: a.id as string, quantity: 3 }, { product_id: b.id as string, quantity: 7 }]);
    // 3 x 0.10 + 7 x 0.20 is 1.7000000000000002 in floating point; in minor units it is exactly 170.
    assert.equal(placed.total_minor, 170);
    assert.ok(Number.isInteger(placed.total_minor));
    assert.deepEqual(placed.items.map((i) => [i.name, i.unit_price_minor, i.line_total_minor]).sort(), [['Bun', 20, 140], ['Coffee', 10, 30]]);
    const patched = await h.request('PATCH', `/admin/products/${a.id}`, { body: { price_minor: 0.1 } });
    assert.equal(patched.status, 400);
    const pg = new Client({ connectionString: h.db.url });
    await pg.connect();
    try {
      const { rows } = await pg.query(`SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'store' AND column_name LIKE '%price%' OR column_name LIKE '%total%' AND table_schema = 'store'`);
      assert.ok(rows.length >= 3);
      for (const row of rows) assert.match(row.data_type, /^(integer|bigint)$/, `${row.table_name}.${row.column_name}`);
    } finally {
      await pg.end();
    }
  });

  it('lists open shops only to the public, with search and paging, and hides closed shops and their products', async () => {
    const closed = await createShop({ name: 'Kiosk Closed Today', opening_hours: closedToday() });
    const inactive = await createShop({ name: 'Kiosk Inactive', active: false });
    for (let i = 0; i < 5; i += 1) await createShop({ name: `Bakery ${i}`, station: 'South', location: `Platform ${i}` });
    const all = await h.request<PageOf<Json>>('GET', '/shops?limit=100', { token: false });
    const names = all.body.items.map((s) => s.name);
    assert.ok(names.includes('Kiosk North'));
    assert.ok(!names.includes('Kiosk Closed Today') && !names.includes('Kiosk Inactive'));
    assert.ok(all.body.items.every((s) => s.open_now === true));
    assert.ok(all.body.items.every((s) => s.time_zone === 'UTC'), 'every shop names the zone its hours are read in (STORE_TIMEZONE)');

    const page1 = await h.request<PageOf<Json>>('GET', '/shops?q=bakery&limit=2', { token: false });
    const page3 = await h.request<PageOf<Json>>('GET', '/shops?q=BAKERY&limit=2&offset=4', { token: false });
    assert.equal(page1.body.total, 5);
    assert.deepEqual(page1.body.items.map((s) => s.name), ['Bakery 0', 'Bakery 1']);
    assert.deepEqual(page3.body.items.map((s) => s.name), ['Bakery 4']);
    assert.equal((await h.request<PageOf<Json>>('GET', '/shops?q=%25', { token: false })).body.total, 0, 'a % in the search is literal');
    assert.equal((await h.request<PageOf<Json>>('GET', '/shops?station=South', { token: false })).body.total, 5);

    const admin = await h.request<PageOf<Json>>('GET', '/admin/shops?q=kiosk');
    assert.deepEqual(admin.body.items.map((s) => [s.name, s.open_now]), [['Kiosk Closed Today', false], ['Kiosk Inactive', false], ['Kiosk North', true]]);
    assert.equal((await h.request('GET', `/shops/${closed.id}/products`, { token: false })).status, 404);
    assert.equal((await h.request('GET', `/shops/${inactive.id}/products`, { token: false })).status, 404);
    const closedOrder = await rpcFailure(order([{ product_id: randomUUID(), quantity: 1 }], { shop_id: closed.id as string }));
    assert.equal(closedOrder.code, RpcErrorCode.Conflict);
    assert.match(closedOrder.message, /closed now/);
  });

  it('lists a shop\'s active products publicly with search, category and paging', async () => {
    const shop = (await createShop({ name: 'Deli' })).id as string;
    await createProduct(shop, { name: 'Apple juice', category: 'drinks', price_minor: 250 });
    await createProduct(shop, { name: 'Orange juice', category: 'drinks', price_minor: 260 });
    await createProduct(shop, { name: 'Sandwich', category: 'food', price_minor: 450, image_url: 'https://cdn.example/sandwich.jpg' });
    await createProduct(shop, { name: 'Old juice', category: 'drinks', active: false });
    const juices = await h.request<PageOf<Json>>('GET', `/shops/${shop}/products?q=juice`, { token: false });
    assert.deepEqual(juices.body.items.map((p) => p.name), ['Apple juice', 'Orange juice']);
    const food = await h.request<PageOf<Json>>('GET', `/shops/${shop}/products?category=food`, { token: false });
    assert.equal(food.body.items[0].image_url, 'https://cdn.example/sandwich.jpg');
    assert.equal(food.body.items[0].price_minor, 450);
    const paged = await h.request<PageOf<Json>>('GET', `/shops/${shop}/products?limit=1&offset=1`, { token: false });
    assert.deepEqual([paged.body.total, paged.body.items.length, paged.body.items[0].name], [3, 1, 'Orange juice']);
    assert.equal((await h.request<PageOf<Json>>('GET', `/admin/shops/${shop}/products`)).body.total, 4, 'operators see inactive products too');
  });

  it('never oversells: 60 parallel orders for 25 units give exactly 25 orders and stock 0', async () => {
    const product = (await createProduct(shopId, { name: 'Last sandwiches', stock: 25, price_minor: 399 })).id as string;
    const results = await Promise.allSettled(Array.from({ length: 60 }, () => order([{ product_id: product, quantity: 1 }])));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(ok.length, 25);
    assert.equal(refused.length, 35);
    for (const r of refused) {
      assert.equal((r.reason as RpcError).code, RpcErrorCode.Conflict);
      assert.match((r.reason as RpcError).message, /Not enough stock/);
    }
    assert.equal(await stockOf(product), 0);
    const orders = await h.request<PageOf<OrderView>>('GET', `/admin/orders?limit=100&shop_id=${shopId}`);
    const sold = orders.body.items.flatMap((o) => o.items).filter((i) => i.product_id === product).reduce((n, i) => n + i.quantity, 0);
    assert.equal(sold, 25);
  });

  it('takes multi-product orders in parallel without deadlocks or oversell, all or nothing per order', async () => {
    const a = (await createProduct(shopId, { name: 'Water', stock: 30 })).id as string;
    const b = (await createProduct(shopId, { name: 'Crisps', stock: 30 })).id as string;
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        order(i % 2 ? [{ product_id: a, quantity: 2 }, { product_id: b, quantity: 1 }] : [{ product_id: b, quantity: 1 }, { product_id: a, quantity: 2 }]),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    assert.equal(ok, 15, 'water runs out after 15 orders of 2');
    for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as RpcError).code, RpcErrorCode.Conflict);
    assert.equal(await stockOf(a), 0);
    assert.equal(await stockOf(b), 15, 'a refused order reserved nothing');
  });

  it('refuses unknown or inactive products (404), bad params (InvalidParams) and mixed currencies (400)', async () => {
    assert.equal((await rpcFailure(order([{ product_id: randomUUID(), quantity: 1 }]))).code, RpcErrorCode.NotFound);
    const hidden = (await createProduct(shopId, { name: 'Withdrawn', active: false })).id as string;
    assert.equal((await rpcFailure(order([{ product_id: hidden, quantity: 1 }]))).code, RpcErrorCode.NotFound);
    const bad = await rpcFailure(order([{ product_id: 'nope', quantity: 0.5 }]));
    assert.equal(bad.code, RpcErrorCode.InvalidParams);
    assert.match(bad.message, /product_id must be a UUID/);
    assert.match(bad.message, /quantity must be an integer/);
    assert.equal((await rpcFailure(order([]))).code, RpcErrorCode.InvalidParams);
    assert.equal((await rpcFailure(order([{ product_id: hidden, quantity: 1 }], { idempotency_key: 'short' }))).code, RpcErrorCode.InvalidParams);
    const usd = (await createProduct(shopId, { name: 'Import', currency: 'USD' })).id as string;
    const eur = (await createProduct(shopId, { name: 'Local' })).id as string;
    const mixed = await rpcFailure(order([{ product_id: usd, quantity: 1 }, { product_id: eur, quantity: 1 }]));
    assert.equal(mixed.code, RpcErrorCode.InvalidParams);
    assert.equal(await stockOf(usd), 10, 'nothing stays reserved');
  });

  it('honours the idempotency key: a retry replays the order and reserves nothing more, even 10 at once', async () => {
    const product = (await createProduct(shopId, { name: 'Pretzel', stock: 50 })).id as string;
    const key = `robot-1:${randomUUID()}`;
    const first = await order([{ product_id: product, quantity: 4 }], { idempotency_key: key });
    assert.equal(first.replayed, false);
    const again = await order([{ product_id: product, quantity: 4 }], { idempotency_key: key });
    assert.equal(again.id, first.id);
    assert.equal(again.replayed, true);
    assert.equal(await stockOf(product), 46);

    const other = await rpcFailure(order([{ product_id: product, quantity: 5 }], { idempotency_key: key }));
    assert.equal(other.code, RpcErrorCode.Conflict);
    assert.match(other.message, /already used/);

    const burstKey = randomUUID();
    const burst = await Promise.all(Array.from({ length: 10 }, () => order([{ product_id: product, quantity: 1 }], { idempotency_key: burstKey })));
    assert.equal(new Set(burst.map((o) => o.id)).size, 1);
    assert.equal(burst.filter((o) => !o.replayed).length, 1);
    assert.equal(await stockOf(product), 45);
  });

  it('moves orders through created -> paid -> ready -> handed_over, refuses illegal moves with 409, cancelling releases stock', async () => {
    const product = (await createProduct(shopId, { name: 'Cake', stock: 10 })).id as string;
    const move = (id: string, status: string) => h.request<Json>('POST', `/admin/orders/${id}/status`, { body: { status } });
    const a = await order([{ product_id: product, quantity: 3 }]);
    assert.equal(a.status, 'created');
    const skip = await move(a.id, 'ready');
    assert.equal(skip.status, 409);
    assert.match(skip.body.message as string, /is created; it cannot become ready/);
    for (const status of ['paid', 'ready', 'handed_over']) {
      const moved = await move(a.id, status);
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      assert.equal(moved.body.status, status);
    }
    assert.equal((await move(a.id, 'cancelled')).status, 409, 'handed over is final');
    assert.equal((await move(a.id, 'paid')).status, 409);
    assert.equal(await stockOf(product), 7);
    const handedOver = await h.request<PageOf<OrderView>>('GET', '/admin/orders?status=handed_over&q=TCK');
    assert.deepEqual(handedOver.body.items.map((o) => o.id), [a.id]);
    assert.equal((await h.request<PageOf<OrderView>>('GET', '/admin/orders?status=handed_over&q=nobody')).body.total, 0);
    assert.equal((await h.request('GET', '/admin/orders?status=lost')).status, 400);

    const b = await order([{ product_id: product, quantity: 5 }]);
    assert.equal(await stockOf(product), 2);
    assert.equal((await move(b.id, 'paid')).status, 200);
    const twice = await Promise.all([move(b.id, 'cancelled'), move(b.id, 'cancelled')]);
    assert.deepEqual(twice.map((r) => r.status).sort(), [200, 409], 'one cancel wins');
    assert.equal(await stockOf(product), 7, 'released exactly once');
    assert.equal((await h.rpc.call(GetOrder, { order_id: b.id })).status, 'cancelled');

    assert.equal((await move(b.id, 'created')).status, 400);
    assert.equal((await move(b.id, 'shipped')).status, 400);
    assert.equal((await move(randomUUID(), 'paid')).status, 404);
    assert.equal((await rpcFailure(h.rpc.call(GetOrder, { order_id: randomUUID() }))).code, RpcErrorCode.NotFound);
  });

  it('writes paid and cancelled orders to the outbox in the same transaction, and keeps them without a webhook', async () => {
    const product = (await createProduct(shopId, { name: 'Gum', stock: 10 })).id as string;
    const paid = await order([{ product_id: product, quantity: 1 }]);
    const cancelled = await order([{ product_id: product, quantity: 1 }]);
    await h.request('POST', `/admin/orders/${paid.id}/status`, { body: { status: 'paid' } });
    await h.request('POST', `/admin/orders/${cancelled.id}/status`, { body: { status: 'cancelled' } });
    const records = await h.request<PageOf<Json>>('GET', '/admin/outbox?limit=100');
    const mine = records.body.items.filter((r) => r.order_id === paid.id || r.order_id === cancelled.id);
    assert.deepEqual(mine.map((r) => [r.event, r.status]).sort(), [['order.cancelled', 'pending'], ['order.paid', 'pending']]);
    const record = mine.find((r) => r.event === 'order.paid')!;
    assert.equal((record.payload as { order: OrderView }).order.status, 'paid');
    assert.equal((record.payload as { order: OrderView }).order.total_minor, 100);
    assert.equal((await h.request('GET', '/admin/outbox?status=lost')).status, 400);
  });
});
