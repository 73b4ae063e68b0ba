import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { INestApplication } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthModule } from '../src/health.module';

/** A service whose broker is down: what Kubernetes sees through each probe. */
@Module({
  imports: [HealthModule.forRoot({ inject: [], useFactory: () => ({ postgres: () => Promise.resolve(), rabbitmq: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5672')) }) })],
})
class BrokerDownModule {}

describe('liveness and readiness', () => {
  let app: INestApplication;
  let url: string;
  before(async () => {
    app = await NestFactory.create(BrokerDownModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  after(() => app?.close());

  it('/health (readiness) is 503 while a dependency is down', async () => {
    const response = await fetch(`${url}/health`);
    assert.equal(response.status, 503);
    assert.equal(((await response.json()) as { status: string }).status, 'unhealthy');
  });

  it('/health/live (liveness) is 200 all the same: the process answers', async () => {
    const response = await fetch(`${url}/health/live`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'alive' });
  });

  it('answers GET only; other paths under /health/ are not liveness', async () => {
    assert.equal((await fetch(`${url}/health/live`, { method: 'POST' })).status, 404);
    assert.equal((await fetch(`${url}/health/lively`)).status, 404);
  });
});
