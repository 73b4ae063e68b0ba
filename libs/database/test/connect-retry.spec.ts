import 'reflect-metadata';
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Client } from 'pg';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { connectWithRetry, dropDatabase, runServiceMigrations, serviceDataSourceOptions } from '../src';

const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const POSTGRES = new URL(ADMIN_URL);

/** A port nobody listens on (yet): taken from the kernel, then released. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Postgres "coming up" on `port`: a TCP relay to the machine's real server, started on demand. */
function lateStartingPostgres(port: number) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const upstream = net.connect(Number(POSTGRES.port || 5432), POSTGRES.hostname);
    for (const s of [socket, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    socket.pipe(upstream).pipe(socket);
  });
  return {
    url: (path: string) => `${POSTGRES.protocol}//${POSTGRES.username}${POSTGRES.password ? `:${POSTGRES.password}` : ''}@127.0.0.1:${port}/${path}`,
    start: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    stop: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

class CreateReady1700000000001 implements MigrationInterface {
  name = 'CreateReady1700000000001';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE TABLE "retry"."ready" (id int PRIMARY KEY)');
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE "retry"."ready"');
  }
}

describe('migrations wait for a Postgres that is still starting', () => {
  const database = `fleet_test_retry_${randomBytes(4).toString('hex')}`;
  after(() => dropDatabase(ADMIN_URL, database));

  it('retries the first connection until the server listens, then migrates', async (t) => {
    const postgres = lateStartingPostgres(await freePort());
    t.after(() => postgres.stop());
    const failures: string[] = [];
    const options = serviceDataSourceOptions({
      schema: 'retry',
      url: `postgres://svc_t_retry:svc_t_retry-pw@${POSTGRES.hostname}:${POSTGRES.port || 5432}/${database}`,
      entities: [],
      migrations: [CreateReady1700000000001],
    });

    const applied = await runServiceMigrations({
      service: 'retry',
      adminUrl: postgres.url('postgres'),
      options,
      // The server comes up only once the command has been refused: the order of events, not
      // timing, decides that the first attempt fails and a later one succeeds.
      connectRetry: {
        timeoutMs: 60_000,
        delayMs: 20,
        onRetry: async (_attempt, error) => {
          failures.push((error as { code?: string }).code ?? error.message);
          if (failures.length === 1) await postgres.start();
        },
      },
    });

    assert.deepEqual(failures, ['ECONNREFUSED']);
    assert.deepEqual(applied, ['CreateReady1700000000001']);
  });

  it('gives up with the cause once its time is spent, without waiting for nothing', async () => {
    const port = await freePort();
    const retries: number[] = [];
    await assert.rejects(
      connectWithRetry(`postgres://postgres@127.0.0.1:${port}/postgres`, { timeoutMs: 0, onRetry: (attempt) => void retries.push(attempt) }),
      /Cannot connect to Postgres after 1 attempt\(s\).*ECONNREFUSED/,
    );
    assert.deepEqual(retries, []);
  });

  it('does not retry what retrying cannot fix (a database that does not exist)', async () => {
    const missing = new URL(ADMIN_URL);
    missing.pathname = `/no_such_database_${randomBytes(4).toString('hex')}`;
    const retries: number[] = [];
    await assert.rejects(
      connectWithRetry(missing.toString(), { timeoutMs: 60_000, onRetry: (attempt) => void retries.push(attempt) }),
      /after 1 attempt\(s\).*does not exist/,
    );
    assert.deepEqual(retries, []);
  });

  it('hands back an open connection', async () => {
    const client: Client = await connectWithRetry(ADMIN_URL, { timeoutMs: 0 });
    try {
      const { rows } = await client.query('SELECT 1 AS one');
      assert.equal(rows[0].one, 1);
    } finally {
      await client.end();
    }
  });
});
