import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RpcErrorCode } from '@fleet/contracts';
import { idempotent, RedisIdempotencyStore } from '../src';
import { rejection } from './support/assertions';
import { REDIS_URL, uniqueService } from './support/broker';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('idempotent() on Redis', () => {
  const prefix = `${uniqueService('mtidem')}:`;
  let redis: Redis;
  let store: RedisIdempotencyStore;

  before(() => {
    redis = new Redis(REDIS_URL);
    store = new RedisIdempotencyStore(redis, prefix);
  });

  after(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('runs concurrent duplicates once; the others wait for and get the stored result', async () => {
    const key = randomUUID();
    let runs = 0;
    const work = async () => {
      runs += 1;
      await sleep(100);
      return { answer: runs };
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => idempotent(store, key, work)));
    assert.equal(runs, 1);
    assert.deepEqual(results, Array(5).fill({ answer: 1 }));
    assert.deepEqual(await idempotent(store, key, work), { answer: 1 }, 'a later duplicate gets the stored result');
    assert.equal(runs, 1);
  });

  it('lets a redelivery run the work again after a failure', async () => {
    const key = randomUUID();
    await assert.rejects(idempotent(store, key, async () => { throw new Error('transient'); }), /transient/);
    assert.equal(await idempotent(store, key, async () => 'second try'), 'second try');
  });

  it('takes over the key once a dead holder’s lease lapses', async () => {
    const key = randomUUID();
    assert.equal(await store.claim(key, 'dead-worker', 300), true);
    const started = Date.now();
    assert.equal(await idempotent(store, key, async () => 'taken over'), 'taken over');
    assert.ok(Date.now() - started >= 250, 'waited for the lease');
  });

  it('keeps a live holder’s lease renewed; a duplicate gives up with Conflict after waitMs', async () => {
    const key = randomUUID();
    const holder = idempotent(store, key, async () => { await sleep(600); return 'slow'; }, { leaseMs: 150 });
    await sleep(20);
    const error = await rejection(idempotent(store, key, async () => 'duplicate', { waitMs: 400 }));
    assert.equal(error.code, RpcErrorCode.Conflict);
    assert.equal(await holder, 'slow');
    assert.equal(await idempotent(store, key, async () => 'duplicate'), 'slow');
  });
});
