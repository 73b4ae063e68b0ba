import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { paintedKitPhoto, zipOf } from '@fleet/testing';
import type { Journey, JourneyFleet } from './journey';


/** Picks `option` in the Mantine select or multi-select labelled `label` (typing narrows the list). */
async function choose(page: Page, scope: Page | Locator, label: string, option: string): Promise<void> {
  const input = scope.getByRole('combobox', { name: label, exact: true });
  await input.click();
  await input.fill(option);
  await page.getByRole('option', { name: new RegExp(escapeRegExp(option)) }).first().click();
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether an <img> has really been decoded (its blob URL fetched with the token and loaded). */
async function assertImageLoaded(image: Locator): Promise<void> {
  await image.waitFor();
  // decode() settles once the image is decoded, and rejects for a broken one.
  const width = await image.evaluate(async (element) => {
    const img = element as unknown as { decode(): Promise<void>; naturalWidth: number };
    await img.decode();
    return img.naturalWidth;
  });
  assert.ok(width > 0, 'the annotated image has no pixels');
  assert.match((await image.getAttribute('src')) ?? '', /^blob:/);
}

async function api<T>(fleet: JourneyFleet, token: string, method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fleet.request(route, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** A kit of a hammer and a tape measure, made through the API (for journeys about something else). */
async function kitThroughApi(fleet: JourneyFleet, token: string, unique: string): Promise<{ id: string; name: string }> {
  const tool = async (name: string, className: string) => {
    const created = await api<{ id: string }>(fleet, token, 'POST', '/vision_api/tools', { name: `${name} ${unique}`, serial_number: `${className}-${unique}`, category: className, class_name: className });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body.id;
  };
  const items = [{ tool_id: await tool('Loan hammer', 'hammer') }, { tool_id: await tool('Loan tape', 'tape_measure') }];
  const kit = await api<{ id: string; name: string }>(fleet, token, 'POST', '/vision_api/toolkits', { name: `Loan kit ${unique}`, items });
  assert.equal(kit.status, 201, JSON.stringify(kit.body));
  return kit.body;
}

/**
 * An engineer registered in base, once vision has heard of it (base publishes through its outbox):
 * issuing an unknown kit answers "Engineer … is not known" until then, "Toolkit … not found" after.
 */
async function engineerKnownToVision(fleet: JourneyFleet, token: string, unique: string): Promise<{ id: string; name: string }> {
  const engineer = await api<{ id: string }>(fleet, token, 'POST', '/base_api/admin/engineers', { employee_number: `T-${unique}`, first_name: 'Ada', last_name: `Tools${unique}`, roles: ['technician'] });
  assert.equal(engineer.status, 201, JSON.stringify(engineer.body));
  const probe = () => api<{ message: string }>(fleet, token, 'POST', '/vision_api/transactions/issue', { toolkit_id: '00000000-0000-4000-8000-000000000000', engineer_id: engineer.body.id });
  for (let attempt = 0; ; attempt++) {
    const answer = await probe();
    if (/toolkit/i.test(answer.body.message)) break;
    assert.ok(attempt < 100, `vision never learnt of engineer ${engineer.body.id}: ${answer.body.message}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { id: engineer.body.id, name: `Ada Tools${unique}` };
}

export const toolsJourneys: Journey[] = [
  {
    page: 'tools',
    title: 'an operator adds tools, builds a kit of a hammer and a tape measure, and checks a photo without the hammer',
    async run({ browser, unique }) {
      const operator = await browser.signIn('operator');
      try {
        const { page } = operator;
        await operator.open('/tools?tab=catalogue', 'Tools');

        // A tool without its required fields: the 400's reasons appear next to the fields.
        await page.getByRole('button', { name: 'New tool' }).click();
        const empty = page.getByRole('dialog', { name: 'New tool' });
        await empty.getByRole('button', { name: 'Add tool' }).click();
        await empty.getByText(/serial_number must/).waitFor();
        await empty.getByRole('button', { name: 'Cancel' }).click();
        await empty.waitFor({ state: 'detached' });

        // The catalogue: two tools, the detector classes they are counted as.
        for (const [name, className] of [
          [`Hammer ${unique}`, 'hammer'],
          [`Tape ${unique}`, 'tape_measure'],
        ]) {
          await page.getByRole('button', { name: 'New tool' }).click();
          const dialog = page.getByRole('dialog', { name: 'New tool' });
          await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
          await dialog.getByRole('textbox', { name: 'Serial number' }).fill(`SN-${className}-${unique}`);
          await dialog.getByRole('textbox', { name: 'Category' }).fill(className);
          await dialog.getByRole('combobox', { name: 'Detector class' }).fill(className);
          await page.keyboard.press('Tab');
          await dialog.getByRole('button', { name: 'Add tool' }).click();
          await dialog.waitFor({ state: 'detached' });
        }
        await page.getByRole('button', { name: `Edit Hammer ${unique}` }).waitFor();

        // A new toolkit holding both.
        await page.getByRole('tab', { name: 'Toolkits' }).click();
        await page.getByRole('button', { name: 'New toolkit' }).click();
        await page.getByRole('textbox', { name: 'Name', exact: true }).fill(`Kit ${unique}`);
        await page.getByRole('textbox', { name: 'Description' }).fill('Journey kit: a hammer and a tape measure');
        await choose(page, page, 'Tools in the kit', `Hammer ${unique}`);
        await choose(page, page, 'Tools in the kit', `Tape ${unique}`);
        await page.keyboard.press('Escape');
        await page.getByRole('button', { name: 'Create toolkit' }).click();
        await page.getByRole('heading', { name: `Kit ${unique}` }).waitFor();
        await page.getByLabel(`Quantity of Hammer ${unique}`).waitFor();
        await page.getByLabel(`Quantity of Tape ${unique}`).waitFor();

        // Check a photo of the kit with only the tape measure in it.
        await page.getByRole('tab', { name: 'Check a kit' }).click();
        await choose(page, page, 'Compare with toolkit', `Kit ${unique}`);
        await page.locator('input[type=file]').setInputFiles({ name: `no-hammer-${unique}.jpg`, mimeType: 'image/jpeg', buffer: await paintedKitPhoto(['tape_measure']) });

        await page.getByText('missing: hammer', { exact: true }).waitFor();
        await assertImageLoaded(page.getByRole('img', { name: `Annotated no-hammer-${unique}.jpg` }));
        const table = page.getByTestId('kit-comparison');
        const cells = async (className: string) => (await table.getByRole('row').filter({ hasText: className }).getByRole('cell').allInnerTexts()).slice(1, 5);
        assert.deepEqual(await cells('hammer'), ['1', '0', '1', '0']);
        assert.deepEqual(await cells('tape_measure'), ['1', '1', '0', '0']);
        await operator.screenshot('tools');

        // A ZIP of two views of the whole kit: together they show both tools.
        const zip = await zipOf([
          [`left-${unique}.jpg`, await paintedKitPhoto(['hammer', 'tape_measure'])],
          [`right-${unique}.jpg`, await paintedKitPhoto(['tape_measure'])],
        ]);
        await page.locator('input[type=file]').setInputFiles({ name: `kit-${unique}.zip`, mimeType: 'application/zip', buffer: zip });
        await page.getByText('Kit complete', { exact: true }).waitFor();
        await assertImageLoaded(page.getByRole('img', { name: `Annotated left-${unique}.jpg` }));
        await assertImageLoaded(page.getByRole('img', { name: `Annotated right-${unique}.jpg` }));
        assert.deepEqual(await cells('hammer'), ['1', '1', '0', '0']);
        // The browser logs the deliberate 400 of the empty tool form; nothing else may show up.
        operator.assertNoPageErrors([/status of 400 \(Bad Request\) \(.*\/vision_api\/tools\)$/]);
      } finally {
        await operator.close();
      }
    },
  },
  {
    page: 'tools',
    title: 'an operator lends a kit to an engineer, takes it back with a photo showing a stray knife, and resolves the review',
    async run({ browser, fleet, unique }) {
      const token = await fleet.token('operator');
      const kit = await kitThroughApi(fleet, token, unique);
      const engineer = await engineerKnownToVision(fleet, token, unique);
      // At tablet size: the loan dialog and its table must still work there.
      const operator = await browser.signIn('operator', { width: 1024, height: 768 });
      try {
        const { page } = operator;
        await operator.open('/tools?tab=loans', 'Tools');
        await page.getByRole('button', { name: 'Issue a kit' }).click();
        const issue = page.getByRole('dialog', { name: 'Issue a kit' });
        await choose(page, issue, 'Toolkit', kit.name);
        await choose(page, issue, 'Engineer', engineer.name);
        await issue.getByRole('button', { name: 'Issue kit' }).click();

        // The loan opens: issued, waiting for the kit to come back.
        const loan = page.getByRole('dialog', { name: `${kit.name} → ${engineer.name} (T-${unique})` });
        await loan.getByTestId('loan-status').getByText('Issued').waitFor();
        await loan.locator('input[type=file]').setInputFiles({ name: `return-${unique}.jpg`, mimeType: 'image/jpeg', buffer: await paintedKitPhoto(['hammer', 'tape_measure', 'utility_knife']) });
        await loan.getByRole('button', { name: 'Return kit with 1 photo' }).click();

        // A tool that is not part of the kit: the return needs an operator's review.
        await loan.getByTestId('loan-status').getByText('Needs review').waitFor();
        await loan.getByText('extra 1 utility_knife').waitFor();
        await loan.getByText('extra: utility_knife', { exact: true }).waitFor();
        await assertImageLoaded(loan.getByRole('img', { name: `Annotated return-${unique}.jpg` }));
        await operator.screenshot('tools-loan-review');

        await loan.getByRole('radio', { name: 'Complete', exact: true }).check({ force: true });
        await loan.getByRole('textbox', { name: 'Reason' }).fill('The knife is the engineer’s own; the kit is complete');
        await loan.getByRole('button', { name: 'Resolve review' }).click();
        await page.getByRole('dialog', { name: 'Resolve as complete?' }).getByRole('button', { name: 'Resolve as complete' }).click();
        await loan.getByTestId('loan-status').getByText('Complete', { exact: true }).waitFor();
        await loan.getByText(/the knife is the engineer’s own/i).waitFor();
        operator.assertNoPageErrors();
      } finally {
        await operator.close();
      }
    },
  },
];
