import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COOLDOWN_MS, planFaults, ScheduleOptions, WARMUP_MS } from '../src/chaos/schedule';

const GROUPS = ['base', 'face', 'store', 'video', 'translator', 'translator-worker', 'vision', 'vision-worker'];
const options = (overrides: Partial<ScheduleOptions> = {}): ScheduleOptions => ({
  seed: 42,
  durationMs: 10 * 60_000,
  groups: GROUPS,
  workerGroups: ['vision-worker', 'translator-worker', 'face'],
  infra: true,
  freezeMs: 30_000,
  ...overrides,
});

test('the same seed gives the same schedule, another seed another order', () => {
  assert.deepEqual(planFaults(options()), planFaults(options()));
  assert.notDeepEqual(planFaults(options()), planFaults(options({ seed: 43 })));
});

test('a 10-minute run holds every kind of fault and kills an instance of every group', () => {
  const faults = planFaults(options());
  const kinds = new Set(faults.map((fault) => fault.kind));
  assert.deepEqual([...kinds].sort(), ['freeze-worker', 'kill-chroma', 'kill-instance', 'restart-postgres', 'restart-rabbitmq', 'restart-redis']);
  const killed = new Set(faults.filter((fault) => fault.kind === 'kill-instance').map((fault) => fault.group));
  assert.deepEqual([...killed].sort(), [...GROUPS].sort());
  assert.ok(['vision-worker', 'translator-worker', 'face'].includes(faults.find((fault) => fault.kind === 'freeze-worker')!.group!));
});

test('faults start after the warm-up, in order, and leave the cool-down free', () => {
  for (const minutes of [3, 10, 60]) {
    const faults = planFaults(options({ durationMs: minutes * 60_000, seed: minutes }));
    assert.equal(faults[0].atMs, WARMUP_MS);
    for (let i = 1; i < faults.length; i++) assert.ok(faults[i].atMs > faults[i - 1].atMs, `fault ${i} after fault ${i - 1}`);
    assert.ok(faults[faults.length - 1].atMs < minutes * 60_000 - COOLDOWN_MS, `${minutes} min: the last fault starts before the cool-down`);
  }
});

test('without CHAOS_INFRA the shared PostgreSQL and RabbitMQ are never restarted', () => {
  const kinds = planFaults(options({ infra: false, durationMs: 60 * 60_000 })).map((fault) => fault.kind);
  assert.ok(!kinds.includes('restart-postgres') && !kinds.includes('restart-rabbitmq'));
  assert.ok(kinds.includes('restart-redis') && kinds.includes('kill-chroma'), 'the fleet’s own servers are still hit');
});

test('the 3-minute CI run keeps every kind of fault, with fewer kills', () => {
  const short = planFaults(options({ durationMs: 3 * 60_000 }));
  const long = planFaults(options());
  assert.equal(new Set(short.map((fault) => fault.kind)).size, 6);
  assert.ok(short.filter((f) => f.kind === 'kill-instance').length < long.filter((f) => f.kind === 'kill-instance').length);
});

test('a soak kills a round per ten minutes, so processes live long enough to show their RSS slope', () => {
  const kills = planFaults(options({ durationMs: 60 * 60_000 })).filter((fault) => fault.kind === 'kill-instance');
  assert.equal(kills.length, 6 * GROUPS.length + 1);
  for (const group of GROUPS) assert.ok(kills.filter((fault) => fault.group === group).length >= 6, `${group} is killed in every round`);
});
