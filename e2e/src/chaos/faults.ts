import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { FleetInstance, REPO_ROOT } from '@fleet/local-fleet';
import { TestFleet } from '../test-fleet';
import { PlannedFault } from './schedule';

const run = promisify(execFile);

/** What one fault did, and how long the fleet took to be healthy again. */
export interface InjectedFault {
  kind: PlannedFault['kind'];
  /** The instance or server it hit. */
  target: string;
  /** Wall clock: when the fault began, when it ended (a frozen worker thawed, a server back up), when every instance answered /health 200 again. */
  startedAt: number;
  endedAt: number;
  recoveredAt?: number;
  /** endedAt → recoveredAt; undefined if the fleet never recovered within the bound. */
  recoveryMs?: number;
  detail?: string;
}

/** Where a fault is bound to have recovered by; past it the run fails (the goal is 15 s). */
export const RECOVERY_BOUND_MS = 60_000;

export interface FaultInjectorOptions {
  fleet: TestFleet;
  random: () => number;
  freezeMs: number;
  log: (line: string) => void;
  /** Instance ids a SIGKILL never hits while another instance of the group runs (a soak's witnesses). */
  spared?: ReadonlySet<string>;
}

/**
 * Executes planned faults against a test fleet and measures each recovery. It touches only what
 * the fleet started (its instances, its ChromaDB, its redis-server) and, for the infrastructure
 * faults the schedule holds only with CHAOS_INFRA=1, the machine's PostgreSQL and RabbitMQ, which
 * it always brings back up.
 */
export class FaultInjector {
  constructor(private readonly options: FaultInjectorOptions) {}

  async inject(fault: PlannedFault): Promise<InjectedFault> {
    const startedAt = Date.now();
    const { target, detail } = await this.act(fault);
    const endedAt = Date.now();
    const recoveredAt = await this.waitUntilHealthy(endedAt + RECOVERY_BOUND_MS);
    return { kind: fault.kind, target, startedAt, endedAt, recoveredAt, recoveryMs: recoveredAt === undefined ? undefined : recoveredAt - endedAt, detail };
  }

  private async act(fault: PlannedFault): Promise<{ target: string; detail?: string }> {
    const { fleet } = this.options;
    switch (fault.kind) {
      case 'kill-instance': {
        const instance = this.pick(fault.group!, this.options.spared);
        process.kill(instance.pid!, 'SIGKILL');
        return { target: instance.instanceId, detail: `pid ${instance.pid}` };
      }
      case 'freeze-worker': {
        const instance = this.pick(fault.group!);
        const pid = instance.pid!;
        process.kill(pid, 'SIGSTOP');
        try {
          await sleep(this.options.freezeMs);
        } finally {
          process.kill(pid, 'SIGCONT');
        }
        return { target: instance.instanceId, detail: `SIGSTOP for ${this.options.freezeMs / 1000} s, then SIGCONT` };
      }
      case 'restart-redis': {
        if (!fleet.redis) throw new Error('the fleet uses a shared Redis (REDIS_URL): the run restarts only its own');
        await fleet.redis.restart();
        return { target: 'redis-server (the fleet’s own)', detail: 'stopped and started empty (no persistence)' };
      }
      case 'kill-chroma': {
        const chroma = fleet.fleet.chroma;
        if (!chroma) throw new Error('the fleet uses a ChromaDB it did not start (CHROMA_URL): the run kills only its own');
        chroma.kill();
        await chroma.restart();
        // As the README says after losing ChromaDB: rebuild the index from Postgres.
        const { stdout } = await run(process.execPath, [path.join(REPO_ROOT, 'services/face/dist/src/rebuild-index.js')], { env: fleet.fleet.serviceEnv('face'), cwd: REPO_ROOT });
        return { target: 'chroma (the fleet’s own)', detail: `SIGKILL, restarted, index rebuilt: ${stdout.trim().split('\n').pop()}` };
      }
      case 'restart-rabbitmq':
        await run('rabbitmqctl', ['-q', 'stop_app']);
        try {
          await sleep(2_000);
        } finally {
          await run('rabbitmqctl', ['-q', 'start_app']);
          await run('rabbitmqctl', ['-q', '--timeout', '60', 'await_startup']);
        }
        return { target: 'rabbitmq (the machine’s)', detail: 'stop_app, 2 s, start_app' };
      case 'restart-postgres': {
        const version = readdirSync('/etc/postgresql')[0];
        await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart', '-m', 'fast']);
        return { target: `postgresql ${version} (the machine’s)`, detail: 'pg_ctlcluster restart -m fast' };
      }
    }
  }

  /** A random running instance of a services-table entry. */
  private pick(group: string, spared: ReadonlySet<string> = new Set()): FleetInstance {
    const running = this.options.fleet.fleet.instances.filter((instance) => instance.service === group && instance.running && instance.pid);
    if (!running.length) throw new Error(`no running instance of ${group} to hit`);
    const unspared = running.filter((instance) => !spared.has(instance.instanceId));
    const candidates = unspared.length ? unspared : running;
    return candidates[Math.floor(this.options.random() * candidates.length)];
  }

  /** The first moment every instance (restarted ones included) and the gateway answer 200, or undefined past the deadline. */
  async waitUntilHealthy(deadline: number): Promise<number | undefined> {
    const { fleet } = this.options;
    while (Date.now() < deadline) {
      const answers = await Promise.all([
        ...fleet.fleet.instances.map((instance) => healthy(`${instance.url}/health`)),
        healthy(`${fleet.gatewayUrl}/healthz`),
      ]);
      if (answers.every(Boolean)) return Date.now();
      await sleep(250);
    }
    return undefined;
  }
}

function healthy(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
    async (response) => {
      await response.body?.cancel();
      return response.status === 200;
    },
    () => false,
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
