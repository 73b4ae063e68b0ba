/**
 * `npm run chaos`: the whole fleet under mixed load and a seeded schedule of faults, then its
 * invariants (see run.ts). Environment:
 *   CHAOS_MINUTES=10   minutes of load (60 for a soak: the report then has RSS slopes)
 *   CHAOS_SEED=n       repeat a run's schedule (printed at the start of every run)
 *   CHAOS_INFRA=1      also restart the machine's PostgreSQL and RabbitMQ (never beside other users of them)
 *   CHAOS_ROBOTS=10 CHAOS_DRONES=2
 * Exits 1 when an invariant breaks.
 */
import { randomInt } from 'node:crypto';
import { printReport, runChaos } from './run';

export async function main(): Promise<void> {
  const minutes = Number(process.env.CHAOS_MINUTES ?? 10);
  const seed = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : randomInt(1, 2 ** 31);
  if (!(minutes >= 2)) throw new Error('CHAOS_MINUTES must be at least 2 (a warm-up, faults, a cool-down)');
  if (!Number.isInteger(seed)) throw new Error('CHAOS_SEED must be a whole number');
  const report = await runChaos({
    minutes,
    seed,
    infra: process.env.CHAOS_INFRA === '1',
    robots: process.env.CHAOS_ROBOTS ? Number(process.env.CHAOS_ROBOTS) : undefined,
    drones: process.env.CHAOS_DRONES ? Number(process.env.CHAOS_DRONES) : undefined,
  });
  printReport(report);
  process.exit(report.passed ? 0 : 1);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`[chaos] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  });
}
