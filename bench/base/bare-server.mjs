// The ticket check's baseline: the same durable work as base's fast path with nothing around it.
// One HTTP server, a pg pool as large as base's two instances together, and per request ONE
// statement (one transaction, one commit) on one connection: a conditional UPDATE that consumes
// the ticket and an INSERT … ON CONFLICT (robot, nonce) that records the check, into copies of
// base's own tables (same columns and indexes, see tickets.mjs). No auth, no rate limit, no cache.
// Usage: node bare-server.mjs <database url> <schema> <port> <pool size>
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Pool } = require('pg');

const [databaseUrl, schema, port, poolSize] = process.argv.slice(2);
const pool = new Pool({ connectionString: databaseUrl, max: Number(poolSize) });
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

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const { code, nonce, direction, robot } = JSON.parse(Buffer.concat(chunks).toString());
      const { rows } = await pool.query(CHECK, [robot, code, nonce, direction]);
      reply(res, 200, rows[0] ? { check_id: rows[0].id, decision: rows[0].decision, checked_at: rows[0].checked_at } : { replayed: true });
    } catch (error) {
      reply(res, 500, { message: error.message });
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
