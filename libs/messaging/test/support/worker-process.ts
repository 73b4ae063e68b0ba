import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { collectJsonLogs, JsonLogLine } from '@fleet/testing';

export type LogLine = JsonLogLine;

export interface WorkerProcess {
  instanceId: string;
  port: number;
  child: ChildProcess;
  /** Every JSON line the worker printed so far. */
  logs: LogLine[];
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  get(pathname: string): Promise<string>;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const WORKER = path.resolve(__dirname, '../fixtures/worker.js');

async function poll<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts the fixture worker for `service` and resolves once it consumes and serves HTTP. */
export async function spawnWorker(service: string, instanceId: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [WORKER], {
    // NODE_TEST_CONTEXT would make the worker talk the test runner's protocol on stdout.
    env: { ...process.env, NODE_TEST_CONTEXT: undefined, NODE_ENV: 'test', TEST_SERVICE: service, INSTANCE_ID: instanceId, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = collectJsonLogs(child);
  const waitForLog = (match: (line: LogLine) => boolean, timeoutMs = 10_000) => {
    return poll(() => {
      if (child.exitCode !== null && child.signalCode === null) throw new Error(`worker ${instanceId} exited: ${JSON.stringify(logs.slice(-5))}`);
      return logs.find(match);
    }, timeoutMs, `a log line of ${instanceId}`);
  };
  const ready = await waitForLog((line) => /^ready on \d+$/.test(line.msg ?? ''), 20_000);
  const port = Number(/\d+$/.exec(ready.msg!)![0]);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    instanceId,
    port,
    child,
    logs,
    waitForLog,
    get: async (pathname) => (await fetch(`http://127.0.0.1:${port}${pathname}`)).text(),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export { poll };
