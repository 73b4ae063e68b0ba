// The baselines of bench/chat: the least a multi-instance chat can be. A bare `ws` server whose
// every message is published on Redis and every Redis message broadcast to its local sockets:
// no auth, no storage, no sequence numbers. Started twice, behind the same kind of nginx.
// With a database, the durable variant: each message is first committed under its room's next
// seq, the statement base's ChatRepository sends (one message per commit, no group commit), then
// published. It shows what storing before delivering costs on this machine, apart from the rest.
// Usage (forked by run.mjs): node baseline-server.mjs <port> [<database url> <schema>]
import { createRequire } from 'node:module';
import http from 'node:http';

const require = createRequire(import.meta.url);
const { WebSocketServer } = require('ws');
const Redis = require('ioredis');
const { Pool } = require('pg');

const [port, databaseUrl, schema] = process.argv.slice(2);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const channel = `bench:chat:baseline:${process.env.BENCH_RUN}:${schema ?? 'bare'}`;
const publisher = new Redis(redisUrl);
const subscriber = new Redis(redisUrl);
const server = http.createServer((_req, res) => res.end('ok'));
const wss = new WebSocketServer({ server, path: '/ws' });

const pool = databaseUrl ? new Pool({ connectionString: databaseUrl, max: 10 }) : undefined;
const APPEND = `
  WITH next AS (UPDATE "${schema}".room SET last_seq = last_seq + 1 WHERE name = 'lobby' RETURNING last_seq)
  INSERT INTO "${schema}".message (room, seq, content, user_id, created_at)
  SELECT 'lobby', next.last_seq, $1, 'bench', clock_timestamp() FROM next
  RETURNING seq`;

/** The frame every socket gets: with its seq once stored, when this baseline stores. */
async function frameOf(content) {
  if (!pool) return JSON.stringify({ room: 'lobby', content });
  const { rows } = await pool.query(APPEND, [content]);
  return JSON.stringify({ room: 'lobby', seq: Number(rows[0].seq), content });
}

wss.on('connection', (socket) => {
  socket.on('message', (data) => {
    const { content } = JSON.parse(data.toString());
    frameOf(content).then(
      (frame) => publisher.publish(channel, frame),
      (error) => console.error(`baseline: not stored: ${error.message}`),
    );
  });
});
await subscriber.subscribe(channel);
subscriber.on('message', (_channel, message) => {
  for (const socket of wss.clients) socket.send(message);
});
server.listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
// In its own session (run.mjs), so nothing else ends it if the bench dies.
process.on('disconnect', () => process.exit(0));
