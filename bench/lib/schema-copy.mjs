// Copies of the fleet's own tables for a benchmark's bare baseline: same columns, indexes and
// defaults (LIKE … INCLUDING ALL), in a schema of the baseline's own, with the rows it needs.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Client } = require('pg');

/**
 * Creates `schema` and in it a copy of each table: `{ from: 'base.ticket', name: 'ticket',
 * where?: 'code LIKE $1', params?: [...] }`; rows matching `where` are copied (none without it).
 */
export async function copyTablesIntoSchema(databaseUrl, schema, tables) {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(`CREATE SCHEMA "${schema}"`);
    for (const { from, name, where, params = [] } of tables) {
      await db.query(`CREATE TABLE "${schema}"."${name}" (LIKE ${from} INCLUDING ALL)`);
      if (!where) continue;
      await db.query(`INSERT INTO "${schema}"."${name}" SELECT * FROM ${from} WHERE ${where}`, params);
      await db.query(`ANALYZE "${schema}"."${name}"`);
    }
  } finally {
    await db.end();
  }
}
