import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, createTestRealm, freeTcpPort, TestDatabase, TestRealm } from '@fleet/testing';
import { baseDataSourceOptions } from '../src/database/base.datasource';
import { BaseProcess, spawnBase } from './support/spawn-base';

describe('base /health and /metrics', () => {
  let db: TestDatabase;
  let realm: TestRealm;
  let base: BaseProcess;
  let port: number;

  before(async () => {
    realm = createTestRealm();
    db = await createTestDatabase('base', 'svc_base', baseDataSourceOptions);
    port = await freeTcpPort();
    base = await spawnBase({ port, databaseUrl: db.url, realm });
  });
  after(async () => {
    await base?.stop();
    await db?.drop();
  });

  it('reports every dependency up, without a token', async () => {
    const response = await fetch(`${base.url}/health`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { status: string; services: Record<string, string> };
    assert.equal(body.status, 'healthy');
    assert.equal(body.services.postgres, 'up');
    assert.equal(body.services.redis, 'up');
    assert.equal(body.services.rabbitmq, 'up');
  });

  it('echoes a caller request id and makes one when absent', async () => {
    const given = await fetch(`${base.url}/health`, { headers: { 'x-request-id': 'trace-me-1' } });
    assert.equal(given.headers.get('x-request-id'), 'trace-me-1');
    const made = await fetch(`${base.url}/health`);
    assert.match(made.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('exposes Prometheus metrics: HTTP by route and status, memory, event-loop lag', async () => {
    await fetch(`${base.url}/health`);
    await fetch(`${base.url}/rooms/lobby/messages`); // 401: no token
    const text = await (await fetch(`${base.url}/metrics`)).text();
    assert.match(text, /fleet_http_request_duration_seconds_count\{[^}]*method="GET"[^}]*route="\/health"[^}]*status="200"/);
    assert.match(text, /fleet_http_request_duration_seconds_count\{[^}]*status="401"/);
    assert.match(text, /process_resident_memory_bytes\{[^}]*service="base"/);
    assert.match(text, /nodejs_eventloop_lag_seconds/);
    assert.match(text, new RegExp(`instance="base-test-${port}"`));
  });
});
