import assert from 'node:assert/strict';
import type { Journey } from './journey';

export const overviewJourneys: Journey[] = [
  {
    page: 'overview',
    title: 'an operator signs in through the login page, sees every service healthy, and signs out',
    async run({ browser, fleet, unique }) {
      const operator = await browser.signIn('operator');
      try {
        const { page } = operator;
        // Every public service's health row, with its instances answering through the gateway.
        for (const service of ['base', 'store', 'vision', 'video', 'translator']) {
          await page.getByTestId(`health-${service}`).getByText('up', { exact: true }).waitFor();
        }
        // It updates live: a robot that comes online shows up, battery and state, without a reload.
        const admin = await fleet.token('admin');
        const name = `overview-robot-${unique}`;
        const registered = await fleet.request('/base_api/admin/robots', {
          method: 'POST',
          headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name, station: 'Central', keycloak_client_id: `robot-${unique}` }),
        });
        assert.equal(registered.status, 201, await registered.clone().text());
        const robot = (await registered.json()) as { client_id: string; client_secret: string };
        const robotToken = await fleet.clientToken(robot.client_id, robot.client_secret);
        const heartbeat = await fleet.request('/base_api/robot/heartbeat', {
          method: 'POST',
          headers: { authorization: `Bearer ${robotToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ battery: 17, state: 'charging' }),
        });
        assert.equal(heartbeat.status, 200, await heartbeat.clone().text());
        const row = page.getByRole('row').filter({ hasText: name });
        await row.getByText('17 %').waitFor();
        await row.getByText('charging').waitFor();
        await operator.screenshot('overview');
        // Navigation by link changes the page without a reload.
        await page.getByRole('link', { name: /Tickets/ }).click();
        await page.getByRole('heading', { name: 'Tickets', level: 1 }).waitFor();
        operator.assertNoPageErrors();
        // Sign out: back at the login page, and / asks to sign in again.
        await page.getByTestId('account-menu').click();
        await page.getByRole('menuitem', { name: 'Sign out' }).click();
        await page.locator('#username').waitFor();
        await page.goto('/');
        await page.locator('#username').waitFor();
        assert.match(page.url(), /\/keycloak\/realms\/fleet\//);
      } finally {
        await operator.close();
      }
    },
  },
  {
    page: 'overview',
    title: 'the session refreshes its token before it expires, and the page keeps working on the new one',
    async run({ browser }) {
      const operator = await browser.newSession();
      try {
        const { page } = operator;
        // The browser's clock is ours to move: sign in, then jump close to the token's expiry.
        await page.clock.install();
        await operator.signIn('operator');
        const firstToken = await page.waitForRequest((request) => request.url().includes('/base_api/admin/fleet/instances'));
        const refreshed = page.waitForRequest((request) => request.url().includes('/protocol/openid-connect/token') && (request.postData() ?? '').includes('grant_type=refresh_token'));
        // Access tokens live 300 s (the realm's accessTokenLifespan); the console refreshes in its last minute.
        await page.clock.fastForward('04:10');
        const refresh = await (await refreshed).response();
        assert.equal(refresh?.status(), 200);
        const nextCall = await page.waitForRequest((request) => request.url().includes('/base_api/admin/fleet/instances') && request.headers().authorization !== firstToken.headers().authorization);
        assert.equal((await nextCall.response())?.status(), 200, 'the API accepts the refreshed token');
        await page.getByTestId('health-base').getByText('up', { exact: true }).waitFor();
        operator.assertNoPageErrors();
      } finally {
        await operator.close();
      }
    },
  },
];
