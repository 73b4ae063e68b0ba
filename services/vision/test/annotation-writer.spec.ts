import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ObjectStore } from '@fleet/storage';
import type { PendingAnnotations } from '../src/media/pending-annotations';
import { AnnotationWriter } from '../src/worker/annotation-writer';

/** A promise and the function that resolves it. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

const turns = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

/**
 * The writer with Redis' announcements and the store in memory, and the idle wait in the test's
 * hands: `idle()` fires it, as if the worker had had no image for ANNOTATION_IDLE_MS.
 */
function writer(backlogBytes = 1000) {
  const stored = new Map<string, Buffer>();
  const announced = new Set<string>();
  const pending = { announce: async (name: string) => void announced.add(name), settle: async (name: string) => void announced.delete(name) };
  const store = { put: async (key: string, body: Buffer) => void stored.set(key, body) };
  const sut = new AnnotationWriter(store as unknown as ObjectStore, pending as unknown as PendingAnnotations);
  sut.backlogBytes = backlogBytes;
  const idleCallbacks: Array<() => void> = [];
  sut.waitForIdle = (then) => {
    idleCallbacks.push(then);
    return setTimeout(() => undefined, 0);
  };
  const idle = () => idleCallbacks.splice(0).forEach((then) => then());
  const drawn: string[] = [];
  const drawing = (name: string) => async () => {
    drawn.push(name);
    return Buffer.from(name);
  };
  return { sut, stored, announced, idle, drawn, drawing };
}

describe(AnnotationWriter.name, () => {
  it('draws nothing while images are being detected, then the whole backlog once the worker is idle', async () => {
    const { sut, stored, announced, idle, drawn, drawing } = writer();
    const batchDone = deferred();
    const detecting = sut.detection(async () => {
      await sut.schedule('a.jpg', 100, drawing('a'));
      await sut.schedule('b.jpg', 100, drawing('b'));
      await batchDone.promise;
    });
    await turns();
    idle(); // a stale idle signal changes nothing while a detection runs
    await turns();
    assert.deepEqual(drawn, [], 'drawn while the worker still had an image to detect');
    assert.deepEqual([...announced].sort(), ['a.jpg', 'b.jpg'], 'announced at once, so readers wait for them');
    batchDone.resolve();
    await detecting;
    await turns();
    assert.deepEqual(drawn, [], 'drawn before the worker was idle');
    idle();
    await turns(20);
    assert.deepEqual(drawn, ['a', 'b']);
    assert.deepEqual([...stored.keys()], ['annotated/a.jpg', 'annotated/b.jpg']);
    assert.deepEqual([...announced], [], 'settled once stored');
    assert.equal(sut.backlog, 0);
  });

  it('runs detections one at a time, in arrival order, and never draws between them while the next is in hand', async () => {
    const { sut, idle, drawn, drawing } = writer();
    const started: string[] = [];
    const release = { a: deferred(), b: deferred(), c: deferred() };
    const detect = (name: 'a' | 'b' | 'c') =>
      sut.detection(async () => {
        started.push(name);
        await sut.schedule(`${name}.jpg`, 10, drawing(name));
        await release[name].promise;
      });
    const all = [detect('a'), detect('b'), detect('c')];
    await turns();
    assert.deepEqual(started, ['a'], 'one detection at a time');
    release.a.resolve();
    await turns();
    // The worker's idle wait fired while b was in hand (a late broker delivery looks just like this).
    idle();
    await turns();
    assert.deepEqual([started, drawn], [['a', 'b'], []], 'b runs next, and nothing is drawn while it does');
    release.b.resolve();
    await turns();
    idle();
    await turns();
    assert.deepEqual([started, drawn], [['a', 'b', 'c'], []]);
    release.c.resolve();
    await Promise.all(all);
    idle();
    await turns(20);
    assert.deepEqual(drawn, ['a', 'b', 'c'], 'the backlog is drawn once nothing is in hand');
  });

  it('counts an image in hand as work while it waits for room: only the drawing that makes room runs before it', async () => {
    const { sut, idle, drawn, drawing } = writer(250);
    for (const name of ['a', 'b', 'c']) await sut.detection(() => sut.schedule(`${name}.jpg`, 100, drawing(name)));
    let drawnWhenDetected: string[] | undefined;
    const next = sut.detection(async () => void (drawnWhenDetected = [...drawn]));
    // The idle wait armed after c fires now, while the next image waits for room.
    idle();
    await next;
    assert.deepEqual(drawnWhenDetected, ['a'], 'the rest of the backlog waits until the worker is idle');
    idle();
    await turns(20);
    assert.deepEqual(drawn, ['a', 'b', 'c']);
  });

  it('holds the next detection while the backlog is full, and draws at once to make room', async () => {
    const { sut, drawn, drawing } = writer(250);
    for (const name of ['a', 'b', 'c']) await sut.detection(() => sut.schedule(`${name}.jpg`, 100, drawing(name)));
    assert.equal(sut.backlog, 300);
    // No idle signal: the full backlog alone starts the drawing a waiting detection needs.
    await sut.room();
    assert.deepEqual(drawn, ['a']);
    assert.ok(sut.backlog < 250);
  });

  it('draws every queued image before the worker stops', async () => {
    const { sut, stored, drawing } = writer();
    await sut.detection(async () => {
      await sut.schedule('a.jpg', 10, drawing('a'));
      await sut.schedule('b.jpg', 10, drawing('b'));
    });
    await sut.onApplicationShutdown();
    assert.deepEqual([...stored.keys()], ['annotated/a.jpg', 'annotated/b.jpg']);
  });

  it('settles an image whose drawing failed, and goes on with the next', async () => {
    const { sut, stored, announced, idle, drawing } = writer();
    await sut.detection(async () => {
      await sut.schedule('bad.jpg', 10, async () => {
        throw new Error('corrupt');
      });
      await sut.schedule('good.jpg', 10, drawing('good'));
    });
    idle();
    await turns(20);
    assert.deepEqual([...stored.keys()], ['annotated/good.jpg']);
    assert.deepEqual([...announced], []);
    assert.equal(sut.backlog, 0);
  });
});
