import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OpenAPIObject } from '@nestjs/swagger';
import { openApiGaps, routesFromBootLog } from '@fleet/openapi';
import { createTestDatabase, createTestRealm, createTestVhost, freeTcpPort, ServiceProcess, spawnServiceProcess, TestDatabase, TestVhost, checkConsoleTypes } from '@fleet/testing';
import { translatorDataSourceOptions } from '../src/database/translator.datasource';

/** The real translator API process (compiled main.js) serves an OpenAPI document that lists every route it maps. */
describe('translator OpenAPI', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let translator: ServiceProcess;
  let storage: string;

  before(async () => {
    [db, vhost] = await Promise.all([createTestDatabase('translator', 'svc_translator', translatorDataSourceOptions), createTestVhost('fleet_test_translator_openapi')]);
    storage = mkdtempSync(path.join(os.tmpdir(), 'translator-openapi-'));
    translator = await spawnServiceProcess({
      main: path.resolve(__dirname, '../src/main.js'),
      port: await freeTcpPort(),
      databaseUrl: db.url,
      realm: createTestRealm(),
      instanceId: 'translator-openapi',
      env: { RABBITMQ_URL: vhost.url, TRANSLATOR_STORAGE_DIR: storage },
      startTimeoutMs: 60_000,
    });
  });
  after(async () => {
    await translator?.stop();
    await db?.drop();
    await vhost?.drop();
    if (storage) rmSync(storage, { recursive: true, force: true });
  });

  it('describes every route the app maps, and every request body by its properties', async () => {
    const response = await fetch(`${translator.url}/docs/json`);
    assert.equal(response.status, 200);
    const document = (await response.json()) as OpenAPIObject;
    const routes = routesFromBootLog(translator.logs);
    assert.ok(routes.length >= 5, `found only ${routes.length} routes in the boot log`);
    assert.deepEqual(openApiGaps(document, routes), { missingRoutes: [], bodiesWithoutProperties: [], responsesWithoutSchema: [] });
    assert.equal(document.servers?.[0].url, '/translator_api');
  });

  it('serves the UI at /docs without a token', async () => {
    const response = await fetch(`${translator.url}/docs`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
  });

  it("is what the console's generated types were made from (UPDATE_CONSOLE_TYPES=1 rewrites them)", async () => {
    const document = await (await fetch(`${translator.url}/docs/json`)).json();
    const types = await checkConsoleTypes('translator', document);
    assert.ok(types.actual === types.expected, `${types.file} is stale: run UPDATE_CONSOLE_TYPES=1 node --test services/translator/dist/test/openapi.spec.js`);
  });
});
