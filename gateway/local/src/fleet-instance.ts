import path from 'node:path';
import { ManagedChild } from './child-process';
import { FleetPlan } from './fleet-plan';
import { ExitWatcher, waitForHttp } from './http-ready';
import { runtimeProfileOf } from './runtime-profiles';
import { entryOf, FleetServiceSpec } from './services';

export interface FleetInstance {
  service: string;
  instanceId: string;
  port: number;
  /** Direct URL of this instance (bypasses the gateway). */
  url: string;
  logFile: string;
  readonly pid: number | undefined;
  readonly running: boolean;
  /** Stops this instance (SIGTERM, then SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** Starts it again and waits until its /health answers 200. */
  start(): Promise<void>;
}

/** One instance of a service: a child process on its port, started and stopped on demand. */
export function createInstance(planned: FleetPlan, spec: FleetServiceSpec, index: number, healthTimeoutMs: number, watch: ExitWatcher): FleetInstance {
  const port = planned.units.find((unit) => unit.spec === spec)!.ports[index];
  const instanceId = `${spec.name}-${index + 1}`;
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(planned.logDir, `${instanceId}.log`);
  const main = path.join(planned.root, ...entryOf(spec));
  // The role's Node options and C-runtime env (runtime-profiles.ts); the caller's env still wins.
  const runtime = runtimeProfileOf(spec.name);
  let current: ManagedChild | undefined;
  return {
    service: spec.name,
    instanceId,
    port,
    url,
    logFile,
    get pid() {
      return current?.pid;
    },
    get running() {
      return current?.running ?? false;
    },
    async start() {
      if (current?.running) return;
      current = new ManagedChild({
        name: instanceId,
        command: process.execPath,
        args: [...(runtime?.nodeOptions ?? []), main],
        cwd: planned.root,
        env: { ...runtime?.env, ...planned.serviceEnv(spec), PORT: String(port), INSTANCE_ID: instanceId },
        logFile,
      });
      await waitForHttp(`${url}/health`, current, healthTimeoutMs, instanceId);
      watch(instanceId, current);
    },
    async stop() {
      await current?.stop();
    },
  };
}
