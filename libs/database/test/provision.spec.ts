import 'reflect-metadata';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { dropDatabase, runServiceMigrations, serviceDataSourceOptions } from '../src';

const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function migrationFor(schema: string) {
  // A migration that fails if it ever runs twice (no IF NOT EXISTS), and is slow enough to overlap.
  return class CreateThing1700000000000 implements MigrationInterface {
    name = 'CreateThing1700000000000';
    async up(runner: QueryRunner): Promise<void> {
      await runner.query('SELECT pg_sleep(0.2)');
      await runner.query(`CREATE TABLE "${schema}"."thing" (id serial PRIMARY KEY, label text NOT NULL)`);
      await runner.query(`INSERT INTO "${schema}"."thing" (label) VALUES ('secret of ${schema}')`);
    }
    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP TABLE "${schema}"."thing"`);
    }
  };
}

describe('schema per service, role per service', () => {
  const database = `fleet_test_db_${randomBytes(4).toString('hex')}`;
  const urlFor = (role: string) => `postgres://${role}:${role}-pw@127.0.0.1:5432/${database}`;
  const options = (schema: string) =>
    serviceDataSourceOptions({ schema, url: urlFor(`svc_t_${schema}`), entities: [], migrations: [migrationFor(schema)] });
  const clients: Client[] = [];

  async function connectAs(schema: string): Promise<Client> {
    const client = new Client({ connectionString: urlFor(`svc_t_${schema}`) });
    await client.connect();
    clients.push(client);
    return client;
  }

  before(async () => {
    await runServiceMigrations({ service: 'beta', adminUrl: ADMIN_URL, options: options('beta') });
  });

  after(async () => {
    await Promise.all(clients.map((client) => client.end()));
    await dropDatabase(ADMIN_URL, database);
  });

  it('runs a migration once even when three replicas migrate at the same moment', async () => {
    const runs = await Promise.all([1, 2, 3].map(() => runServiceMigrations({ service: 'alpha', adminUrl: ADMIN_URL, options: options('alpha') })));
    assert.deepEqual(runs.map((applied) => applied.length).sort(), [0, 0, 1]);
    const alpha = await connectAs('alpha');
    const { rows } = await alpha.query('SELECT count(*)::int AS n FROM thing');
    assert.equal(rows[0].n, 1);
  });

  it("lets a service's role use its own schema, unqualified", async () => {
    const alpha = await connectAs('alpha');
    await alpha.query("INSERT INTO thing (label) VALUES ('mine')");
    const { rows } = await alpha.query('SELECT current_schema() AS schema');
    assert.equal(rows[0].schema, 'alpha');
  });

  it("refuses a service's role any access to another service's schema", async () => {
    const alpha = await connectAs('alpha');
    await assert.rejects(alpha.query('SELECT * FROM beta.thing'), /permission denied for schema beta/);
    await assert.rejects(alpha.query('CREATE TABLE beta.intruder (id int)'), /permission denied for schema beta/);
    const beta = await connectAs('beta');
    await assert.rejects(beta.query('SELECT * FROM alpha.thing'), /permission denied for schema alpha/);
  });

  it('refuses the public schema and new schemas to service roles', async () => {
    const alpha = await connectAs('alpha');
    await assert.rejects(alpha.query('CREATE TABLE public.leak (id int)'), /permission denied for schema public/);
    await assert.rejects(alpha.query('CREATE SCHEMA sneaky'), /permission denied for database/);
  });
});
