import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { collectJsonLogs, JsonLogLine, stopChild } from './child-logs';
import { TestRealm } from './test-tokens';

export interface ServiceProcess {
  url: string;
  instanceId: string;
  child: ChildProcess;
  /** Every JSON log line the instance printed so far. */
  logs: JsonLogLine[];
  stop(): Promise<void>;
}

export interface ServiceProcessOptions {
  /** Absolute path of the service's compiled entry (`dist/src/main.js`). */
  main: string;
  port: number;
  databaseUrl: string;
  realm: TestRealm;
  instanceId: string;
  env?: Record<string, string>;
  /** How long to wait for the first answer on `/health` (default 20 s). */
  startTimeoutMs?: number;
}

/** A TCP port that was free a moment ago (the OS picked it). */
export async function freeTcpPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitUntilListening(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the service exited early with code ${child.exitCode}`);
    try {
      await fetch(`${url}/health`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`The service did not listen on ${url} within ${timeoutMs} ms`);
}

/**
 * Starts a real service process (its compiled main.js, as production does) against a test
 * database and a throwaway realm key, and resolves once it answers `/health`.
 */
export async function spawnServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [options.main], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(options.port),
      INSTANCE_ID: options.instanceId,
      DATABASE_URL: options.databaseUrl,
      KEYCLOAK_URL: options.realm.keycloakUrl,
      KEYCLOAK_REALM: options.realm.realm,
      KEYCLOAK_REALM_PUBLIC_KEY: options.realm.publicKeyBase64,
      LOG_LEVEL: 'debug',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs = collectJsonLogs(child);
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await waitUntilListening(url, child, options.startTimeoutMs ?? 20_000);
  } catch (error) {
    await stopChild(child);
    // What the process said is usually the answer (a bad variable, a refused connection).
    const tail = logs.slice(-10).map((line) => JSON.stringify(line)).join('\n  ');
    throw new Error(`${(error as Error).message}; its last log lines:\n  ${tail}`);
  }
  return { url, instanceId: options.instanceId, child, logs, stop: () => stopChild(child) };
}
