import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cropFace, groupPhoto } from '@fleet/testing';
import type { Journey, JourneyFleet } from './journey';

/** Browsers log every non-2xx fetch; these are the answers the journey provokes on purpose. */
const EXPECTED_ERRORS = [/status of (400|409).*\/base_api\/admin\/engineers/];

/** A robot of its own (registered through the API, its secret answered once), logging an engineer in by face. */
async function robotLogsInByFace(fleet: JourneyFleet, unique: string, photo: Buffer): Promise<{ robotId: string; clientId: string; deactivate: () => Promise<void> }> {
  const operator = await fleet.token('operator');
  const asOperator = (method: string, url: string, body?: object) =>
    fleet.request(url, { method, headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
  const clientId = `robot-faces-${unique}`;
  const registered = await asOperator('POST', '/base_api/admin/robots', { name: clientId, station: 'Central', keycloak_client_id: clientId });
  const robot = (await registered.json()) as { id: string; client_secret: string | null };
  assert.equal(registered.status, 201, JSON.stringify(robot));
  assert.ok(robot.client_secret, 'the fleet provisions robot clients (client_secret once)');
  const token = await fleet.clientToken(clientId, robot.client_secret);
  const form = new FormData();
  form.append('image', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'frame.jpg');
  const login = await fleet.request('/base_api/robot/auth/face', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const answer = (await login.json()) as { recognised?: boolean };
  assert.equal(login.status, 200, JSON.stringify(answer));
  assert.equal(answer.recognised, true, JSON.stringify(answer));
  return { robotId: robot.id, clientId, deactivate: async () => void (await asOperator('PATCH', `/base_api/admin/robots/${robot.id}`, { active: false })) };
}

export const engineersJourneys: Journey[] = [
  {
    page: 'engineers',
    title: 'an operator creates an engineer, sees a webcam shot and a group photo refused per photo, enrolls a face from a file, sees a robot log them in, forgets the face, edits the engineer, and is told a taken number conflicts',
    async run({ browser, fleet, unique }) {
      // A face no other journey enrolls, and the very same bytes at the robot: the match is this engineer, whoever
      // else the shared fleet knows.
      const face = await cropFace(groupPhoto(3), { x: 1074, y: 194, width: 229, height: 314 });
      const photos = mkdtempSync(path.join(tmpdir(), 'console-faces-'));
      const groupFile = path.join(photos, 'group.jpg');
      const faceFile = path.join(photos, 'face.jpg');
      writeFileSync(groupFile, groupPhoto(1));
      writeFileSync(faceFile, face);
      const session = await browser.signIn('operator', { width: 1024, height: 1300 });
      let robot: Awaited<ReturnType<typeof robotLogsInByFace>> | undefined;
      let engineerId: string | undefined;
      try {
        const { page } = session;
        await session.open('/engineers', 'Engineers');

        // Create: a bad employee number is a 400 whose field error stands next to its field.
        await page.getByRole('button', { name: 'New engineer' }).click();
        const dialog = page.getByRole('dialog', { name: 'New engineer' });
        await dialog.getByLabel('Employee number').fill('no spaces allowed');
        await dialog.getByLabel('First name').fill('Franck');
        await dialog.getByLabel('Last name').fill(`Journey-${unique}`);
        await dialog.getByRole('button', { name: 'Create engineer' }).click();
        await dialog.getByText('employee_number must be 1-32 letters, digits or "-"').waitFor();
        await dialog.getByLabel('Employee number').fill(`E-${unique}`);
        // The pills' box lies over the input and opens the list (a real click there).
        await dialog.getByRole('combobox', { name: 'Roles' }).click({ force: true });
        await page.getByRole('option', { name: 'Technician' }).click();
        await dialog.getByRole('button', { name: 'Create engineer' }).click();

        // The new engineer's details open in the drawer.
        const drawer = page.getByRole('dialog', { name: 'Engineer', exact: true });
        await drawer.getByText(`Franck Journey-${unique}`, { exact: true }).waitFor();
        const fileInput = drawer.locator('input[type="file"]');

        // A webcam photo (the test browser's fake camera shows a test pattern, no face): refused, and the photo says why.
        await drawer.getByRole('button', { name: 'Use the camera' }).click();
        await drawer.getByLabel('Camera preview').waitFor();
        await drawer.getByRole('button', { name: 'Take photo' }).click();
        const shot = drawer.getByTestId('face-photo').filter({ hasText: 'Camera photo' });
        await shot.waitFor();
        await drawer.getByRole('button', { name: 'Stop camera' }).click();
        await drawer.getByRole('button', { name: 'Enroll 1 photo(s)' }).click();
        await shot.getByText('No face found', { exact: true }).waitFor();
        await drawer.getByRole('button', { name: 'Remove refused photos' }).click();
        await shot.waitFor({ state: 'detached' });

        // The quality gate refuses a group photo: the photo itself says why.
        await fileInput.setInputFiles(groupFile);
        await drawer.getByRole('button', { name: 'Enroll 1 photo(s)' }).click();
        const refused = drawer.getByTestId('face-photo').filter({ hasText: 'group.jpg' });
        await refused.getByText('More than one face', { exact: true }).waitFor();
        await drawer.getByRole('button', { name: 'Remove refused photos' }).click();
        await refused.waitFor({ state: 'detached' });

        // A good photo from a file is enrolled.
        await fileInput.setInputFiles(faceFile);
        await drawer.getByRole('button', { name: 'Enroll 1 photo(s)' }).click();
        const faceState = drawer.getByTestId('face-state');
        await faceState.getByText('Face enrolled').waitFor();
        assert.match(await faceState.innerText(), /1 photo\(s\) added; 1 face template\(s\) in all/);
        await session.screenshot('engineers-face');

        // A robot recognises them; the face-login log shows it with their name.
        engineerId = new URL(page.url()).searchParams.get('engineer') ?? undefined;
        robot = await robotLogsInByFace(fleet, unique, face);
        await page.keyboard.press('Escape');
        await drawer.waitFor({ state: 'hidden' });
        await page.getByRole('tab', { name: 'Face logins' }).click();
        await page.getByLabel('Robot', { exact: true }).fill(robot.clientId);
        const attempt = page.getByRole('table', { name: 'Face login attempts' }).getByRole('row').filter({ hasText: robot.clientId });
        await attempt.getByText('Recognised').waitFor();
        await attempt.getByRole('button', { name: `Franck Journey-${unique}` }).waitFor();
        await session.screenshot('engineers-face-logins');

        // From the log back to the engineer; forgetting the face asks first.
        await attempt.getByRole('button', { name: `Franck Journey-${unique}` }).click();
        await drawer.getByText(`Franck Journey-${unique}`, { exact: true }).waitFor();
        await drawer.getByRole('button', { name: 'Forget face' }).click();
        await page.getByRole('dialog', { name: 'Forget this face?' }).getByRole('button', { name: 'Forget face' }).click();
        await faceState.getByText('Face forgotten').waitFor();
        assert.match(await faceState.innerText(), /1 face template\(s\) deleted/);

        // The list finds the engineer by name.
        await page.keyboard.press('Escape');
        await page.getByRole('tab', { name: 'Engineers' }).click();
        await page.getByLabel('Search by name').fill(`Journey-${unique}`);
        const row = page.getByRole('table', { name: 'Engineers' }).getByRole('row').filter({ hasText: `E-${unique}` });
        await row.getByText('Technician').waitFor();

        // Edit: the change shows in the list.
        await row.getByRole('button', { name: `Franck Journey-${unique}` }).click();
        await drawer.getByLabel('Phone').fill('+49 30 123456');
        await drawer.getByRole('button', { name: 'Save changes' }).click();
        await drawer.getByText('version 2').waitFor();
        await page.keyboard.press('Escape');
        await row.getByText('+49 30 123456').waitFor();
        await session.screenshot('engineers');

        // A taken employee number is a 409, said in a sentence.
        await page.getByRole('button', { name: 'New engineer' }).click();
        await dialog.getByLabel('Employee number').fill(`E-${unique}`);
        await dialog.getByLabel('First name').fill('Second');
        await dialog.getByLabel('Last name').fill(`Journey-${unique}`);
        await dialog.getByRole('button', { name: 'Create engineer' }).click();
        await dialog.getByRole('alert').getByText(`Employee number E-${unique} belongs to another engineer`).waitFor();
        await session.screenshot('engineers-conflict');
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        await dialog.waitFor({ state: 'hidden' });
        session.assertNoPageErrors(EXPECTED_ERRORS);
      } finally {
        await robot?.deactivate();
        // A failed run must not leave this face enrolled on a shared fleet.
        if (engineerId) await fleet.request(`/base_api/admin/engineers/${engineerId}/face`, { method: 'DELETE', headers: { authorization: `Bearer ${await fleet.token('operator')}` } });
        await session.close();
        rmSync(photos, { recursive: true, force: true });
      }
    },
  },
];
