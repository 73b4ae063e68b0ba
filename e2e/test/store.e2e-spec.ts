import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { OrderView } from '@fleet/contracts';
import { FLEET_SERVICES } from '@fleet/local-fleet';
import { createTestVhost, TestVhost } from '@fleet/testing';
import { startTestFleet, TestFleet } from '../src';

type Json = Record<string, unknown>;
const ALWAYS_OPEN = [{ days: [1, 2, 3, 4, 5, 6, 7], opens: '00:00', closes: '24:00' }];
const WEBHOOK_SECRET = 'e2e-accounting-secret-0123456789';

/** The accounting system's side: a real HTTP server that fails the first two calls of each record (by idempotency key), then accepts. */
async function startAccountingWebhook() {
  const received: Array<{ headers: http.IncomingHttpHeaders; body: string; status: number }> = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const key = request.headers['idempotency-key'];
      const status = received.filter((r) => r.headers['idempotency-key'] === key).length < 2 ? 500 : 200;
      received.push({ headers: request.headers, body, status });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/orders`, received, close: () => new Promise((r) => server.close(r)) };
}

describe('store through the gateway: public browsing, robot orders via base -> store over RabbitMQ', () => {
  let fleet: TestFleet;
  let vhost: TestVhost;
  let webhook: Awaited<ReturnType<typeof startAccountingWebhook>>;
  let operator: string;
  let shopId: string;

  const call = async (method: string, path: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fleet.request(path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Json, headers: response.headers };
  };
  const product = async (body: Json) => {
    const created = await call('POST', `/store_api/admin/shops/${shopId}/products`, operator, { category: 'snacks', currency: 'EUR', ...body });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body.id as string;
  };
  const ticket = async (code: string, validFor = 3_600_000) => {
    const now = Date.now();
    const created = await call('POST', '/base_api/admin/tickets', operator, {
      code,
      passenger_name: 'Ada Lovelace',
      train: 'IC 101',
      car: '7',
      seat: '42',
      departure_station: 'Central',
      valid_from: new Date(now - 60_000).toISOString(),
      valid_until: new Date(now + validFor).toISOString(),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
  };
  // A robot is registered in base (its Keycloak client) before its token counts; once per name.
  const registered = new Map<string, Promise<string>>();
  const robotToken = (robot: string): Promise<string> => {
    if (!registered.has(robot)) {
      registered.set(robot, (async () => {
        const created = await call('POST', '/base_api/admin/robots', operator, { name: robot, station: 'Central', keycloak_client_id: robot });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        return created.body.id as string;
      })());
    }
    return registered.get(robot)!.then(() => fleet.token('robot', robot));
  };
  const robotOrder = async (robot: string, body: Json, key: string = randomUUID()) =>
    call('POST', '/base_api/robot/orders', await robotToken(robot), body, { 'idempotency-key': key });
  const stockOf = async (id: string) => (await call('GET', `/store_api/admin/products/${id}`, operator)).body.stock;

  before(async () => {
    // A private vhost: the fleet's `fleet.store` queue must not be shared with another fleet on this broker.
    vhost = await createTestVhost('fleet_e2e_store');
    webhook = await startAccountingWebhook();
    fleet = await startTestFleet({
      // Only what these flows cross (base and store, two instances each): quicker, and no other service's start can fail them.
      instances: Object.fromEntries(FLEET_SERVICES.filter((spec) => spec.name !== 'base' && spec.name !== 'store').map((spec) => [spec.name, 0])),
      env: {
        RABBITMQ_URL: vhost.url,
        STORE_EXPORT_WEBHOOK_URL: webhook.url,
        STORE_EXPORT_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STORE_EXPORT_POLL_MS: '100',
        STORE_EXPORT_BACKOFF_MS: '100',
        // Short, so the "store is down" test waits 2 s, not the default 5.
        RPC_DEADLINE_MS: '2000',
      },
    });
    operator = await fleet.token('operator');
    const shop = await call('POST', '/store_api/admin/shops', operator, { station: 'Central', name: 'Station Deli', location: 'Hall B, platform 4', opening_hours: ALWAYS_OPEN });
    assert.equal(shop.status, 201, JSON.stringify(shop.body));
    shopId = shop.body.id as string;
  });
  after(async () => {
    await fleet?.stop();
    await vhost?.drop();
    await webhook?.close();
  });

  test('/store_api/health is healthy behind nginx; admin routes need an operator', async () => {
    const health = await call('GET', '/store_api/health', undefined);
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'healthy' }, 'the status only; the dependencies stay on the instance port');
    assert.equal((await call('GET', '/store_api/admin/shops', undefined)).status, 401);
    assert.equal((await call('GET', '/store_api/admin/shops', await fleet.token('robot'))).status, 403);
  });

  test('/store_api/docs serves the OpenAPI UI and its assets through the gateway, /store_api/docs/json the document', async () => {
    const page = await fleet.request('/store_api/docs');
    assert.equal(page.status, 200);
    const html = await page.text();
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(scripts.length > 0, 'the page loads scripts');
    for (const src of scripts) {
      const asset = await fetch(new URL(src, `${fleet.gatewayUrl}/store_api/docs`));
      assert.equal(asset.status, 200, `${src} loads through the gateway`);
    }
    const json = await call('GET', '/store_api/docs/json', undefined);
    assert.equal(json.status, 200);
    assert.ok((json.body.paths as Json)['/shops/{shopId}/products']);
  });

  test('the public browses open shops and their products without a token, with search and paging', async () => {
    await product({ name: 'Rye bread', price_minor: 320, stock: 5, category: 'bakery' });
    await product({ name: 'Croissant', price_minor: 180, stock: 5, category: 'bakery' });
    await product({ name: 'Sparkling water', price_minor: 150, stock: 5, category: 'drinks' });
    const shops = await call('GET', '/store_api/shops?q=deli', undefined);
    assert.equal(shops.status, 200);
    assert.deepEqual((shops.body.items as Json[]).map((s) => [s.name, s.open_now]), [['Station Deli', true]]);
    const bakery = await call('GET', `/store_api/shops/${shopId}/products?category=bakery&limit=1`, undefined);
    assert.deepEqual([bakery.body.total, (bakery.body.items as Json[])[0].name, (bakery.body.items as Json[])[0].price_minor], [2, 'Croissant', 180]);
    const search = await call('GET', `/store_api/shops/${shopId}/products?q=WATER`, undefined);
    assert.deepEqual((search.body.items as Json[]).map((p) => p.name), ['Sparkling water']);
    assert.equal((await call('GET', `/store_api/shops/${randomUUID()}/products`, undefined)).status, 404);
    assert.equal((await call('GET', '/store_api/shops?limit=500', undefined)).status, 400);
  });

  test('a robot orders for a ticket holder through base; a retry with the same key replays the order', async () => {
    await ticket('E2E-ORDER-1');
    const coffee = await product({ name: 'Coffee', price_minor: 10, stock: 100 });
    const bun = await product({ name: 'Bun', price_minor: 20, stock: 100 });
    const key = randomUUID();
    const body = { ticket_code: 'E2E-ORDER-1', shop_id: shopId, items: [{ product_id: coffee, quantity: 3 }, { product_id: bun, quantity: 7 }] };
    const first = await robotOrder('robot-e2e-1', body, key);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const order = first.body as unknown as OrderView;
    assert.deepEqual([order.status, order.total_minor, order.currency, order.passenger_name, order.placed_by], ['created', 170, 'EUR', 'Ada Lovelace', await registered.get('robot-e2e-1')]);
    const retry = await robotOrder('robot-e2e-1', body, key);
    assert.deepEqual([retry.status, retry.body.id, retry.body.replayed], [201, order.id, true]);
    assert.equal(await stockOf(coffee), 97, 'reserved once');
    const sameKeyOtherRobot = await robotOrder('robot-e2e-2', body, key);
    assert.notEqual(sameKeyOtherRobot.body.id, order.id, 'keys are scoped per robot');

    const seen = await call('GET', `/base_api/robot/orders/${order.id}`, await robotToken('robot-e2e-1'));
    assert.deepEqual([seen.status, seen.body.id], [200, order.id]);
    assert.equal((await call('GET', `/base_api/robot/orders/${order.id}`, await robotToken('robot-e2e-3'))).status, 404);
    const unregistered = await call('POST', '/base_api/robot/orders', await fleet.token('robot', 'robot-nobody-registered'), body, { 'idempotency-key': randomUUID() });
    assert.equal(unregistered.status, 403, 'a robot is the registered client behind its token');

    for (const status of ['paid', 'ready', 'handed_over']) {
      assert.equal((await call('POST', `/store_api/admin/orders/${order.id}/status`, operator, { status })).status, 200);
    }
    const illegal = await call('POST', `/store_api/admin/orders/${order.id}/status`, operator, { status: 'cancelled' });
    assert.equal(illegal.status, 409);
  });

  test('base refuses orders for bad tickets (422) and bad input (400); store errors map to HTTP (404, 409)', async () => {
    await ticket('E2E-EXPIRED', -1000);
    const item = await product({ name: 'Tea', price_minor: 200, stock: 1 });
    const unknown = await robotOrder('robot-e2e-4', { ticket_code: 'NO-SUCH-TICKET', shop_id: shopId, items: [{ product_id: item, quantity: 1 }] });
    assert.deepEqual([unknown.status, unknown.body.ticket_decision], [422, 'unknown']);
    const expired = await robotOrder('robot-e2e-4', { ticket_code: 'E2E-EXPIRED', shop_id: shopId, items: [{ product_id: item, quantity: 1 }] });
    assert.deepEqual([expired.status, expired.body.ticket_decision], [422, 'expired']);
    await ticket('E2E-ORDER-2');
    const noKey = await call('POST', '/base_api/robot/orders', await robotToken('robot-e2e-4'), { ticket_code: 'E2E-ORDER-2', shop_id: shopId, items: [{ product_id: item, quantity: 1 }] });
    assert.equal(noKey.status, 400);
    assert.match(String(noKey.body.message), /Idempotency-Key/);
    const float = await robotOrder('robot-e2e-4', { ticket_code: 'E2E-ORDER-2', shop_id: shopId, items: [{ product_id: item, quantity: 1.5 }] });
    assert.equal(float.status, 400);
    const missing = await robotOrder('robot-e2e-4', { ticket_code: 'E2E-ORDER-2', shop_id: shopId, items: [{ product_id: randomUUID(), quantity: 1 }] });
    assert.equal(missing.status, 404);
    assert.match(String(missing.body.message), /not sold by this shop/);
    const tooMany = await robotOrder('robot-e2e-4', { ticket_code: 'E2E-ORDER-2', shop_id: shopId, items: [{ product_id: item, quantity: 2 }] });
    assert.equal(tooMany.status, 409);
    assert.match(String(tooMany.body.message), /Not enough stock/);
    assert.equal((await call('POST', '/base_api/robot/orders', operator, {})).status, 403);
  });

  test('stock race through the gateway: 24 robots order the last 8 units at once, exactly 8 get one', async () => {
    await ticket('E2E-RACE');
    const last = await product({ name: 'Last pretzels', price_minor: 250, stock: 8 });
    const racers = Array.from({ length: 24 }, (_, i) => `robot-race-${i}`);
    await Promise.all(racers.map(robotToken)); // registered first, so the orders themselves race
    const results = await Promise.all(
      racers.map((robot) => robotOrder(robot, { ticket_code: 'E2E-RACE', shop_id: shopId, items: [{ product_id: last, quantity: 1 }] })),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 8, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 409).length, 16, statuses.join(','));
    assert.equal(await stockOf(last), 0);
  });

  test('a paid order reaches the accounting webhook: two failures, then one delivery, signed, same idempotency key', async () => {
    await ticket('E2E-PAY');
    const item = await product({ name: 'Newspaper', price_minor: 290, stock: 3 });
    const placed = await robotOrder('robot-pay', { ticket_code: 'E2E-PAY', shop_id: shopId, items: [{ product_id: item, quantity: 2 }] });
    assert.equal(placed.status, 201);
    assert.equal((await call('POST', `/store_api/admin/orders/${placed.body.id}/status`, operator, { status: 'paid' })).status, 200);
    const deadline = Date.now() + 15_000;
    let record: Json | undefined;
    while (Date.now() < deadline) {
      const page = await call('GET', '/store_api/admin/outbox?status=delivered', operator);
      record = (page.body.items as Json[]).find((r) => r.order_id === placed.body.id);
      if (record) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.ok(record, 'delivered within 15 s');
    assert.equal(record.attempts, 3);
    const calls = webhook.received.filter((r) => JSON.parse(r.body).order.id === placed.body.id);
    assert.deepEqual(calls.map((r) => r.status), [500, 500, 200]);
    assert.deepEqual([...new Set(calls.map((r) => r.headers['idempotency-key']))], [record.idempotency_key]);
    for (const call of calls) {
      const [t, v1] = String(call.headers['x-fleet-signature']).split(',').map((part) => part.slice(part.indexOf('=') + 1));
      assert.equal(v1, createHmac('sha256', WEBHOOK_SECRET).update(`${t}.${call.body}`).digest('hex'));
    }
    const payload = JSON.parse(calls[2].body);
    assert.deepEqual([payload.event, payload.order.id, payload.order.total_minor, payload.order.status], ['order.paid', placed.body.id, 580, 'paid']);
  });

  test('with every store instance down, base answers 504 at the deadline, the stale request is dropped, and a retry orders once', async () => {
    await ticket('E2E-DOWN');
    const item = await product({ name: 'Umbrella', price_minor: 1500, stock: 5 });
    const stores = fleet.fleet.instances.filter((i) => i.instanceId.startsWith('store-'));
    assert.equal(stores.length, 2);
    const key = randomUUID();
    const body = { ticket_code: 'E2E-DOWN', shop_id: shopId, items: [{ product_id: item, quantity: 1 }] };
    await Promise.all(stores.map((s) => s.stop()));
    try {
      const started = Date.now();
      const down = await robotOrder('robot-down', body, key);
      const waited = Date.now() - started;
      assert.equal(down.status, 504, JSON.stringify(down.body));
      assert.match(String(down.body.message), /store\.order\.create\.v1/);
      assert.ok(waited >= 1900 && waited < 5000, `answered after ${waited} ms`);
    } finally {
      await Promise.all(stores.map((s) => s.start()));
    }
    // The queued request reached store after its deadline: dropped, nothing reserved.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await stockOf(item), 5);
    const retry = await robotOrder('robot-down', body, key);
    assert.deepEqual([retry.status, retry.body.replayed], [201, false]);
    assert.equal(await stockOf(item), 4);
  });
});
