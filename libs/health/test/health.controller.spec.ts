import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Request, Response } from 'express';
import { HealthController } from '../src/health.controller';
import { HealthService } from '../src/health.service';

function request(headers: Record<string, string>): Request {
  return { headers } as unknown as Request;
}

function response(): Response & { statusCode: number } {
  const res = { statusCode: 200, status: (code: number) => ((res.statusCode = code), res) };
  return res as unknown as Response & { statusCode: number };
}

describe(HealthController.name, () => {
  const sut = new HealthController(
    new HealthService({
      postgres: () => Promise.resolve(),
      redis: () => Promise.reject(new Error('connect ECONNREFUSED 10.0.3.7:6379')),
    }),
  );

  test('on the instance port: the status, each dependency and why it is down', async () => {
    const res = response();
    const report = await sut.check(request({}), res);
    assert.equal(res.statusCode, 503);
    assert.deepEqual(report, { status: 'unhealthy', services: { postgres: 'up', redis: 'down' }, errors: { redis: 'connect ECONNREFUSED 10.0.3.7:6379' } });
  });

  test('through the gateway (X-Forwarded-For set): the status only, with the same HTTP status', async () => {
    const res = response();
    const report = await sut.check(request({ 'x-forwarded-for': '203.0.113.9' }), res);
    assert.equal(res.statusCode, 503);
    assert.deepEqual(report, { status: 'unhealthy' });
  });
});
