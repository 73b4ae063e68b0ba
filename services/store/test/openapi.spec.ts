import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkConsoleTypes } from '@fleet/testing';
import { OpenAPIObject } from '@nestjs/swagger';
import { openApiGaps, routesFromBootLog } from '@fleet/openapi';
import { startStore, StoreHarness } from './support/store-harness';

type SchemaObject = { required?: string[]; properties?: Record<string, { maxLength?: number }> };

/** The real store process (compiled main.js) serves an OpenAPI document that lists every route it maps. */
describe('store OpenAPI', () => {
  let harness: StoreHarness;

  before(async () => {
    harness = await startStore();
  });
  after(async () => {
    await harness?.stop();
  });

  it('describes every route the app maps, and every request body by its properties', async () => {
    const response = await fetch(`${harness.store.url}/docs/json`);
    assert.equal(response.status, 200);
    const document = (await response.json()) as OpenAPIObject;
    const routes = routesFromBootLog(harness.store.logs);
    assert.ok(routes.length >= 15, `found only ${routes.length} routes in the boot log`);
    assert.deepEqual(openApiGaps(document, routes), { missingRoutes: [], bodiesWithoutProperties: [], responsesWithoutSchema: [] });
    assert.equal(document.servers?.[0].url, '/store_api');
    // The plugin read the class-validator limits, not only the names.
    const shop = document.components?.schemas?.CreateShopDto as SchemaObject;
    assert.deepEqual([...(shop.required ?? [])].sort(), ['location', 'name', 'opening_hours', 'station']);
    assert.equal(shop.properties?.name.maxLength, 200);
  });

  it('serves the UI at /docs without a token', async () => {
    const response = await fetch(`${harness.store.url}/docs`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
  });

  it("is what the console's generated types were made from (UPDATE_CONSOLE_TYPES=1 rewrites them)", async () => {
    const document = await (await fetch(`${harness.store.url}/docs/json`)).json();
    const types = await checkConsoleTypes('store', document);
    assert.ok(types.actual === types.expected, `${types.file} is stale: run UPDATE_CONSOLE_TYPES=1 node --test services/store/dist/test/openapi.spec.js`);
  });
});
