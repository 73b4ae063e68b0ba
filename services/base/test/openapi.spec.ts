import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OpenAPIObject } from '@nestjs/swagger';
import { openApiGaps, routesFromBootLog } from '@fleet/openapi';
import { createTestDatabase, createTestRealm, createTestVhost, TestDatabase, TestVhost, checkConsoleTypes } from '@fleet/testing';
import { baseDataSourceOptions } from '../src/database/base.datasource';
import { freePort } from './support/free-port';
import { BaseProcess, spawnBase } from './support/spawn-base';

/** The real base process (compiled main.js) serves an OpenAPI document that lists every route it maps. */
describe('base OpenAPI', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let base: BaseProcess;

  before(async () => {
    [db, vhost] = await Promise.all([createTestDatabase('base', 'svc_base', baseDataSourceOptions), createTestVhost('fleet_test_base_openapi')]);
    base = await spawnBase({ port: await freePort(), databaseUrl: db.url, realm: createTestRealm(), instanceId: 'base-openapi', env: { RABBITMQ_URL: vhost.url } });
  });
  after(async () => {
    await base?.stop();
    await db?.drop();
    await vhost?.drop();
  });

  it('describes every route the app maps, and every request body by its properties', async () => {
    const response = await fetch(`${base.url}/docs/json`);
    assert.equal(response.status, 200);
    const document = (await response.json()) as OpenAPIObject;
    const routes = routesFromBootLog(base.logs);
    assert.ok(routes.length >= 20, `found only ${routes.length} routes in the boot log`);
    assert.deepEqual(openApiGaps(document, routes), { missingRoutes: [], bodiesWithoutProperties: [], responsesWithoutSchema: [] });
    assert.equal(document.servers?.[0].url, '/base_api');
  });

  it('serves the UI at /docs without a token', async () => {
    const response = await fetch(`${base.url}/docs`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
  });

  it("is what the console's generated types were made from (UPDATE_CONSOLE_TYPES=1 rewrites them)", async () => {
    const document = await (await fetch(`${base.url}/docs/json`)).json();
    const types = await checkConsoleTypes('base', document);
    assert.ok(types.actual === types.expected, `${types.file} is stale: run UPDATE_CONSOLE_TYPES=1 node --test services/base/dist/test/openapi.spec.js`);
  });
});
