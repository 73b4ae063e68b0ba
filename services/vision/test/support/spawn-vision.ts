import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { collectJsonLogs, JsonLogLine, stopChild, TestRealm } from '@fleet/testing';

export interface VisionProcess {
  url: string;
  instanceId: string;
  child: ChildProcess;
  logs: JsonLogLine[];
  stop(): Promise<void>;
}

/** `src/main.js` (HTTP) or `src/worker.js` (a worker), compiled, as production runs them. */
export type VisionEntry = 'main' | 'worker';

async function waitUntilHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vision process exited early with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`vision process on ${url} not healthy within ${timeoutMs} ms`);
}

export async function spawnVision(options: { entry: VisionEntry; port: number; databaseUrl: string; realm: TestRealm; mediaDir?: string; modelCacheDir?: string; instanceId?: string; env?: Record<string, string> }): Promise<VisionProcess> {
  const instanceId = options.instanceId ?? `vision-${options.entry}-${options.port}`;
  const child = spawn(process.execPath, [path.resolve(__dirname, `../../src/${options.entry}.js`)], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(options.port),
      INSTANCE_ID: instanceId,
      DATABASE_URL: options.databaseUrl,
      KEYCLOAK_URL: options.realm.keycloakUrl,
      KEYCLOAK_REALM: options.realm.realm,
      KEYCLOAK_REALM_PUBLIC_KEY: options.realm.publicKeyBase64,
      ...(options.mediaDir ? { VISION_MEDIA_DIR: options.mediaDir } : {}),
      ...(options.modelCacheDir ? { VISION_MODEL_CACHE_DIR: options.modelCacheDir } : {}),
      LOG_LEVEL: 'debug',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs = collectJsonLogs(child);
  const url = `http://127.0.0.1:${options.port}`;
  await waitUntilHealthy(url, child, 30_000);
  return { url, instanceId, child, logs, stop: () => stopChild(child) };
}
