// One load process of bench/chat: holds its share of the WebSocket clients, sends its share of
// the messages, and records the delivery latency of every message to every client it holds
// (sender and receiver clocks are the same machine's: performance.timeOrigin + now()).
// Driven over IPC by run.mjs.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const WebSocket = require('ws');

const BUCKET_MS = 0.1;
const BUCKETS = 100_000; // 0..10 s
const histogram = new Uint32Array(BUCKETS + 1);
let deliveries = 0;
let recording = false;
const sockets = [];
const now = () => performance.timeOrigin + performance.now();

function record(content) {
  if (!recording || typeof content !== 'string' || !content.startsWith('t:')) return;
  const latency = now() - Number(content.slice(2));
  histogram[Math.min(BUCKETS, Math.max(0, Math.floor(latency / BUCKET_MS)))]++;
  deliveries++;
}

/** Opens one socket; resolves once it can chat: the lobby's `joined` (fleet) or the open (baseline, no handshake). */
function open(url, token) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    socket.on('message', (data) => {
      // No JSON.parse per delivery: at 200k deliveries/s the load generator must cost less than the servers.
      const text = data.toString();
      const at = text.indexOf('"content":"t:');
      if (at >= 0) record(text.slice(at + 11, text.indexOf('"', at + 13)));
      else if (text.includes('"joined"')) resolve(socket);
    });
    if (!token) socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    socket.once('close', (code) => reject(new Error(`closed with ${code} before joining`)));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

/** Connects in batches of 50, as a fleet of robots coming online would, not all in one instant. */
async function connect(url, tokens) {
  for (let i = 0; i < tokens.length; i += 50) sockets.push(...(await Promise.all(tokens.slice(i, i + 50).map((token) => open(url, token)))));
}

function send(senders, perSecond, durationMs) {
  return new Promise((resolve) => {
    const intervalMs = 1000 / perSecond;
    const started = now();
    let sent = 0;
    const tick = () => {
      const due = Math.floor((now() - started) / intervalMs);
      while (sent < due && now() - started < durationMs) {
        senders[sent % senders.length].send(JSON.stringify({ content: `t:${now()}` }));
        sent++;
      }
      if (now() - started >= durationMs) return resolve(sent);
      setTimeout(tick, 2);
    };
    tick();
  });
}

process.on('message', async (command) => {
  if (command.type === 'connect') {
    await connect(command.url, command.tokens);
    process.send({ type: 'connected', count: sockets.length });
  } else if (command.type === 'record') {
    // Each step of a ramp starts from an empty histogram.
    if (command.on) {
      histogram.fill(0);
      deliveries = 0;
    }
    recording = command.on;
    process.send({ type: 'recording' });
  } else if (command.type === 'send') {
    const sent = await send(sockets.slice(0, command.senders), command.perSecond, command.durationMs);
    process.send({ type: 'sent', sent });
  } else if (command.type === 'count') {
    process.send({ type: 'count', deliveries });
  } else if (command.type === 'report') {
    process.send({ type: 'report', deliveries, histogram: Array.from(histogram) });
  } else if (command.type === 'close') {
    for (const socket of sockets) socket.terminate();
    process.exit(0);
  }
});
process.send({ type: 'ready' });
// In its own session (run.mjs), so nothing else ends it if the bench dies.
process.on('disconnect', () => process.exit(0));
