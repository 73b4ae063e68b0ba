import { describe, it, before, after } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { createTestDatabase, createTestRealm, freeTcpPort, TestDatabase, TestRealm } from '@fleet/testing';
import { baseDataSourceOptions } from '../src/database/base.datasource';
import { BaseProcess, spawnBase } from './support/spawn-base';

/** Stops the machine's RabbitMQ: `npm run test:chaos` only (see health-metrics.spec.ts for the rest). */
describe('base /health while the broker is down', () => {
  let db: TestDatabase;
  let realm: TestRealm;
  let base: BaseProcess;

  before(async () => {
    realm = createTestRealm();
    db = await createTestDatabase('base', 'svc_base', baseDataSourceOptions);
    base = await spawnBase({ port: await freeTcpPort(), databaseUrl: db.url, realm });
  });
  after(async () => {
    await base?.stop();
    await db?.drop();
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
