import 'reflect-metadata';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { affectedCount, DatabaseConflict, DatabaseConflictCode, isConflict, returnedRows, writeOrConflict } from '../src';

const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Against real Postgres through TypeORM's driver, whose answer shapes these helpers hide. */
describe('query results and key conflicts', () => {
  const schema = `qr_${randomBytes(4).toString('hex')}`;
  let db: DataSource;

  before(async () => {
    db = new DataSource({ type: 'postgres', url: ADMIN_URL, poolSize: 2 });
    await db.initialize();
    await db.query(`CREATE SCHEMA ${schema}`);
    await db.query(`CREATE TABLE ${schema}.kit (id int PRIMARY KEY, name text NOT NULL CONSTRAINT kit_name_unique UNIQUE)`);
    await db.query(`CREATE TABLE ${schema}.item (id int PRIMARY KEY, kit_id int NOT NULL REFERENCES ${schema}.kit (id))`);
    await db.query(`INSERT INTO ${schema}.kit VALUES (1, 'standard'), (2, 'electrical')`);
  });

  after(async () => {
    await db?.query(`DROP SCHEMA ${schema} CASCADE`);
    await db?.destroy();
  });

  it('gives the rows of INSERT, UPDATE and DELETE … RETURNING alike, and the affected count', async () => {
    const inserted = returnedRows<{ id: number }>(await db.query(`INSERT INTO ${schema}.kit VALUES (3, 'spare') RETURNING id`));
    assert.deepEqual(inserted, [{ id: 3 }]);
    const updateResult: unknown = await db.query(`UPDATE ${schema}.kit SET name = name || '!' WHERE id IN (1, 2) RETURNING id`);
    assert.deepEqual(returnedRows<{ id: number }>(updateResult).map((row) => row.id).sort(), [1, 2]);
    assert.equal(affectedCount(updateResult), 2);
    const none: unknown = await db.query(`DELETE FROM ${schema}.kit WHERE id = 99 RETURNING id`);
    assert.deepEqual(returnedRows(none), []);
    assert.equal(affectedCount(none), 0);
  });

  it('turns a unique violation into a duplicate conflict naming its constraint', async () => {
    const error = await writeOrConflict(() => db.query(`INSERT INTO ${schema}.kit VALUES (10, 'spare')`)).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof DatabaseConflict, String(error));
    assert.equal(error.code, DatabaseConflictCode.Duplicate);
    assert.equal(error.constraint, 'kit_name_unique');
    assert.ok(isConflict(error, DatabaseConflictCode.Duplicate));
    assert.equal(isConflict(error, DatabaseConflictCode.Reference), false);
  });

  it('turns a foreign key violation into a reference conflict, and lets other errors through', async () => {
    const missing = await writeOrConflict(() => db.query(`INSERT INTO ${schema}.item VALUES (1, 42)`)).then(() => undefined, (e: unknown) => e);
    assert.ok(isConflict(missing, DatabaseConflictCode.Reference), String(missing));
    await db.query(`INSERT INTO ${schema}.item VALUES (2, 1)`);
    const referenced = await writeOrConflict(() => db.query(`DELETE FROM ${schema}.kit WHERE id = 1`)).then(() => undefined, (e: unknown) => e);
    assert.ok(isConflict(referenced, DatabaseConflictCode.Reference), String(referenced));
    const syntax = await writeOrConflict(() => db.query('SELEC 1')).then(() => undefined, (e: unknown) => e);
    assert.ok(syntax instanceof Error && !(syntax instanceof DatabaseConflict), 'a syntax error stays what it is');
  });
});
