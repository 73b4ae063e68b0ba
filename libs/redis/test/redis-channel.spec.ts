import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { readyRedisClient, RedisChannel } from '../src';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** One instance's side of a channel: its own two connections (ready, as the services get them), and what it heard. */
async function instance(name: string, { lazy = false } = {}) {
  const publisher = await readyRedisClient(REDIS_URL, `${name}-pub`);
  const subscriber = lazy ? new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : await readyRedisClient(REDIS_URL, `${name}-sub`, { subscriber: true });
  const heard: string[] = [];
  const events: string[] = [];
  let onHeard: (() => void) | undefined;
  let onSubscribed: (() => void) | undefined;
  let onUnsubscribed: (() => void) | undefined;
  return {
    publisher,
    subscriber,
    heard,
    events,
    /** Resolves at the next message heard. */
    nextMessage: () => new Promise<void>((resolve) => (onHeard = resolve)),
    /** Resolves at the next (re)subscription. */
    nextSubscription: () => new Promise<void>((resolve) => (onSubscribed = resolve)),
    /** Resolves when the subscription is next lost. */
    nextLoss: () => new Promise<void>((resolve) => (onUnsubscribed = resolve)),
    channel: (channelName: string) =>
      new RedisChannel(publisher, subscriber, channelName, {
        onMessage: (payload) => {
          heard.push(payload.toString());
          onHeard?.();
        },
        onSubscribed: () => {
          events.push('subscribed');
          onSubscribed?.();
        },
        onUnsubscribed: () => {
          events.push('unsubscribed');
          onUnsubscribed?.();
        },
      }),
    quit: () => Promise.allSettled([publisher.quit(), subscriber.quit()]),
  };
}

describe(RedisChannel.name, () => {
  const instances: Array<Awaited<ReturnType<typeof instance>>> = [];
  const spawn = async (name: string, options?: { lazy?: boolean }) => {
    const made = await instance(name, options);
    instances.push(made);
    return made;
  };
  after(() => Promise.all(instances.map((i) => i.quit())));

  it('carries a message to every instance listening, its publisher included, as bytes', async () => {
    const name = `test:channel:${randomUUID()}`;
    const [a, b] = await Promise.all([spawn('a'), spawn('b')]);
    const [onA, onB] = [a.channel(name), b.channel(name)];
    await Promise.all([onA.open(), onB.open()]);
    assert.deepEqual([onA.listening, onB.listening, a.events, b.events], [true, true, ['subscribed'], ['subscribed']]);
    const heard = Promise.all([a.nextMessage(), b.nextMessage()]);
    assert.equal(await onA.publish(Buffer.from('héllo')), true);
    await heard;
    assert.deepEqual([a.heard, b.heard], [['héllo'], ['héllo']]);
    // Another channel on the same connections is not heard here.
    const other = a.channel(`${name}:other`);
    await other.open();
    const next = b.nextMessage();
    await other.publish('elsewhere');
    await onA.publish('here');
    await next;
    assert.deepEqual(b.heard, ['héllo', 'here']);
    other.close();
    onA.close();
    onB.close();
  });

  it('says when it is not listening, and subscribes again (calling onSubscribed to catch up) when its connection is back', async () => {
    const name = `test:channel:${randomUUID()}`;
    const [a, b] = await Promise.all([spawn('a2'), spawn('b2')]);
    const [onA, onB] = [a.channel(name), b.channel(name)];
    await Promise.all([onA.open(), onB.open()]);
    const [lost, back] = [b.nextLoss(), b.nextSubscription()];
    b.subscriber.disconnect(true);
    await lost;
    assert.equal(onB.listening, false, 'not listening from the moment the connection closed');
    await back;
    assert.deepEqual([onB.listening, b.events], [true, ['subscribed', 'unsubscribed', 'subscribed']]);
    const heard = b.nextMessage();
    await onA.publish('after the outage');
    await heard;
    assert.deepEqual(b.heard, ['after the outage']);
    onA.close();
    onB.close();
  });

  it('opens without Redis (nothing thrown, not listening), subscribes once the connection comes up, and publishes false while Redis is away', async () => {
    const name = `test:channel:${randomUUID()}`;
    const late = await spawn('late', { lazy: true });
    const onLate = late.channel(name);
    await onLate.open();
    assert.deepEqual([onLate.listening, late.events], [false, []]);
    const subscribed = late.nextSubscription();
    await late.subscriber.connect();
    await subscribed;
    assert.equal(onLate.listening, true);

    const away = await spawn('away');
    await away.publisher.quit(); // a publisher whose connection is gone: every publish fails fast
    const onAway = away.channel(name);
    assert.deepEqual([await onAway.publish('lost'), await onAway.publish('lost too')], [false, false]);
    onLate.close();
  });
});
