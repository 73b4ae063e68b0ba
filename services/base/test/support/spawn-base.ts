import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { collectJsonLogs, JsonLogLine, stopChild, TestRealm } from '@fleet/testing';

export interface BaseProcess {
  url: string;
  instanceId: string;
  child: ChildProcess;
  /** Every JSON log line the instance printed so far. */
  logs: JsonLogLine[];
  stop(): Promise<void>;
}

const MAIN = path.resolve(__dirname, '../../src/main.js');

async function waitUntilListening(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`base exited early with code ${child.exitCode}`);
    try {
      await fetch(`${url}/health`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`base did not listen on ${url} within ${timeoutMs} ms`);
}

/** Starts a real base process (the compiled main.js, as production does) against a test database. */
export async function spawnBase(options: { port: number; databaseUrl: string; realm: TestRealm; instanceId?: string; env?: Record<string, string>; bootTimeoutMs?: number }): Promise<BaseProcess> {
  const instanceId = options.instanceId ?? `base-test-${options.port}`;
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(options.port),
      INSTANCE_ID: instanceId,
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
  // Generous: on a shared 2-core machine under load, three instances booting at once take 20 s and more.
  await waitUntilListening(url, child, options.bootTimeoutMs ?? 60_000);
  return {
    url,
    instanceId,
    child,
    logs,
    stop: () => stopChild(child),
  };
}
