import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as flush } from 'node:timers/promises';
import { PollingWorker, PollingWorkerOptions } from '../src/polling-worker';

/** Moves the mocked clock and lets the rounds it started settle (their promises, then their reschedule). */
async function advance(ms: number): Promise<void> {
  mock.timers.tick(ms);
  for (let i = 0; i < 5; i++) await flush();
}

function worker(outcomes: Array<'ok' | 'fail'>, options: Partial<PollingWorkerOptions> = {}) {
  const calls: number[] = [];
  const sut = new PollingWorker({
    name: 'test',
    intervalMs: 100,
    maxBackoffMs: 1000,
    tick: async () => {
      calls.push(calls.length);
      if (outcomes[calls.length - 1] === 'fail') throw new Error('down');
    },
    ...options,
  });
  return { sut, calls };
}

describe(PollingWorker.name, () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('runs a round every interval, and at once after a poke', async () => {
    const { sut, calls } = worker([]);
    sut.start();
    await advance(50);
    assert.equal(calls.length, 0);
    sut.poke();
    await advance(0);
    assert.equal(calls.length, 1);
    await advance(99);
    assert.equal(calls.length, 1);
    await advance(1);
    assert.equal(calls.length, 2);
    await sut.stop();
  });

  it('doubles the pause after each failed round up to the cap, ignores pokes meanwhile, and resets on success', async () => {
    const { sut, calls } = worker(['fail', 'fail', 'fail', 'fail', 'ok', 'ok'], { maxBackoffMs: 500 });
    sut.start(0);
    await advance(0);
    assert.deepEqual([calls.length, sut.failureCount], [1, 1]);
    sut.poke();
    await advance(0);
    assert.equal(calls.length, 1, 'a poke does not cut a backoff short');
    for (const [pause, expected] of [[200, 2], [400, 3], [500, 4], [500, 5], [100, 6]]) {
      await advance(pause - 1);
      assert.equal(calls.length, expected - 1, `not before ${pause} ms`);
      await advance(1);
      assert.equal(calls.length, expected, `after ${pause} ms`);
    }
    assert.equal(sut.failureCount, 0);
    await sut.stop();
  });

  it('runs again right after a round when poked during it', async () => {
    let release!: () => void;
    let rounds = 0;
    const sut = new PollingWorker({
      name: 'test',
      intervalMs: 10_000,
      maxBackoffMs: 10_000,
      tick: async () => {
        rounds += 1;
        if (rounds === 1) await new Promise<void>((resolve) => (release = resolve));
      },
    });
    sut.start(0);
    await advance(0);
    sut.poke();
    release();
    await advance(0);
    await advance(0);
    assert.equal(rounds, 2);
    await sut.stop();
  });

  it('stop() waits for the running round and then runs no more', async () => {
    let release!: () => void;
    let finished = false;
    let rounds = 0;
    const sut = new PollingWorker({
      name: 'test',
      intervalMs: 5,
      maxBackoffMs: 5,
      tick: async () => {
        rounds += 1;
        await new Promise<void>((resolve) => (release = resolve));
        finished = true;
      },
    });
    sut.start(0);
    await advance(0);
    const stopped = sut.stop().then(() => finished);
    release();
    assert.equal(await stopped, true);
    sut.poke();
    await advance(100);
    assert.equal(rounds, 1);
  });
});
