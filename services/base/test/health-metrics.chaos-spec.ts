import { describe, it, before, after } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { createTestDatabase, createTestRealm, TestDatabase, TestRealm } from '@fleet/testing';
import { baseDataSourceOptions } from '../src/database/base.datasource';
import { BaseProcess, spawnBase } from './support/spawn-base';

describe('base /health and /metrics', () => {
  let db: TestDatabase;
  let realm: TestRealm;
  let base: BaseProcess;

  before(async () => {
    realm = createTestRealm();
    db = await createTestDatabase('base', 'svc_base', baseDataSourceOptions);
    base = await spawnBase({ port: 39311, databaseUrl: db.url, realm });
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
    assert.match(text, /instance="base-test-39311"/);
  });

  it('goes 503 with rabbitmq down while the broker is stopped, and 200 again once it is back', async () => {
    const rabbitmqctl = (command: string) => execFileSync('rabbitmqctl', [command], { stdio: 'ignore' });
    rabbitmqctl('stop_app');
    try {
      const down = await eventually(async () => {
        const response = await fetch(`${base.url}/health`);
        return response.status === 503 ? ((await response.json()) as HealthBody) : undefined;
      }, 10_000);
      assert.equal(down.status, 'unhealthy');
      assert.equal(down.services.rabbitmq, 'down');
      assert.equal(down.services.postgres, 'up', 'only the failing dependency is down');
    } finally {
      rabbitmqctl('start_app');
    }
    const up = await eventually(async () => {
      const response = await fetch(`${base.url}/health`);
      return response.status === 200 ? ((await response.json()) as HealthBody) : undefined;
    }, 30_000);
    assert.equal(up.services.rabbitmq, 'up');
  });
});

interface HealthBody {
  status: string;
  services: Record<string, string>;
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
