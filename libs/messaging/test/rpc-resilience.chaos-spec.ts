import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RpcErrorCode } from '@fleet/contracts';
import { deadLetterQueueFor, queueForService, RpcClient } from '../src';
import { testContracts } from './fixtures/test-contracts';
import { eventually, rejection } from './support/assertions';
import { deleteServiceQueues, rabbitmqctl, REDIS_URL, RMQ_URL, uniqueService, withChannel } from './support/broker';
import { spawnWorker, WorkerProcess } from './support/worker-process';

const service = uniqueService('mtresil');
const contracts = testContracts(service);
const MAX_DELIVERIES = 3;

function metricValue(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((entry) => entry.startsWith(`${name}{`) && entry.includes(labels));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('delivery guarantees against a real broker', () => {
  let workers: WorkerProcess[] = [];
  let client: RpcClient;
  let redis: Redis;

  const allLogs = () => workers.flatMap((worker) => worker.logs);
  const alive = () => workers.filter((worker) => worker.child.exitCode === null && worker.child.signalCode === null);

  before(async () => {
    const env = { RMQ_MAX_DELIVERIES: String(MAX_DELIVERIES), RMQ_PREFETCH: '4' };
    workers = await Promise.all([spawnWorker(service, 'resil-a', env), spawnWorker(service, 'resil-b', env)]);
    client = new RpcClient({ url: RMQ_URL, defaultDeadlineMs: 5000, name: 'rpc-resilience-spec' });
    await client.connect();
    redis = new Redis(REDIS_URL);
  });

  after(async () => {
    await client?.close();
    await Promise.all(workers.map((worker) => worker.stop()));
    await deleteServiceQueues(service);
    const keys = await redis.keys(`${service}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis?.disconnect();
  });

  it(`dead-letters a message that fails ${MAX_DELIVERIES} times, logs and counts it, and answers the caller`, async () => {
    const messageId = randomUUID();
    const error = await rejection(client.call(contracts.poison, { text: 'p' }, { messageId }));
    assert.equal(error.code, RpcErrorCode.InternalError);
    assert.equal(error.message, `${contracts.poison.name} failed on all ${MAX_DELIVERIES} attempts (message ${messageId})`);

    // The reply can overtake the worker's stdout, so the log lines are awaited.
    const deadLetteredLine = `Dead-lettered ${contracts.poison.name} (message ${messageId}) to ${deadLetterQueueFor(queueForService(service))} after ${MAX_DELIVERIES} attempt(s)`;
    const logged = await eventually(() => allLogs().find((line) => (line.msg ?? '').startsWith(deadLetteredLine)), 3000, 'the dead-letter log line');
    assert.equal(logged.level, 'error');
    const attempts = allLogs().filter((line) => (line.msg ?? '').endsWith(` of ${messageId}`)).map((line) => line.msg);
    assert.deepEqual(attempts.sort(), [1, 2, 3].map((n) => `poison attempt ${n} of ${messageId}`));

    const dlq = deadLetterQueueFor(queueForService(service));
    const dead = await eventually(() => withChannel(async (channel) => (await channel.get(dlq, { noAck: true })) || undefined), 3000, 'the DLQ');
    assert.equal(dead.properties.messageId, messageId);
    assert.equal(dead.properties.headers?.['x-first-death-reason'], 'rejected');

    const metrics = await Promise.all(workers.map((worker) => worker.get('/metrics')));
    const labels = `queue="${queueForService(service)}",method="${contracts.poison.name}"`;
    const counted = metrics.reduce((sum, text) => sum + metricValue(text, 'fleet_rpc_dead_lettered_total', labels), 0);
    assert.equal(counted, 1);
  });

  it('finishes a call whose worker is SIGKILLed mid-handler on the other instance, once', async () => {
    const messageId = randomUUID();
    const call = client.call(contracts.work, { delayMs: 1500 }, { messageId, deadlineMs: 15_000 });
    const victim = await Promise.any(workers.map((worker) => worker.waitForLog((line) => line.msg === `work started ${messageId}`).then(() => worker)));
    await victim.kill();
    const survivor = workers.find((worker) => worker !== victim)!;

    const result = await call;
    assert.equal(result.instance, survivor.instanceId);
    assert.equal(result.redelivered, true);
    assert.equal(result.attempt, 2);
    const counter = (what: string) => redis.get(`${service}:work:${messageId}:${what}`);
    assert.equal(await counter('started'), '2', 'started on both instances');
    assert.equal(await counter('finished'), '1', 'finished once');

    // A duplicate of the same message gets the remembered result without running the work again.
    const again = await client.call(contracts.work, { delayMs: 1500 }, { messageId });
    assert.deepEqual(again, result);
    assert.equal(await counter('finished'), '1');
    assert.equal(survivor.logs.filter((line) => line.msg === `work started ${messageId}`).length, 1);
  });

  it('fails fast while the broker is down and works again once it is back', async () => {
    const [worker] = alive();
    assert.ok(worker, 'a worker is still running');
    assert.equal((await client.call(contracts.echo, { text: 'before' })).text, 'before');
    const inFlight = client.call(contracts.slow, { text: 'cut', delayMs: 3000 }, { deadlineMs: 20_000 });
    const outcomeOfInFlight = inFlight.then(() => undefined, (error: unknown) => error);
    try {
      rabbitmqctl('stop_app');
      await eventually(() => (client.isConnected() ? undefined : true), 5000, 'the client to notice');
      const started = Date.now();
      const error = await rejection(client.call(contracts.echo, { text: 'during' }, { deadlineMs: 2000 }));
      assert.equal(error.code, RpcErrorCode.Unavailable);
      assert.ok(Date.now() - started < 100, 'no waiting while the broker is down');
      const cut = await outcomeOfInFlight;
      assert.equal((cut as { code?: number }).code, RpcErrorCode.Unavailable, 'an in-flight call ends at once, not at its deadline');
      assert.deepEqual(JSON.parse(await worker.get('/health')), { rmq: false });
    } finally {
      rabbitmqctl('start_app');
    }
    await eventually(async () => (client.isConnected() && JSON.parse(await worker.get('/health')).rmq ? true : undefined), 30_000, 'both sides to reconnect');
    assert.equal((await client.call(contracts.echo, { text: 'after' })).text, 'after');
  });
});
