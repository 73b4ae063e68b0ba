// The baseline of bench/chat: the least a multi-instance chat can be. A bare `ws` server whose
// every message is published on Redis and every Redis message broadcast to its local sockets:
// no auth, no storage, no sequence numbers. Started twice, behind the same kind of nginx.
// Usage (forked by run.mjs): node baseline-server.mjs <port>
import { createRequire } from 'node:module';
import http from 'node:http';

const require = createRequire(import.meta.url);
const { WebSocketServer } = require('ws');
const Redis = require('ioredis');

const port = Number(process.argv[2]);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const channel = `bench:chat:baseline:${process.env.BENCH_RUN}`;
const publisher = new Redis(redisUrl);
const subscriber = new Redis(redisUrl);
const server = http.createServer((_req, res) => res.end('ok'));
const wss = new WebSocketServer({ server, path: '/ws' });

wss.on('connection', (socket) => {
  socket.on('message', (data) => {
    const { content } = JSON.parse(data.toString());
    void publisher.publish(channel, JSON.stringify({ room: 'lobby', content }));
  });
});
await subscriber.subscribe(channel);
subscriber.on('message', (_channel, message) => {
  for (const socket of wss.clients) socket.send(message);
});
server.listen(port, '127.0.0.1', () => process.send?.('ready'));
// In its own session (run.mjs), so nothing else ends it if the bench dies.
process.on('disconnect', () => process.exit(0));
