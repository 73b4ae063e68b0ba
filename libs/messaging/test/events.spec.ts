import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { defineEvent } from '@fleet/contracts';
import { RpcClient, UNROUTED_EVENTS_QUEUE } from '../src';
import { NoteParams, testEvents } from './fixtures/test-contracts';
import { deleteServiceQueues, REDIS_URL, RMQ_URL, uniqueService, withChannel } from './support/broker';
import { spawnWorker, WorkerProcess } from './support/worker-process';
import { eventually } from './support/assertions';

interface Note {
  text: string;
  instance: string;
}

/**
 * Domain events on the fleet's topic exchange, with real worker processes: a producer names its
 * events and never its consumers; each consuming service gets every event once (its instances
 * compete on one durable queue), per-instance events reach every instance, and nothing that
 * was published is lost because nobody listened.
 */
describe('domain events', () => {
  const producer = uniqueService('evprod');
  const alpha = uniqueService('evalpha');
  const beta = uniqueService('evbeta');
  const events = testEvents(producer);
  const workers: WorkerProcess[] = [];
  let client: RpcClient;
  let redis: Redis;

  const start = async (service: string, instanceId: string) => {
    const worker = await spawnWorker(service, instanceId, { TEST_EVENT_PRODUCER: producer });
    workers.push(worker);
    return worker;
  };
  const notesOf = async (service: string, list = 'notes'): Promise<Note[]> =>
    (await redis.lrange(`${service}:${list}`, 0, -1)).map((raw) => JSON.parse(raw) as Note);
  const emitAll = async (texts: string[]) => {
    for (const text of texts) await client.emit(events.noted, { text });
  };
  const texts = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

  before(async () => {
    client = new RpcClient({ url: RMQ_URL, defaultDeadlineMs: 3000, name: 'events-spec' });
    await client.connect();
    redis = new Redis(REDIS_URL);
  });

  after(async () => {
    await Promise.allSettled(workers.map((worker) => worker.stop()));
    await client?.close();
    for (const service of [alpha, beta]) {
      await deleteServiceQueues(service);
      const keys = await redis.keys(`${service}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    redis?.disconnect();
  });

  it('two consuming services each receive every event once, while two instances of one service split them', async () => {
    await Promise.all([start(alpha, 'alpha-1'), start(alpha, 'alpha-2'), start(beta, 'beta-1')]);
    const sent = texts('split', 40);
    await emitAll(sent);
    for (const service of [alpha, beta]) {
      const notes = await eventually(async () => {
        const all = await notesOf(service);
        return all.length >= sent.length ? all : undefined;
      }, 10_000, `${service} to handle ${sent.length} events`);
      assert.deepEqual(notes.map((note) => note.text).sort(), [...sent].sort(), `${service} got each event exactly once`);
    }
    const byInstance = new Map<string, number>();
    for (const note of await notesOf(alpha)) byInstance.set(note.instance, (byInstance.get(note.instance) ?? 0) + 1);
    assert.deepEqual([...byInstance.keys()].sort(), ['alpha-1', 'alpha-2'], `both alpha instances took a share: ${JSON.stringify([...byInstance])}`);
  });

  it('an event for every instance reaches each instance of each consuming service', async () => {
    const text = `hello-${randomUUID()}`;
    await client.emit(events.announced, { text });
    for (const [service, instances] of [[alpha, ['alpha-1', 'alpha-2']], [beta, ['beta-1']]] as const) {
      const seen = await eventually(async () => {
        const got = (await notesOf(service, 'announced')).filter((note) => note.text === text);
        return got.length >= instances.length ? got : undefined;
      }, 10_000, `every ${service} instance`);
      assert.deepEqual(seen.map((note) => note.instance).sort(), [...instances]);
    }
  });

  it('a consumer that starts late still gets what was published while it was down', async () => {
    const running = workers.find((worker) => worker.instanceId === 'beta-1')!;
    await running.stop();
    const sent = texts('late', 5);
    await emitAll(sent);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal((await notesOf(beta)).filter((note) => note.text.startsWith('late-')).length, 0, 'nobody of beta ran meanwhile');
    await start(beta, 'beta-2');
    const late = await eventually(async () => {
      const got = (await notesOf(beta)).filter((note) => note.text.startsWith('late-'));
      return got.length >= sent.length ? got : undefined;
    }, 10_000, 'the late beta');
    assert.deepEqual(late.map((note) => note.text).sort(), [...sent].sort());
    assert.ok(late.every((note) => note.instance === 'beta-2'));
  });

  it('an event no service binds to lands in the unrouted queue and is counted in /metrics', async () => {
    const nobody = defineEvent(`${uniqueService('evnobody')}.thing.happened.v1`, NoteParams);
    const before = (await client.unroutedEvents()) ?? 0;
    const marker = randomUUID();
    await client.emit(nobody, { text: marker });
    const after = await eventually(async () => {
      const count = (await client.unroutedEvents()) ?? 0;
      return count > before ? count : undefined;
    }, 5000, 'the unrouted count to grow');
    assert.ok(after >= before + 1);
    const metrics = await workers.find((worker) => worker.instanceId === 'alpha-1')!.get('/metrics');
    const gauge = /^fleet_events_unrouted (\d+)/m.exec(metrics);
    assert.ok(gauge && Number(gauge[1]) >= 1, `fleet_events_unrouted on /metrics: ${gauge?.[0]}`);
    // The message itself is there, with its name as routing key. Others' unrouted events are held
    // unacked while searching and go back to the queue when the channel closes.
    const found = await withChannel(async (channel) => {
      for (let i = 0; i < 10_000; i += 1) {
        const message = await channel.get(UNROUTED_EVENTS_QUEUE, { noAck: false });
        if (!message) return undefined;
        if (message.content.toString().includes(marker)) {
          channel.ack(message);
          return message.fields.routingKey;
        }
      }
      return undefined;
    });
    assert.equal(found, nobody.name);
  });
});
