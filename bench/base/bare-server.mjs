// The ticket check's baselines: the same durable work as base's fast path with nothing around it.
// One HTTP server, a pg pool as large as base's two instances together, into copies of base's own
// tables (same columns and indexes, see tickets.mjs), one copy per baseline. No auth, no rate
// limit, no cache. Per request, on one connection, one commit:
// - POST /check: ONE statement, a conditional UPDATE that consumes the ticket and an
//   INSERT … ON CONFLICT (robot, nonce) that records the check (what base's fast path sends);
// - POST /check-in-transaction: the baseline as issue 17 words it, "one connection's INSERT … ON
//   CONFLICT plus UPDATE in one transaction": BEGIN, the UPDATE, the INSERT, COMMIT (ROLLBACK when
//   the nonce was seen, so a replay consumes nothing): four round trips.
// Usage: node bare-server.mjs <database url> <schema for /check> <schema for /check-in-transaction> <port> <pool size>
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Pool } = require('pg');

const [databaseUrl, schema, transactionSchema, port, poolSize] = process.argv.slice(2);
const pool = new Pool({ connectionString: databaseUrl, max: Number(poolSize) });
const CONSUME = `
  UPDATE "${transactionSchema}".ticket SET status = 'used', used_at = now(), used_by_robot = $1
  WHERE code = $2 AND status = 'active' AND valid_from <= now() AND valid_until > now() RETURNING id`;
const RECORD = `
  INSERT INTO "${transactionSchema}".ticket_check (robot_id, nonce, ticket_code, ticket_id, direction, decision, reason)
  VALUES ($1, $3, $2, $4, $5, $6, '')
  ON CONFLICT (robot_id, nonce) DO NOTHING
  RETURNING id, decision, checked_at`;
const CHECK = `
  WITH consumed AS (
    UPDATE "${schema}".ticket SET status = 'used', used_at = now(), used_by_robot = $1
    WHERE code = $2 AND status = 'active' AND valid_from <= now() AND valid_until > now() RETURNING id
  )
  INSERT INTO "${schema}".ticket_check (robot_id, nonce, ticket_code, ticket_id, direction, decision, reason)
  SELECT $1, $3, $2, (SELECT id FROM consumed), $4,
         CASE WHEN EXISTS (SELECT 1 FROM consumed) THEN 'valid' ELSE 'already_used' END, ''
  ON CONFLICT (robot_id, nonce) DO NOTHING
  RETURNING id, decision, checked_at`;

function reply(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function checkInOneStatement({ code, nonce, direction, robot }) {
  const { rows } = await pool.query(CHECK, [robot, code, nonce, direction]);
  return rows[0];
}

async function checkInTransaction({ code, nonce, direction, robot }) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const consumed = await client.query(CONSUME, [robot, code]);
    const ticketId = consumed.rows[0]?.id ?? null;
    const recorded = await client.query(RECORD, [robot, code, nonce, ticketId, direction, ticketId ? 'valid' : 'already_used']);
    await client.query(recorded.rows[0] ? 'COMMIT' : 'ROLLBACK');
    return recorded.rows[0];
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const routes = { '/check': checkInOneStatement, '/check-in-transaction': checkInTransaction };

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    const check = routes[req.url];
    if (!check) return reply(res, 404, { message: 'not found' });
    try {
      const row = await check(JSON.parse(Buffer.concat(chunks).toString()));
      reply(res, 200, row ? { check_id: row.id, decision: row.decision, checked_at: row.checked_at } : { replayed: true });
    } catch (error) {
      reply(res, 500, { message: error.message });
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
