import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { AuthUser } from '@fleet/auth';
import { readyRedisClient } from '@fleet/redis';
import { RobotDirectory } from './robot-directory';
import { RobotEditBroadcast } from './robot-edit-broadcast';
import { RobotRow, RobotsRepository } from './robots.repository';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function robotRow(clientId: string, overrides: Partial<RobotRow> = {}): RobotRow {
  return { id: `id-${clientId}`, name: clientId, station: 'Central', assigned_train: null, keycloak_client_id: clientId, active: true, last_status: null, created_at: new Date(0), ...overrides } as RobotRow;
}

const user = (clientId: string) => ({ sub: `sa-${clientId}`, clientId, roles: ['robot'] }) as unknown as AuthUser;

/** One base instance as far as robots go: its directory over the shared rows, its own Redis connections. */
interface Instance {
  directory: RobotDirectory;
  broadcast: RobotEditBroadcast;
  subscriber: Redis;
  queries: () => number;
  close: () => Promise<void>;
}

async function instance(rows: Map<string, RobotRow>, subscribe = true): Promise<Instance> {
  let queries = 0;
  const repository = {
    getByClientId: async (clientId: string) => (queries++, rows.get(clientId) ?? null),
    getByClientIds: async (clientIds: string[]) => (queries++, new Map(clientIds.filter((id) => rows.has(id)).map((id) => [id, rows.get(id)!]))),
  } as unknown as RobotsRepository;
  const directory = new RobotDirectory(repository);
  const redis = await readyRedisClient(REDIS_URL, 'robot-edit-test');
  const subscriber = await readyRedisClient(REDIS_URL, 'robot-edit-test:sub', { subscriber: true });
  const broadcast = new RobotEditBroadcast(redis, subscriber, directory);
  if (subscribe) await broadcast.onApplicationBootstrap();
  return {
    directory,
    broadcast,
    subscriber,
    queries: () => queries,
    close: async () => {
      broadcast.onModuleDestroy();
      directory.onModuleDestroy();
      redis.disconnect();
      subscriber.disconnect();
    },
  };
}

describe(RobotEditBroadcast.name, () => {
  let rows: Map<string, RobotRow>;
  let clientId: string;
  let a: Instance;
  let b: Instance;

  before(async () => {
    rows = new Map();
    [a, b] = await Promise.all([instance(rows), instance(rows)]);
  });

  after(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  beforeEach(() => {
    clientId = `robot-${randomUUID()}`;
    rows.set(clientId, robotRow(clientId));
  });

  it('a deactivation announced by one instance is refused by the other, whose cache held the robot as active', async () => {
    await a.directory.resolve(user(clientId));
    await b.directory.resolve(user(clientId));
    const queries = b.queries();
    await b.directory.resolve(user(clientId));
    assert.equal(b.queries(), queries, 'the other instance answers from its cache');

    rows.set(clientId, robotRow(clientId, { active: false }));
    await a.broadcast.announce(clientId);
    // Redis queued the message on b's subscription before it answered a's publish; a PING on that
    // connection answers after it, so b has handled everything published before the announcement returned.
    await b.subscriber.ping();
    await assert.rejects(b.directory.resolve(user(clientId)), /deactivated/);
    await assert.rejects(a.directory.resolve(user(clientId)), /deactivated/);
  });

  it('a robot registered after an instance cached "no such robot" is resolved there once announced', async () => {
    const unknown = `robot-${randomUUID()}`;
    await assert.rejects(b.directory.resolve(user(unknown)), /No robot is registered/);
    rows.set(unknown, robotRow(unknown));
    await a.broadcast.announce(unknown);
    await b.subscriber.ping();
    assert.equal((await b.directory.resolve(user(unknown))).keycloak_client_id, unknown);
  });

  it('without a subscription (at boot, Redis away) every lookup reads Postgres: no edit can be missed', async () => {
    const deaf = await instance(rows, false);
    try {
      assert.equal(deaf.broadcast.listening, false);
      await deaf.directory.resolve(user(clientId));
      await deaf.directory.resolve(user(clientId));
      assert.equal(deaf.queries(), 2, 'no answer from the cache');
      rows.set(clientId, robotRow(clientId, { active: false }));
      await assert.rejects(deaf.directory.resolve(user(clientId)), /deactivated/);

      // Subscribed: the cache serves again, from a fresh read.
      await deaf.broadcast.onApplicationBootstrap();
      assert.equal(deaf.broadcast.listening, true);
      rows.set(clientId, robotRow(clientId));
      await deaf.directory.resolve(user(clientId));
      const queries = deaf.queries();
      await deaf.directory.resolve(user(clientId));
      assert.equal(deaf.queries(), queries);
    } finally {
      await deaf.close();
    }
  });
});
