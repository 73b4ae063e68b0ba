import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { test } from 'node:test';
import { printReport, runChaos } from '../src/chaos';

/**
 * The short version of `npm run chaos` (about 3 minutes of load): a fleet of its own under the
 * station's mixed load, every kind of fault once (PostgreSQL and RabbitMQ restarts included: this
 * tier runs alone) and a kill, then every invariant. A failure prints the seed that repeats it
 * (CHAOS_SEED=<seed> CHAOS_MINUTES=3 CHAOS_INFRA=1 npm run chaos).
 */
test('the fleet keeps every acknowledged write through a schedule of faults', { timeout: 20 * 60_000 }, async () => {
  const seed = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : randomInt(1, 2 ** 31);
  const report = await runChaos({ minutes: 3, seed, infra: true, robots: 6, drones: 1 });
  printReport(report);
  assert.deepEqual(report.notInjected, [], `seed ${seed}: every planned fault was injected`);
  for (const fault of report.faults) assert.ok(fault.recoveryMs !== undefined, `seed ${seed}: ${fault.kind} on ${fault.target} recovered (${fault.detail})`);
  for (const invariant of report.invariants) assert.ok(invariant.ok, `seed ${seed}: ${invariant.name}: ${invariant.violations.join('; ')}`);
  assert.deepEqual(report.unexplainedFailures, [], `seed ${seed}: no 5xx or timeout outside a fault's recovery window`);
  // The load really ran: the invariants above hold over something.
  const sent = report.routes.reduce((sum, route) => sum + route.ok, 0);
  assert.ok(sent > 500, `seed ${seed}: ${sent} requests answered 2xx`);
});
