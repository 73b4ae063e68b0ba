import assert from 'node:assert/strict';
import type { Journey } from './journey';

export const overviewJourneys: Journey[] = [
  {
    page: 'overview',
    title: 'an operator signs in through the login page, sees every service healthy, and signs out',
    async run({ browser }) {
      const operator = await browser.signIn('operator');
      try {
        const { page } = operator;
        // Every public service's health row, with its instances answering through the gateway.
        for (const service of ['base', 'store', 'vision', 'video', 'translator']) {
          await page.getByTestId(`health-${service}`).getByText('up', { exact: true }).waitFor();
        }
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
];
