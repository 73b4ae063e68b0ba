/**
 * A test fleet's own Redis and RabbitMQ vhost. Keys (`video:streams`, the ticket cache, robot
 * presence) and pub/sub channels (`base:chat:v1`, `video:feed`) are fixed names, and so are the
 * service queues (`fleet.base`, ...): fleets of test files running at the same time would read each
 * other's keys, hear each other's broadcasts and consume each other's messages on the machine's
 * shared servers.
 */
import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { createTestVhost, TestVhost } from '@fleet/testing';
import { freePort } from '@fleet/local-fleet';

export interface PrivateRedis {
  url: string;
  /** Stops it and starts a new one on the same port (an empty one: it keeps nothing on disk), as a crash and restart would. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHook = false;

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** One redis-server process on `port`, once it answers PING. */
async function spawnRedis(port: number): Promise<{ stop(): Promise<void> } | undefined> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const spawned = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', () => resolve(false));
  });
  if (!spawned) return undefined;
  running.add(child);
  if (!exitHook) {
    exitHook = true;
    // A test process that ends without stop() (a failed before hook, --test-force-exit) leaves no redis behind.
    process.on('exit', () => running.forEach((c) => c.kill('SIGKILL')));
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    running.delete(child);
  };
  const deadline = Date.now() + 10_000;
  while (!(await ping(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`private redis-server on port ${port} did not start: ${stderr.trim() || 'no answer to PING'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { stop };
}

/**
 * A throwaway redis-server (no persistence) on a claimed free port, or undefined when the
 * redis-server binary is not installed (the fleet then uses the shared Redis).
 */
export async function startPrivateRedis(): Promise<PrivateRedis | undefined> {
  const port = await freePort();
  let server = await spawnRedis(port);
  if (!server) return undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    restart: async () => {
      await server?.stop();
      server = await spawnRedis(port);
    },
    stop: async () => {
      await server?.stop();
    },
  };
}

/** A private vhost on the machine's broker (see @fleet/testing createTestVhost). */
export function createFleetVhost(): Promise<TestVhost> {
  return createTestVhost('fleet_e2e');
}
