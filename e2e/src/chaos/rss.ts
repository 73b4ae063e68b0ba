import { readFileSync } from 'node:fs';
import { FleetInstance } from '@fleet/local-fleet';

/** One reading of one process. */
export interface RssSample {
  at: number;
  mb: number;
}

/** Per service: its peak RSS (any instance) and, for runs long enough, the growth of its processes in MB/hour. */
export interface RssFigures {
  service: string;
  peakMb: number;
  /** Median slope over the process lifetimes long enough to measure (a killed instance starts a new lifetime). */
  slopeMbPerHour?: number;
  lifetimes: number;
  /** Minutes of the longest lifetime the slope was measured over (after its warm-up). */
  measuredMinutes?: number;
}

/** Lifetimes shorter than this say nothing about a leak (start-up growth dominates). */
const MIN_LIFETIME_MS = 10 * 60_000;
/** The first minutes of a process are its warm-up: JIT, caches, pools. */
const WARMUP_MS = 2 * 60_000;
/**
 * A lifetime this long shows growth past the warm-up: a soak's witness instances (never killed)
 * live the whole run. When a service has one, only such lifetimes count, and their first
 * LONG_WARMUP_MS are left out: under load V8's old space, its code space and the connection pools
 * keep growing for several minutes before they settle, which a 10-minute lifetime reads as a leak.
 */
export const LONG_LIFETIME_MS = 30 * 60_000;
const LONG_WARMUP_MS = 10 * 60_000;

/** The samples of one lifetime past its warm-up, when what is left is long enough to measure. */
function measurable(samples: readonly RssSample[], warmupMs: number, minLifetimeMs: number): RssSample[] | undefined {
  const kept = samples.filter((s) => s.at - samples[0].at >= warmupMs);
  return kept.length > 2 && kept[kept.length - 1].at - samples[0].at >= minLifetimeMs ? kept : undefined;
}

const spanOf = (samples: readonly RssSample[]) => (samples.length ? samples[samples.length - 1].at - samples[0].at : 0);

function rssMbOf(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Least-squares slope of mb over time, in MB per hour. */
export function slopePerHour(samples: readonly RssSample[]): number {
  const n = samples.length;
  const meanT = samples.reduce((sum, s) => sum + s.at, 0) / n;
  const meanY = samples.reduce((sum, s) => sum + s.mb, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.at - meanT) * (s.mb - meanY);
    den += (s.at - meanT) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 3_600_000;
}

/**
 * One service's figures from its processes' lifetimes (each a series of samples): the peak of any,
 * and the median slope of those long enough to measure, the long ones (a soak's witnesses) alone
 * when there are any.
 */
export function figuresOf(service: string, lifetimes: ReadonlyArray<readonly RssSample[]>): RssFigures {
  const long = lifetimes.filter((samples) => spanOf(samples) >= LONG_LIFETIME_MS);
  const measured = (long.length ? long.map((samples) => measurable(samples, LONG_WARMUP_MS, LONG_LIFETIME_MS)) : lifetimes.map((samples) => measurable(samples, WARMUP_MS, MIN_LIFETIME_MS))).filter(
    (samples): samples is RssSample[] => samples !== undefined,
  );
  const slopes = measured.map(slopePerHour).sort((a, b) => a - b);
  return {
    service,
    peakMb: Math.max(...lifetimes.flatMap((samples) => samples.map((s) => s.mb))),
    slopeMbPerHour: slopes.length ? slopes[Math.floor(slopes.length / 2)] : undefined,
    lifetimes: slopes.length,
    measuredMinutes: measured.length ? Math.round(Math.max(...measured.map(spanOf)) / 60_000) : undefined,
  };
}

/** Samples the RSS of every instance every few seconds, per process lifetime (service, instance, pid). */
export class RssSampler {
  private readonly lifetimes = new Map<string, { service: string; samples: RssSample[] }>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly instances: readonly FleetInstance[]) {}

  start(everyMs = 5_000): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  figures(): RssFigures[] {
    const byService = new Map<string, Array<{ samples: RssSample[] }>>();
    for (const lifetime of this.lifetimes.values()) byService.set(lifetime.service, [...(byService.get(lifetime.service) ?? []), lifetime]);
    return [...byService].map(([service, lifetimes]) => figuresOf(service, lifetimes.map(({ samples }) => samples)));
  }

  private sample(): void {
    const at = Date.now();
    for (const instance of this.instances) {
      const pid = instance.pid;
      if (!pid || !instance.running) continue;
      const mb = rssMbOf(pid);
      if (mb === undefined) continue;
      const key = `${instance.instanceId}/${pid}`;
      let lifetime = this.lifetimes.get(key);
      if (!lifetime) this.lifetimes.set(key, (lifetime = { service: instance.service, samples: [] }));
      lifetime.samples.push({ at, mb });
    }
  }
}
