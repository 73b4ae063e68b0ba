import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OpenAPIObject } from '@nestjs/swagger';
import { openApiGaps, routesFromBootLog } from '@fleet/openapi';
import { createTestDatabase, createTestRealm, createTestVhost, freeTcpPort, ServiceProcess, TestDatabase, TestVhost, checkConsoleTypes } from '@fleet/testing';
import { visionDataSourceOptions } from '../src/database/vision.datasource';
import { spawnVision } from './support/spawn-vision';

/** The real vision HTTP process (compiled main.js) serves an OpenAPI document that lists every route it maps. */
describe('vision OpenAPI', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let vision: ServiceProcess;
  let mediaDir: string;

  before(async () => {
    [db, vhost] = await Promise.all([createTestDatabase('vision', 'svc_vision', visionDataSourceOptions), createTestVhost('fleet_test_vision_openapi')]);
    mediaDir = mkdtempSync(path.join(os.tmpdir(), 'vision-openapi-'));
    const env = { RABBITMQ_URL: vhost.url, VISION_MEDIA_DIR: mediaDir };
    vision = await spawnVision({ entry: 'main', port: await freeTcpPort(), databaseUrl: db.url, realm: createTestRealm(), instanceId: 'vision-openapi', env });
  });
  after(async () => {
    await vision?.stop();
    await db?.drop();
    await vhost?.drop();
    if (mediaDir) rmSync(mediaDir, { recursive: true, force: true });
  });

  it('describes every route the app maps, and every request body by its properties', async () => {
    const response = await fetch(`${vision.url}/docs/json`);
    assert.equal(response.status, 200);
    const document = (await response.json()) as OpenAPIObject;
    const routes = routesFromBootLog(vision.logs);
    assert.ok(routes.length >= 8, `found only ${routes.length} routes in the boot log`);
    assert.deepEqual(openApiGaps(document, routes), { missingRoutes: [], bodiesWithoutProperties: [], responsesWithoutSchema: [] });
    assert.equal(document.servers?.[0].url, '/vision_api');
  });

  it('serves the UI at /docs without a token', async () => {
    const response = await fetch(`${vision.url}/docs`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
  });

  it("is what the console's generated types were made from (UPDATE_CONSOLE_TYPES=1 rewrites them)", async () => {
    const document = await (await fetch(`${vision.url}/docs/json`)).json();
    const types = await checkConsoleTypes('vision', document);
    assert.ok(types.actual === types.expected, `${types.file} is stale: run UPDATE_CONSOLE_TYPES=1 node --test services/vision/dist/test/openapi.spec.js`);
  });
});
