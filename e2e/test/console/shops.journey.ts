import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Journey, JourneyFleet } from './journey';

type Json = Record<string, unknown>;

/** A JSON call through the gateway with a bearer token; fails the journey on an unexpected status. */
async function api<T = Json>(fleet: JourneyFleet, token: string, method: string, path: string, body?: unknown, expected = 200, headers: Record<string, string> = {}): Promise<T> {
  const response = await fleet.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.equal(response.status, expected, `${method} ${path}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * A robot orders the way robots do: registered in base (its client secret shown once), a ticket
 * for the passenger, then `POST /base_api/robot/orders` with its own token and an idempotency key.
 */
async function placeRobotOrder(fleet: JourneyFleet, operator: string, unique: string, shopId: string, productId: string): Promise<Json> {
  const robot = await api<{ client_id: string; client_secret: string | null }>(fleet, operator, 'POST', '/base_api/admin/robots', { name: `Shops robot ${unique}`, station: 'Central', keycloak_client_id: `robot-shops-${unique}` }, 201);
  assert.ok(robot.client_secret, 'the identity provider made the robot a client secret');
  const now = Date.now();
  const ticket = `SHOP-${unique}`.toUpperCase();
  await api(fleet, operator, 'POST', '/base_api/admin/tickets', {
    code: ticket,
    passenger_name: 'Ada Lovelace',
    train: 'IC 101',
    car: '7',
    seat: '42',
    departure_station: 'Central',
    valid_from: new Date(now - 60_000).toISOString(),
    valid_until: new Date(now + 3_600_000).toISOString(),
  }, 201);
  const robotToken = await fleet.clientToken(robot.client_id, robot.client_secret);
  return api(fleet, robotToken, 'POST', '/base_api/robot/orders', { ticket_code: ticket, shop_id: shopId, items: [{ product_id: productId, quantity: 2 }] }, 201, { 'idempotency-key': randomUUID() });
}

export const shopsJourneys: Journey[] = [
  {
    page: 'shops',
    title: 'an operator creates a shop with opening hours, prices a product in euros (stored in cents), moves a robot order and retries its export',
    async run({ fleet, browser, unique }) {
      const operator = await fleet.token('operator');
      const session = await browser.signIn('operator');
      try {
        const { page } = session;
        await session.open('/shops', 'Shops');
        await page.getByTestId('store-time-zone').waitFor();

        // A new shop: weekdays and weekends as two rules, open all day (so the robot's order below is taken now).
        const shopName = `Kiosk ${unique}`;
        await page.getByRole('button', { name: 'New shop' }).click();
        const dialog = page.getByRole('dialog', { name: 'New shop' });
        await dialog.getByLabel('Name').fill(shopName);
        await dialog.getByLabel('Station').fill('Central');
        await dialog.getByLabel('Location').fill('Hall B, next to platform 4');
        const weekdays = dialog.getByRole('group', { name: 'Hours 1' });
        await weekdays.getByLabel('Opens').fill('07:00');
        await weekdays.getByLabel('Closes').fill('06:00');
        await dialog.getByRole('button', { name: 'Create shop' }).click();
        // Closing before opening is refused next to the field, before anything is sent.
        await weekdays.getByText(/Must be after the opening time/).waitFor();
        await weekdays.getByLabel('Opens').fill('00:00');
        await weekdays.getByLabel('Closes').fill('24:00');
        await dialog.getByRole('button', { name: 'Add hours' }).click();
        const weekend = dialog.getByRole('group', { name: 'Hours 2' });
        for (const day of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']) await weekend.getByText(day, { exact: true }).click();
        await weekend.getByLabel('Opens').fill('00:00');
        await weekend.getByLabel('Closes').fill('24:00');
        await dialog.getByRole('button', { name: 'Create shop' }).click();

        await page.waitForURL(/\/shops\/[0-9a-f-]{36}$/);
        const shopId = page.url().split('/').pop()!;
        await page.getByRole('heading', { name: shopName }).waitFor();
        await page.getByText('Open', { exact: true }).first().waitFor();
        const stored = await api<{ opening_hours: unknown; time_zone?: string }>(fleet, operator, 'GET', `/store_api/admin/shops/${shopId}`);
        assert.deepEqual(stored.opening_hours, [
          { days: [1, 2, 3, 4, 5], opens: '00:00', closes: '24:00' },
          { days: [6, 7], opens: '00:00', closes: '24:00' },
        ]);

        // A product priced as currency: typed 12.50 EUR, stored as 1250 minor units, shown as currency again.
        const productName = `Espresso ${unique}`;
        await page.getByRole('button', { name: 'Add product' }).click();
        const productDialog = page.getByRole('dialog', { name: 'New product' });
        await productDialog.getByLabel('Name').fill(productName);
        await productDialog.getByLabel('Category').fill('drinks');
        await productDialog.getByLabel(/^Price/).fill('12.50');
        await productDialog.getByLabel('Stock').fill('5');
        await productDialog.getByRole('button', { name: 'Add product' }).click();
        await productDialog.waitFor({ state: 'hidden' });
        const productRow = page.getByRole('row').filter({ hasText: productName });
        await productRow.waitFor();
        assert.match(await productRow.getByTestId('product-price').innerText(), /^(€\s?12\.50|12[.,]50\s?€|EUR\s?12\.50)$/);
        const products = await api<{ items: Array<{ id: string; name: string; price_minor: number; currency: string }> }>(fleet, operator, 'GET', `/store_api/admin/shops/${shopId}/products`);
        const product = products.items.find((item) => item.name === productName);
        assert.deepEqual([product?.price_minor, product?.currency], [1250, 'EUR']);
        await session.screenshot('shops');

        // A robot orders two; the operator moves the order on, offered only the moves the status machine allows.
        const order = await placeRobotOrder(fleet, operator, unique, shopId, product!.id);
        assert.deepEqual([order.status, order.total_minor], ['created', 2500]);
        await page.getByRole('tab', { name: 'Orders' }).click();
        await page.getByLabel('Ticket or robot').fill(String(order.ticket_code));
        const orderRow = page.getByTestId(`order-${order.id}`);
        await orderRow.getByText('Created', { exact: true }).waitFor();
        assert.match(await orderRow.innerText(), /2 × Espresso/);
        assert.equal(await orderRow.getByRole('button', { name: 'Hand over' }).count(), 0, 'a created order cannot be handed over');
        await orderRow.getByRole('button', { name: 'Cancel order' }).waitFor();
        await orderRow.getByRole('button', { name: 'Mark paid' }).click();
        await orderRow.getByTestId('order-status').getByText('Paid', { exact: true }).waitFor();
        await orderRow.getByRole('button', { name: 'Mark ready' }).waitFor();
        assert.equal(await orderRow.getByRole('button', { name: 'Mark paid' }).count(), 0);
        assert.equal((await api<Json>(fleet, operator, 'GET', `/store_api/admin/orders/${order.id}`)).status, 'paid');
        await page.getByText('1–1 of 1').waitFor(); // the search (debounced) has narrowed the list to this ticket
        await session.screenshot('shops-orders');

        // The paid order went to the accounting export in the same transaction; an operator may queue it again.
        await page.getByRole('tab', { name: 'Accounting export' }).click();
        const exportRow = page.getByRole('row').filter({ hasText: String(order.id).slice(0, 8) }).filter({ hasText: 'order.paid' });
        await exportRow.waitFor();
        await session.screenshot('shops-exports');
        // No fleet the journeys run on has an accounting webhook, so the record waits (pending) and can be queued again.
        await exportRow.getByText('pending', { exact: true }).waitFor();
        await exportRow.getByRole('button', { name: /Retry export/ }).click();
        await page.getByText(/queued again/).waitFor();
        session.assertNoPageErrors();
      } finally {
        await session.close();
      }
    },
  },
];
