import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { collectJsonLogs, JsonLogLine, stopChild } from '@fleet/testing';

export interface FaceProcess {
  url: string;
  instanceId: string;
  child: ChildProcess;
  logs: JsonLogLine[];
  stop(): Promise<void>;
}

const MAIN = path.resolve(__dirname, '../../src/main.js');

/** A real face instance (the compiled main.js) against a test database, vhost and ChromaDB; resolves when /health is 200. */
export async function spawnFace(options: { port: number; databaseUrl: string; rabbitmqUrl: string; chromaUrl: string; instanceId: string; env?: Record<string, string> }): Promise<FaceProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(options.port),
      INSTANCE_ID: options.instanceId,
      DATABASE_URL: options.databaseUrl,
      RABBITMQ_URL: options.rabbitmqUrl,
      CHROMA_URL: options.chromaUrl,
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs = collectJsonLogs(child);
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 90_000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`face exited early with code ${child.exitCode}: ${JSON.stringify(logs.slice(-5))}`);
    const status = await fetch(`${url}/health`).then((r) => r.status, (e: Error) => e.message);
    if (status === 200) return { url, instanceId: options.instanceId, child, logs, stop: () => stopChild(child) };
    last = String(status);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  await stopChild(child);
  throw new Error(`face ${options.instanceId} not healthy within 90 s (${last})`);
}
