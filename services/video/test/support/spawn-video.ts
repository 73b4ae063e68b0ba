import path from 'node:path';
import { ServiceProcess, spawnServiceProcess, TestRealm } from '@fleet/testing';

export type VideoProcess = ServiceProcess;

const MAIN = path.resolve(__dirname, '../../src/main.js');

/** A real video process (the compiled main.js); HTTP listens only once the RTMP ingest does. */
export function spawnVideo(options: { port: number; databaseUrl: string; realm: TestRealm; instanceId: string; env?: Record<string, string> }): Promise<VideoProcess> {
  // Generous: on a busy 2-core machine two Nest apps starting at once can take 20 s.
  return spawnServiceProcess({ main: MAIN, startTimeoutMs: 60_000, ...options });
}
