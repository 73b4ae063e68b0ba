import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CommonEnv, EnvValidationError, toFleetConfig, validateEnv } from '../src';

describe(validateEnv.name, () => {
  it('applies defaults and converts numbers', () => {
    const env = validateEnv(CommonEnv, { PORT: '4100', RMQ_PREFETCH: '8' });
    assert.equal(env.PORT, 4100);
    assert.equal(env.RMQ_PREFETCH, 8);
    assert.equal(env.REDIS_URL, 'redis://127.0.0.1:6379');
  });

  it('reports every bad variable at once', () => {
    assert.throws(
      () => validateEnv(CommonEnv, { PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', RPC_DEADLINE_MS: '5' }),
      (error: unknown) => {
        assert.ok(error instanceof EnvValidationError);
        const variables = new Set(error.problems.map((problem) => problem.split(':')[0]));
        assert.deepEqual([...variables].sort(), ['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'RPC_DEADLINE_MS']);
        assert.match(error.message, /PORT/);
        return true;
      },
    );
  });

  it('treats empty strings as unset, so an empty line in .env keeps the default', () => {
    assert.equal(validateEnv(CommonEnv, { PORT: '' }).PORT, 3000);
  });

  it('maps to the nested config code reads', () => {
    const config = toFleetConfig('base', validateEnv(CommonEnv, { PORT: '4000', INSTANCE_ID: 'base-1' }));
    assert.equal(config.http.port, 4000);
    assert.equal(config.instanceId, 'base-1');
    assert.equal(config.rmq.maxDeliveries, 5);
  });
});
