import path from 'node:path';
import { ServiceProcess, spawnServiceProcess, TestRealm } from '@fleet/testing';

export type BaseProcess = ServiceProcess;

const MAIN = path.resolve(__dirname, '../../src/main.js');

/** Starts a real base process (the compiled main.js, as production does) against a test database. */
export function spawnBase(options: { port: number; databaseUrl: string; realm: TestRealm; instanceId?: string; env?: Record<string, string>; bootTimeoutMs?: number }): Promise<BaseProcess> {
  return spawnServiceProcess({
    main: MAIN,
    port: options.port,
    databaseUrl: options.databaseUrl,
    realm: options.realm,
    instanceId: options.instanceId ?? `base-test-${options.port}`,
    env: options.env,
    // Generous: on a shared 2-core machine under load, three instances booting at once take 20 s and more.
    startTimeoutMs: options.bootTimeoutMs ?? 60_000,
  });
}
