import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OpenAPIObject } from '@nestjs/swagger';
import { openApiGaps, routesFromBootLog } from '@fleet/openapi';
import { createTestDatabase, createTestRealm, createTestVhost, freeTcpPort, TestDatabase, TestVhost, checkConsoleTypes } from '@fleet/testing';
import { videoDataSourceOptions } from '../src/database/video.datasource';
import { spawnVideo, VideoProcess } from './support/spawn-video';

/** The real video process (compiled main.js, API only) serves an OpenAPI document that lists every route it maps. */
describe('video OpenAPI', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let video: VideoProcess;
  let recordings: string;

  before(async () => {
    [db, vhost] = await Promise.all([createTestDatabase('video', 'svc_video', videoDataSourceOptions), createTestVhost('fleet_test_video_openapi')]);
    recordings = mkdtempSync(path.join(os.tmpdir(), 'video-openapi-'));
    // Not the ingest instance: this one serves the API only.
    const env = { RABBITMQ_URL: vhost.url, VIDEO_INGEST_INSTANCE: 'video-ingest-elsewhere', VIDEO_RECORDINGS_DIR: recordings };
    video = await spawnVideo({ port: await freeTcpPort(), databaseUrl: db.url, realm: createTestRealm(), instanceId: 'video-openapi', env });
  });
  after(async () => {
    await video?.stop();
    await db?.drop();
    await vhost?.drop();
    if (recordings) rmSync(recordings, { recursive: true, force: true });
  });

  it('describes every route the app maps, and every request body by its properties', async () => {
    const response = await fetch(`${video.url}/docs/json`);
    assert.equal(response.status, 200);
    const document = (await response.json()) as OpenAPIObject;
    const routes = routesFromBootLog(video.logs);
    assert.ok(routes.length >= 10, `found only ${routes.length} routes in the boot log`);
    assert.deepEqual(openApiGaps(document, routes), { missingRoutes: [], bodiesWithoutProperties: [], responsesWithoutSchema: [] });
    assert.equal(document.servers?.[0].url, '/video_api');
  });

  it('serves the UI at /docs without a token', async () => {
    const response = await fetch(`${video.url}/docs`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
  });

  it("is what the console's generated types were made from (UPDATE_CONSOLE_TYPES=1 rewrites them)", async () => {
    const document = await (await fetch(`${video.url}/docs/json`)).json();
    const types = await checkConsoleTypes('video', document);
    assert.ok(types.actual === types.expected, `${types.file} is stale: run UPDATE_CONSOLE_TYPES=1 node --test services/video/dist/test/openapi.spec.js`);
  });
});
