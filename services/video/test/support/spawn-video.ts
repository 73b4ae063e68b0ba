import path from 'node:path';
import { ServiceProcess, spawnServiceProcess, TestRealm } from '@fleet/testing';

export type VideoProcess = ServiceProcess;

const MAIN = path.resolve(__dirname, '../../src/main.js');

/** A real video process (the compiled main.js); HTTP listens only once the RTMP ingest does. */
export function spawnVideo(options: { port: number; databaseUrl: string; realm: TestRealm; instanceId: string; env?: Record<string, string> }): Promise<VideoProcess> {
  return spawnServiceProcess({ main: MAIN, ...options });
}
