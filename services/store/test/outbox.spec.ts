import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { CreateOrder, OrderView } from '@fleet/contracts';
import { verifyWebhook } from '../src/outbox/webhook-signature';
import { ALWAYS_OPEN, StoreHarness, startStore } from './support/store-harness';

interface Received {
  at: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface OutboxRecord {
  id: number;
  event: string;
  order_id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  idempotency_key: string;
}

const SECRET = 'test-webhook-secret-0123456789';

/** A real HTTP receiver on loopback whose answer the test decides per request. */
async function startReceiver(answer: (count: number) => number) {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ at: Date.now(), headers: request.headers, body });
      response.writeHead(answer(received.length)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/accounting`, received, close: () => new Promise((r) => server.close(r)) };
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('store accounting export: outbox delivered to a real webhook', () => {
  let h: StoreHarness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let mode: 'fail-twice' | 'down' | 'up' = 'fail-twice';
  let failuresLeft = 2;
  let shopId: string;
  let productId: string;

  const placeAndMove = async (status: 'paid' | 'cancelled'): Promise<OrderView> => {
    const order = await h.rpc.call(CreateOrder, { idempotency_key: randomUUID(), shop_id: shopId, items: [{ product_id: productId, quantity: 2 }], ticket_code: 'T-9', placed_by: 'robot-9' });
    const moved = await h.request('POST', `/admin/orders/${order.id}/status`, { body: { status } });
    assert.equal(moved.status, 200);
    return order;
  };
  const recordOf = async (orderId: string): Promise<OutboxRecord | undefined> =>
    (await h.request<{ items: OutboxRecord[] }>('GET', '/admin/outbox?limit=100')).body.items.find((r) => r.order_id === orderId);

  before(async () => {
    receiver = await startReceiver(() => {
      if (mode === 'down') return 503;
      if (mode === 'fail-twice' && failuresLeft > 0) return (failuresLeft -= 1), 500;
      return 204;
    });
    h = await startStore({
      STORE_EXPORT_WEBHOOK_URL: receiver.url,
      STORE_EXPORT_WEBHOOK_SECRET: SECRET,
      STORE_EXPORT_POLL_MS: '100',
      STORE_EXPORT_BACKOFF_MS: '200',
      STORE_EXPORT_MAX_ATTEMPTS: '3',
    });
    shopId = ((await h.request('POST', '/admin/shops', { body: { station: 'C', name: 'Till', location: 'Hall', opening_hours: ALWAYS_OPEN } })).body.id) as string;
    productId = ((await h.request('POST', `/admin/shops/${shopId}/products`, { body: { name: 'Map', category: 'paper', price_minor: 1250, currency: 'EUR', stock: 100 } })).body.id) as string;
  });
  after(async () => {
    await h?.stop();
    await receiver?.close();
  });

  it('retries with backoff when the webhook fails twice, then delivers once, signed, with a stable idempotency key', async () => {
    const order = await placeAndMove('paid');
    const record = await eventually(async () => {
      const found = await recordOf(order.id);
      return found?.status === 'delivered' ? found : undefined;
    });
    assert.equal(record.attempts, 3);
    assert.equal(record.last_error, null);
    const calls = receiver.received.filter((r) => JSON.parse(r.body).order.id === order.id);
    assert.equal(calls.length, 3);
    assert.deepEqual(new Set(calls.map((c) => c.headers['idempotency-key'])), new Set([record.idempotency_key]));
    for (const call of calls) {
      assert.equal(call.headers['x-fleet-event'], 'order.paid');
      assert.ok(verifyWebhook(SECRET, call.body, call.headers['x-fleet-signature'] as string), 'HMAC signature verifies');
      assert.ok(!verifyWebhook('another-secret-0123456789', call.body, call.headers['x-fleet-signature'] as string));
    }
    const payload = JSON.parse(calls[2].body);
    assert.deepEqual([payload.event, payload.order.status, payload.order.total_minor, payload.order.currency], ['order.paid', 'paid', 2500, 'EUR']);
    const gaps = [calls[1].at - calls[0].at, calls[2].at - calls[1].at];
    assert.ok(gaps[0] >= 190 && gaps[1] >= 390, `backoff doubles: ${gaps.join(', ')} ms`);
  });

  it('marks a record failed after the last attempt, shows it to operators, and delivers it on their retry', async () => {
    mode = 'down';
    const order = await placeAndMove('cancelled');
    const failed = await eventually(async () => {
      const found = await recordOf(order.id);
      return found?.status === 'failed' ? found : undefined;
    });
    assert.deepEqual([failed.event, failed.attempts, failed.last_error], ['order.cancelled', 3, 'HTTP 503']);
    const listed = await h.request<{ items: OutboxRecord[] }>('GET', '/admin/outbox?status=failed');
    assert.ok(listed.body.items.some((r) => r.id === failed.id));
    assert.equal((await h.request('POST', `/admin/outbox/${failed.id}/retry`, { token: await h.token('robot') })).status, 403);

    mode = 'up';
    const retried = await h.request<OutboxRecord>('POST', `/admin/outbox/${failed.id}/retry`);
    assert.equal(retried.status, 200);
    assert.deepEqual([retried.body.status, retried.body.attempts], ['pending', 0]);
    const delivered = await eventually(async () => {
      const found = await recordOf(order.id);
      return found?.status === 'delivered' ? found : undefined;
    });
    assert.equal(delivered.attempts, 1);
    assert.equal((await h.request('POST', `/admin/outbox/${failed.id}/retry`)).status, 409);
    assert.equal((await h.request('POST', '/admin/outbox/999999/retry')).status, 404);
    assert.equal((await h.request('POST', '/admin/outbox/99999999999999999999/retry')).status, 400);
    assert.equal((await h.request('POST', '/admin/outbox/abc/retry')).status, 400);
  });

  it('loses nothing when the store crashes with undelivered records: the next process delivers them', async () => {
    mode = 'down';
    const order = await placeAndMove('paid');
    await eventually(async () => ((await recordOf(order.id))?.attempts ?? 0) >= 1 || undefined);
    await h.crashAndRestart();
    mode = 'up';
    const delivered = await eventually(async () => {
      const found = await recordOf(order.id);
      return found?.status === 'delivered' ? found : undefined;
    }, 20_000);
    assert.ok(delivered.attempts >= 2, `attempts ${delivered.attempts}`);
    assert.ok(receiver.received.some((r) => r.headers['idempotency-key'] === delivered.idempotency_key && JSON.parse(r.body).order.id === order.id));
  });
});
