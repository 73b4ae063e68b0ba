import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Journey, JourneyFleet } from './journey';

/** JSON through the gateway with a bearer token; asserts the status. */
async function api<T>(fleet: JourneyFleet, token: string, method: string, path: string, body: unknown, status: number): Promise<T> {
  const response = await fleet.request(`/base_api${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  assert.equal(response.status, status, `${method} ${path}: ${text}`);
  return JSON.parse(text) as T;
}

/** A robot registered through the admin API, signed in with the secret it was given once. */
async function robotToken(fleet: JourneyFleet, name: string): Promise<string> {
  const operator = await fleet.token('operator');
  const clientId = `robot-${name}`;
  const robot = await api<{ client_secret: string | null }>(fleet, operator, 'POST', '/admin/robots', { name, station: 'Central', keycloak_client_id: clientId }, 201);
  assert.ok(robot.client_secret, 'the fleet provisions robot clients (client_secret once)');
  return fleet.clientToken(clientId, robot.client_secret);
}

const check = (fleet: JourneyFleet, token: string, code: string, direction: 'entry' | 'exit') =>
  api<{ decision: string }>(fleet, token, 'POST', '/robot/tickets/check', { code, nonce: randomUUID(), direction }, 200);

const iso = (minutesFromNow: number) => new Date(Date.now() + minutesFromNow * 60_000).toISOString();

export const ticketsJourneys: Journey[] = [
  {
    page: 'tickets',
    title: 'an operator creates a ticket, a robot checks it through the API, and the checks show in the check log live',
    async run({ fleet, browser, unique }) {
      const code = `JRN-${unique}-A`;
      const robotName = `gate-${unique}`;
      const robot = await robotToken(fleet, robotName);
      const s = await browser.signIn('operator');
      try {
        const { page } = s;
        await s.open('/tickets', 'Tickets');
        await page.getByRole('button', { name: 'New ticket' }).click();
        const dialog = page.getByRole('dialog', { name: 'New ticket' });
        await dialog.getByLabel('Code').fill(code);
        await dialog.getByLabel('Passenger name').fill('Grace Hopper');
        await dialog.getByLabel('Train').fill('IC-7');
        await dialog.getByLabel('Departure station').fill('Central');
        await dialog.getByLabel('Car').fill('3');
        await dialog.getByLabel('Seat').fill('12B');
        await dialog.getByRole('button', { name: 'Create ticket' }).click();
        await dialog.waitFor({ state: 'hidden' });
        const row = page.getByTestId(`ticket-${code}`);
        await row.getByText('active').waitFor();

        // The robot checks the passenger in through the API; the log (filtered to this ticket) shows it.
        assert.equal((await check(fleet, robot, code, 'entry')).decision, 'valid');
        await row.getByRole('link', { name: `Checks of ${code}` }).click();
        await page.getByRole('tab', { name: 'Check log', selected: true }).waitFor();
        const log = page.getByRole('table', { name: 'Check log' });
        await log.getByRole('row').filter({ hasText: robotName }).filter({ hasText: 'entry' }).getByText('valid', { exact: true }).waitFor();

        // A second check while the log is open appears without a reload.
        assert.equal((await check(fleet, robot, code, 'exit')).decision, 'valid');
        await log.getByRole('row').filter({ hasText: 'exit' }).filter({ hasText: robotName }).waitFor();
        assert.equal(await log.getByRole('row').filter({ hasText: code }).count(), 2);
        await s.screenshot('tickets-check-log');

        // The entry used the ticket up.
        await page.getByRole('tab', { name: 'Tickets' }).click();
        await page.getByRole('form', { name: 'Search tickets' }).getByLabel('Ticket code').fill(code);
        await page.getByRole('button', { name: 'Search' }).click();
        await page.getByTestId(`ticket-${code}`).getByText('used', { exact: true }).waitFor();
        s.assertNoPageErrors();
      } finally {
        await s.close();
      }
    },
  },
  {
    page: 'tickets',
    title: 'an operator imports a CSV with one bad row and reads that row\'s reasons in the report',
    async run({ browser, unique }) {
      const header = 'code,passenger_name,train,car,seat,departure_station,valid_from,valid_until';
      const csv = [
        header,
        `JRN-${unique}-I1,Ada Lovelace,IC-9,1,1A,Central,${iso(-10)},${iso(240)}`,
        `JRN-${unique}-I2,,IC-9,1,1B,Central,tomorrow,${iso(240)}`,
        `JRN-${unique}-I3,Alan Turing,IC-9,1,1C,Central,${iso(-10)},${iso(240)}`,
      ].join('\n');
      const s = await browser.signIn('operator');
      try {
        const { page } = s;
        await s.open('/tickets', 'Tickets');
        await page.getByRole('button', { name: 'Import…' }).click();
        const dialog = page.getByRole('dialog', { name: 'Import tickets' });
        await dialog.locator('input[type=file]').setInputFiles({ name: `tickets-${unique}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
        const report = dialog.getByRole('region', { name: 'Import report' });
        await report.getByText('2 created').waitFor();
        await report.getByText('1 rejected').waitFor();
        const rejected = report.getByRole('table', { name: 'Rejected rows' }).getByRole('row').filter({ hasText: `JRN-${unique}-I2` });
        await rejected.getByText('valid_from must be an ISO 8601 date-time').waitFor();
        await rejected.getByText(/passenger_name/).first().waitFor();
        assert.equal(await rejected.getByRole('cell').first().textContent(), '2');
        await s.screenshot('tickets-import');
        await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();

        const search = page.getByRole('form', { name: 'Search tickets' });
        await search.getByLabel('Passenger').fill('Turing');
        await search.getByLabel('Train').fill('IC-9');
        await search.getByRole('button', { name: 'Search' }).click();
        await page.getByTestId(`ticket-JRN-${unique}-I3`).waitFor();
        s.assertNoPageErrors();
      } finally {
        await s.close();
      }
    },
  },
  {
    page: 'tickets',
    title: 'an operator finds a ticket and cancels it after confirming, with a reason',
    async run({ fleet, browser, unique }) {
      const code = `JRN-${unique}-C`;
      const operator = await fleet.token('operator');
      await api(fleet, operator, 'POST', '/admin/tickets', { code, passenger_name: 'Katherine Johnson', train: 'IC-3', car: '2', seat: '5C', departure_station: 'North', valid_from: iso(-5), valid_until: iso(120) }, 201);
      const s = await browser.signIn('operator', { width: 1024, height: 768 });
      try {
        const { page } = s;
        await s.open(`/tickets?code=${code}`, 'Tickets');
        const row = page.getByTestId(`ticket-${code}`);
        await row.getByText('active').waitFor();
        await row.getByRole('button', { name: `Cancel ${code}` }).click();
        const dialog = page.getByRole('dialog', { name: `Cancel ticket ${code}?` });
        await dialog.getByLabel('Reason').fill('passenger rebooked');
        await s.screenshot('tickets-cancel');
        await dialog.getByRole('button', { name: 'Cancel ticket' }).click();
        await dialog.waitFor({ state: 'hidden' });
        await row.getByText('cancelled', { exact: true }).waitFor();
        await row.getByText('passenger rebooked').waitFor();
        assert.equal(await row.getByRole('button', { name: `Cancel ${code}` }).count(), 0);
        await s.screenshot('tickets');
        s.assertNoPageErrors();
      } finally {
        await s.close();
      }
    },
  },
  {
    page: 'tickets',
    title: 'an operator audits a robot\'s boarding decision: listed with the service\'s signature verdict, and verified by its id',
    async run({ fleet, browser, unique }) {
      const code = `JRN-${unique}-B`;
      const robot = await robotToken(fleet, `boarder-${unique}`);
      // An unknown ticket is refused before any face check: a signed decision without the face service.
      const form = new FormData();
      form.set('code', code);
      form.set('nonce', randomUUID());
      form.set('image', new Blob([Buffer.from('camera frame')], { type: 'image/jpeg' }), 'frame.jpg');
      const response = await fleet.request('/base_api/robot/boarding', { method: 'POST', headers: { authorization: `Bearer ${robot}` }, body: form });
      const decision = (await response.json()) as { decision_id: string; outcome: string };
      assert.equal(response.status, 200, JSON.stringify(decision));
      assert.equal(decision.outcome, 'ticket_refused');

      const s = await browser.signIn('operator');
      try {
        const { page } = s;
        await s.open(`/tickets?tab=boarding&ticket_code=${code}`, 'Tickets');
        const row = page.getByTestId(`boarding-${decision.decision_id}`);
        await row.getByText('ticket refused').waitFor();
        await row.getByText(`boarder-${unique}`).waitFor();
        await row.getByText('✓ valid', { exact: true }).waitFor();

        await page.getByLabel('Verify a decision by id').fill(decision.decision_id);
        await page.getByRole('button', { name: 'Verify' }).click();
        const audit = page.getByTestId('boarding-audit');
        await audit.getByText('✓ valid', { exact: true }).waitFor();
        await audit.getByText(new RegExp(`ticket ${code}`)).waitFor();
        await s.screenshot('tickets-boarding');
        s.assertNoPageErrors();
      } finally {
        await s.close();
      }
    },
  },
];
