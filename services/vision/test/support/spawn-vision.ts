import path from 'node:path';
import { ServiceProcess, spawnServiceProcess, TestRealm } from '@fleet/testing';

/** `src/main.js` (HTTP) or `src/worker.js` (a worker), compiled, as production runs them. */
export type VisionEntry = 'main' | 'worker';

export function spawnVision(options: { entry: VisionEntry; port: number; databaseUrl: string; realm: TestRealm; instanceId: string; env?: Record<string, string> }): Promise<ServiceProcess> {
  return spawnServiceProcess({
    main: path.resolve(__dirname, `../../src/${options.entry}.js`),
    port: options.port,
    databaseUrl: options.databaseUrl,
    realm: options.realm,
    instanceId: options.instanceId,
    env: options.env,
    startTimeoutMs: 30_000,
  });
}
