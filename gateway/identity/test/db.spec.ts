import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '@fleet/testing';
import { identityDataSourceOptions } from '../src';
import { createIdentityPool } from '../src/db';

const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe('the provider’s database pool (real Postgres)', () => {
  let db: TestDatabase;
  let pool: Pool;

  before(async () => {
    db = await createTestDatabase('identity', 'svc_identity', identityDataSourceOptions);
    pool = createIdentityPool(db.url, 2);
  });
  after(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('survives Postgres closing its idle connections (a restart) and answers the next query on a new one', async () => {
    const first = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      // What a restart does to every connection: the server ends it under the idle client. The pool
      // reports that as an 'error' event (unheard, it would end the process) and drops the client.
      await admin.query('SELECT pg_terminate_backend($1)', [first.rows[0].pid]);
      while (pool.totalCount > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await admin.end();
    }
    const next = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    assert.notEqual(next.rows[0].pid, first.rows[0].pid, 'a new connection');
  });
});
