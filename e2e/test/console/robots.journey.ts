import assert from 'node:assert/strict';
import type { Journey, JourneyFleet } from './journey';

async function heartbeat(fleet: JourneyFleet, token: string, body: unknown): Promise<number> {
  const response = await fleet.request('/base_api/robot/heartbeat', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await response.arrayBuffer();
  return response.status;
}

export const robotsJourneys: Journey[] = [
  {
    page: 'robots',
    title: 'an operator registers a robot (secret shown once), watches its heartbeats arrive live, rotates its secret and deactivates it',
    async run({ fleet, browser, unique }) {
      const name = `Gate ${unique}`;
      const clientId = `robot-gate-${unique}`;
      const s = await browser.signIn('operator');
      try {
        const { page } = s;
        await s.open('/robots', 'Robots');
        await page.getByRole('button', { name: 'Register robot' }).click();
        const form = page.getByRole('dialog', { name: 'Register a robot' });
        await form.getByLabel('Name').fill(name);
        await form.getByLabel('Station').fill('Central');
        assert.equal(await form.getByLabel('Keycloak client id').inputValue(), clientId);
        await form.getByRole('button', { name: 'Register' }).click();

        // The credentials, once, with the warning and copy buttons.
        const shown = page.getByRole('dialog', { name: `Robot ${name} registered` });
        await shown.getByText('Shown once').waitFor();
        await shown.getByRole('button', { name: 'Copy client secret' }).waitFor();
        assert.equal(await shown.getByTestId('robot-client-id').textContent(), clientId);
        const secret = (await shown.getByTestId('robot-client-secret').textContent()) ?? '';
        assert.ok(secret.length >= 16, `a client secret is shown (${secret.length} characters)`);
        await s.screenshot('robots-registered');
        await shown.getByRole('button', { name: 'Done' }).click();
        await shown.waitFor({ state: 'hidden' });
        assert.equal(await page.getByText(secret).count(), 0, 'the secret is gone once the dialog is closed');

        const row = page.getByTestId(`robot-${name}`);
        await row.getByText('offline').waitFor();

        // The robot signs in with the secret it was given and reports; the row follows without a reload.
        const robot = await fleet.clientToken(clientId, secret);
        assert.equal(await heartbeat(fleet, robot, { battery: 87, state: 'busy', position: { x: 12.5, y: 3, zone: `platform-${unique}` } }), 200);
        await row.getByText('online').waitFor();
        await row.getByText('87%').waitFor();
        await row.getByTestId('robot-state').getByText('busy').waitFor();
        await row.getByText(`platform-${unique}`).waitFor();
        assert.equal(await heartbeat(fleet, robot, { battery: 41, state: 'charging' }), 200);
        await row.getByText('41%').waitFor();
        await row.getByTestId('robot-state').getByText('charging').waitFor();
        await s.screenshot('robots');

        // Rotate: confirm, a new secret shown once; it signs in.
        await row.getByRole('button', { name: `Actions for ${name}` }).click();
        await page.getByRole('menuitem', { name: 'Rotate secret' }).click();
        await page.getByRole('dialog', { name: `Rotate the secret of ${name}?` }).getByRole('button', { name: 'Rotate secret' }).click();
        const rotated = page.getByRole('dialog', { name: `New secret for ${name}` });
        await rotated.getByText('Shown once').waitFor();
        const newSecret = (await rotated.getByTestId('robot-client-secret').textContent()) ?? '';
        assert.ok(newSecret.length >= 16 && newSecret !== secret, 'a different secret');
        await rotated.getByRole('button', { name: 'Done' }).click();
        const rotatedToken = await fleet.clientToken(clientId, newSecret);

        // Deactivate: confirm; the robot shows inactive and its token is refused.
        await row.getByRole('button', { name: `Actions for ${name}` }).click();
        await page.getByRole('menuitem', { name: 'Deactivate' }).click();
        await page.getByRole('dialog', { name: `Deactivate ${name}?` }).getByRole('button', { name: 'Deactivate' }).click();
        await row.getByText('inactive').waitFor();
        assert.equal(await heartbeat(fleet, rotatedToken, { battery: 40, state: 'idle' }), 403);
        s.assertNoPageErrors();
      } finally {
        await s.close();
      }
    },
  },
];
