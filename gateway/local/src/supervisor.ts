import type { FleetInstance } from './fleet-instance';

/**
 * How the launcher restarts an instance that exits on its own: after a delay that doubles with
 * each crash (1 s, 2 s, 4 s ... up to 30 s), and not at all once it crashed `maxCrashes` times
 * within `windowMs` (a crash loop needs a person, not more restarts).
 */
export interface RestartPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  maxCrashes: number;
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { firstDelayMs: 1_000, maxDelayMs: 30_000, maxCrashes: 5, windowMs: 60_000 };

export type SupervisorEvent =
  | { kind: 'crashed'; instance: string; code: number | null; delayMs: number; crashesInWindow: number }
  | { kind: 'restarted'; instance: string; restarts: number; pid: number | undefined; tookMs: number }
  | { kind: 'restart-failed'; instance: string; error: string }
  | { kind: 'gave-up'; instance: string; code: number | null; crashesInWindow: number; windowMs: number };

/** Timers, injectable so tests decide when a delay has passed (timing never decides them). */
export interface SupervisorClock {
  now(): number;
  schedule(run: () => void, delayMs: number): { cancel(): void };
}

const realClock: SupervisorClock = {
  now: () => Date.now(),
  schedule: (run, delayMs) => {
    const timer = setTimeout(run, delayMs);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

interface Supervised {
  crashes: number[];
  restarts: number;
  gaveUp: boolean;
  pending?: { cancel(): void };
}

/** Restarts crashed instances by a {@link RestartPolicy}, reporting each step as a {@link SupervisorEvent}. */
export class Supervisor {
  private readonly state = new Map<string, Supervised>();
  private stopped = false;

  constructor(
    private readonly onEvent: (event: SupervisorEvent) => void,
    private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY,
    private readonly clock: SupervisorClock = realClock,
  ) {}

  /** How often an instance was restarted so far. */
  restartsOf(instanceId: string): number {
    return this.state.get(instanceId)?.restarts ?? 0;
  }

  /** Whether the supervisor stopped restarting an instance (a crash loop). */
  gaveUpOn(instanceId: string): boolean {
    return this.state.get(instanceId)?.gaveUp ?? false;
  }

  /** An instance exited without being asked to (or failed to come back): restart it later, or give up. */
  crashed(instance: FleetInstance, code: number | null): void {
    if (this.stopped) return;
    const entry = this.entry(instance.instanceId);
    if (entry.gaveUp || entry.pending) return;
    const now = this.clock.now();
    entry.crashes = [...entry.crashes.filter((at) => now - at < this.policy.windowMs), now];
    const crashesInWindow = entry.crashes.length;
    if (crashesInWindow >= this.policy.maxCrashes) {
      entry.gaveUp = true;
      this.onEvent({ kind: 'gave-up', instance: instance.instanceId, code, crashesInWindow, windowMs: this.policy.windowMs });
      return;
    }
    const delayMs = Math.min(this.policy.firstDelayMs * 2 ** (crashesInWindow - 1), this.policy.maxDelayMs);
    this.onEvent({ kind: 'crashed', instance: instance.instanceId, code, delayMs, crashesInWindow });
    entry.pending = this.clock.schedule(() => void this.restart(instance, entry), delayMs);
  }

  /** No more restarts (the fleet is stopping). */
  stop(): void {
    this.stopped = true;
    for (const entry of this.state.values()) entry.pending?.cancel();
  }

  private async restart(instance: FleetInstance, entry: Supervised): Promise<void> {
    entry.pending = undefined;
    if (this.stopped || instance.running) return;
    const started = this.clock.now();
    try {
      await instance.start();
    } catch (error) {
      this.onEvent({ kind: 'restart-failed', instance: instance.instanceId, error: error instanceof Error ? error.message : String(error) });
      // A start that never got healthy may leave its process behind: gone before the next try.
      await instance.stop().catch(() => undefined);
      this.crashed(instance, null);
      return;
    }
    entry.restarts += 1;
    this.onEvent({ kind: 'restarted', instance: instance.instanceId, restarts: entry.restarts, pid: instance.pid, tookMs: this.clock.now() - started });
  }

  private entry(instanceId: string): Supervised {
    let entry = this.state.get(instanceId);
    if (!entry) this.state.set(instanceId, (entry = { crashes: [], restarts: 0, gaveUp: false }));
    return entry;
  }
}

/** One line for the launcher's output and logs/launcher.log. */
export function describeSupervisorEvent(event: SupervisorEvent): string {
  switch (event.kind) {
    case 'crashed':
      return `! ${event.instance} exited unexpectedly (code ${event.code}); restarting it in ${event.delayMs / 1000} s (crash ${event.crashesInWindow} within a minute)`;
    case 'restarted':
      return `${event.instance} restarted (restart #${event.restarts}, pid ${event.pid}, healthy after ${event.tookMs} ms)`;
    case 'restart-failed':
      return `! ${event.instance} did not come back: ${event.error}`;
    case 'gave-up':
      return `!!! ${event.instance} crashed ${event.crashesInWindow} times within ${event.windowMs / 1000} s: NOT restarting it any more. Read its log, fix it, restart the fleet.`;
  }
}
