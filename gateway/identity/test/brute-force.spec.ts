import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, TestDatabase } from '@fleet/testing';
import { BruteForceGuard, identityDataSourceOptions } from '../src';
import { createIdentityPool } from '../src/db';
import type { Pool } from 'pg';

describe('brute-force detection (real Postgres, injected clock)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let now = Date.parse('2026-01-01T00:00:00Z');
  let guard: BruteForceGuard;

  before(async () => {
    db = await createTestDatabase('identity', 'svc_identity', identityDataSourceOptions);
    pool = createIdentityPool(db.url, 2);
    guard = new BruteForceGuard(pool, { maxFailures: 3, lockoutSeconds: 60 }, () => now);
  });
  after(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('locks after the configured failures, unlocks when the lockout has passed, and a success resets the count', async () => {
    assert.deepEqual(await guard.recordFailure('Alice'), { locked: false });
    assert.deepEqual(await guard.recordFailure('alice'), { locked: false });
    assert.deepEqual(await guard.recordFailure('alice'), { locked: true, retryAfterSeconds: 60 });
    assert.deepEqual(await guard.check('alice'), { locked: true, retryAfterSeconds: 60 });
    now += 59_500;
    assert.deepEqual(await guard.check('alice'), { locked: true, retryAfterSeconds: 1 });
    now += 1_000;
    assert.deepEqual(await guard.check('alice'), { locked: false });
    // After the lock, counting starts again from one.
    assert.deepEqual(await guard.recordFailure('alice'), { locked: false });
    assert.deepEqual(await guard.recordFailure('alice'), { locked: false });
    await guard.recordSuccess('alice');
    assert.deepEqual(await guard.recordFailure('alice'), { locked: false });
    assert.deepEqual(await guard.recordFailure('alice'), { locked: false });
    assert.deepEqual(await guard.check('bob'), { locked: false });
  });
});
