/**
 * The chaos run's fault schedule: which faults, in which order, from when, derived from a seed so
 * a run can be repeated (`CHAOS_SEED`). Pure: the runner executes it, a unit test checks it.
 */
export type FaultKind = 'kill-instance' | 'freeze-worker' | 'restart-redis' | 'kill-chroma' | 'restart-rabbitmq' | 'restart-postgres';

export interface PlannedFault {
  /** Earliest start, from the start of the load. The runner starts a fault only after the one before has recovered. */
  atMs: number;
  kind: FaultKind;
  /** A services-table name (`base`, `vision-worker`): whose random instance a kill or freeze hits. */
  group?: string;
}

export interface ScheduleOptions {
  seed: number;
  /** How long the load runs. */
  durationMs: number;
  /** Every services-table name with instances: each gets SIGKILLs. */
  groups: readonly string[];
  /** The worker pools among them: one gets frozen. */
  workerGroups: readonly string[];
  /** Restart the machine's shared PostgreSQL and RabbitMQ too (CHAOS_INFRA=1). */
  infra: boolean;
  /** How long a frozen worker stays frozen. */
  freezeMs: number;
}

/** Quiet at the start (the fleet warms up, the load reaches its rates) and at the end (the last recovery completes under load). */
export const WARMUP_MS = 20_000;
export const COOLDOWN_MS = 30_000;
/** One round of kills (every group once) per this much load. */
export const KILL_ROUND_EVERY_MS = 10 * 60_000;

/** Time budgeted per fault kind: the fault itself and a recovery well within the 15 s goal. */
function budgetOf(kind: FaultKind, freezeMs: number): number {
  switch (kind) {
    case 'kill-instance':
      return 15_000;
    case 'freeze-worker':
      return freezeMs + 15_000;
    case 'restart-redis':
    case 'kill-chroma':
      return 15_000;
    case 'restart-rabbitmq':
    case 'restart-postgres':
      return 20_000;
  }
}

/** mulberry32: a small, well-known seeded generator; the same seed gives the same schedule. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/**
 * Every kind of fault once (the infrastructure ones only with `infra`), then a round of SIGKILLs
 * (one per group, in a shuffled order) per ten minutes of load, as far as the time between warm-up
 * and cool-down allows.
 * A short run (the CI version) keeps every kind and fewer kills; the order is shuffled by the seed.
 */
export function planFaults(options: ScheduleOptions): PlannedFault[] {
  const random = seededRandom(options.seed);
  const window = options.durationMs - WARMUP_MS - COOLDOWN_MS;
  const once: PlannedFault[] = [
    { atMs: 0, kind: 'kill-instance', group: options.groups[Math.floor(random() * options.groups.length)] },
    ...(options.workerGroups.length ? [{ atMs: 0, kind: 'freeze-worker' as const, group: options.workerGroups[Math.floor(random() * options.workerGroups.length)] }] : []),
    { atMs: 0, kind: 'restart-redis' },
    { atMs: 0, kind: 'kill-chroma' },
    ...(options.infra ? [{ atMs: 0, kind: 'restart-rabbitmq' as const }, { atMs: 0, kind: 'restart-postgres' as const }] : []),
  ];
  const chosen: PlannedFault[] = [];
  let used = 0;
  const take = (fault: PlannedFault): boolean => {
    const budget = budgetOf(fault.kind, options.freezeMs);
    if (used + budget > window) return false;
    chosen.push(fault);
    used += budget;
    return true;
  };
  for (const fault of shuffled(once, random)) take(fault);
  // Rounds of kills, one per ten minutes of load (a soak's processes must live long enough for
  // their RSS slope to mean something), while the window has room: every group before any twice.
  const rounds = Math.max(1, Math.floor(options.durationMs / KILL_ROUND_EVERY_MS));
  for (let round = 0; round < rounds; round++) {
    const killed = shuffled(options.groups, random).map((group) => take({ atMs: 0, kind: 'kill-instance', group }));
    if (!killed.some(Boolean)) break;
  }
  // Spread over the window: the slack between budgets is shared out evenly, in a shuffled order.
  const order = [chosen[0], ...shuffled(chosen.slice(1), random)].filter(Boolean);
  const slack = order.length ? (window - used) / order.length : 0;
  let at = WARMUP_MS;
  return order.map((fault) => {
    const planned = { ...fault, atMs: Math.round(at) };
    at += budgetOf(fault.kind, options.freezeMs) + slack;
    return planned;
  });
}

/** One line per fault, for the schedule printed at the start. */
export function describeSchedule(faults: readonly PlannedFault[]): string[] {
  return faults.map((fault, i) => `${String(i + 1).padStart(3)}. t+${(fault.atMs / 1000).toFixed(0).padStart(4)} s  ${fault.kind}${fault.group ? ` (${fault.group})` : ''}`);
}
