import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FleetInstance } from '../src/fleet-instance';
import { describeSupervisorEvent, RestartPolicy, Supervisor, SupervisorClock, SupervisorEvent } from '../src/supervisor';

const POLICY: RestartPolicy = { firstDelayMs: 1_000, maxDelayMs: 30_000, maxCrashes: 5, windowMs: 60_000 };

/** A clock the test moves: scheduled restarts run only when the test says their delay has passed. */
function manualClock() {
  let now = 0;
  const due: Array<{ at: number; run: () => void; cancelled: boolean }> = [];
  const clock: SupervisorClock = {
    now: () => now,
    schedule: (run, delayMs) => {
      const timer = { at: now + delayMs, run, cancelled: false };
      due.push(timer);
      return { cancel: () => (timer.cancelled = true) };
    },
  };
  return {
    clock,
    delays: () => due.map((timer) => timer.at),
    /** Moves time forward and runs what fell due, then lets their restarts settle. */
    async advance(ms: number) {
      now += ms;
      for (const timer of due.filter((t) => !t.cancelled && t.at <= now)) {
        timer.cancelled = true;
        timer.run();
      }
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/** An instance whose starts succeed or fail as the test scripts them. */
function fakeInstance(outcomes: Array<'healthy' | 'fails'> = []) {
  let running = false;
  let pid = 100;
  const instance = {
    service: 'base',
    instanceId: 'base-1',
    port: 1,
    url: 'http://127.0.0.1:1',
    logFile: '/dev/null',
    starts: 0,
    stops: 0,
    get pid() {
      return running ? pid : undefined;
    },
    get running() {
      return running;
    },
    async start() {
      instance.starts += 1;
      if ((outcomes.shift() ?? 'healthy') === 'fails') throw new Error('base-1 exited (code 1) before /health answered');
      running = true;
      pid += 1;
    },
    async stop() {
      instance.stops += 1;
      running = false;
    },
    /** The process dies on its own. */
    die() {
      running = false;
    },
  };
  return instance as typeof instance & FleetInstance;
}

describe('Supervisor', () => {
  it('restarts a crashed instance after 1 s, then 2 s, 4 s, 8 s as it keeps crashing, and counts the restarts', async () => {
    const time = manualClock();
    const events: SupervisorEvent[] = [];
    const supervisor = new Supervisor((event) => events.push(event), POLICY, time.clock);
    const instance = fakeInstance();
    const delays: number[] = [];
    for (let crash = 1; crash <= 4; crash++) {
      instance.die();
      supervisor.crashed(instance, 137);
      const crashed = events.at(-1)!;
      assert.equal(crashed.kind, 'crashed');
      delays.push(crashed.kind === 'crashed' ? crashed.delayMs : -1);
      await time.advance(crashed.kind === 'crashed' ? crashed.delayMs - 1 : 0);
      assert.equal(instance.running, false, 'not before its delay');
      await time.advance(1);
      assert.equal(instance.running, true, 'restarted once the delay passed');
    }
    assert.deepEqual(delays, [1_000, 2_000, 4_000, 8_000]);
    assert.equal(supervisor.restartsOf('base-1'), 4);
    assert.equal(events.filter((event) => event.kind === 'restarted').length, 4);
  });

  it('gives up, loudly, after 5 crashes within a minute, and restarts nothing after that', async () => {
    const time = manualClock();
    const events: SupervisorEvent[] = [];
    const supervisor = new Supervisor((event) => events.push(event), POLICY, time.clock);
    const instance = fakeInstance();
    for (let crash = 1; crash <= 5; crash++) {
      instance.die();
      supervisor.crashed(instance, 1);
      await time.advance(1_000 * 2 ** (crash - 1));
    }
    const last = events.at(-1)!;
    assert.equal(last.kind, 'gave-up');
    assert.match(describeSupervisorEvent(last), /^!!! base-1 crashed 5 times within 60 s: NOT restarting/);
    assert.equal(supervisor.gaveUpOn('base-1'), true);
    assert.equal(instance.running, false);
    const starts = instance.starts;
    supervisor.crashed(instance, 1);
    await time.advance(60_000);
    assert.equal(instance.starts, starts, 'no restart once given up');
  });

  it('forgets crashes older than the window: an instance that crashes once in a while is always restarted after 1 s', async () => {
    const time = manualClock();
    const events: SupervisorEvent[] = [];
    const supervisor = new Supervisor((event) => events.push(event), POLICY, time.clock);
    const instance = fakeInstance();
    for (let crash = 1; crash <= 8; crash++) {
      instance.die();
      supervisor.crashed(instance, 1);
      await time.advance(61_000);
    }
    assert.deepEqual(
      events.filter((event) => event.kind === 'crashed').map((event) => (event.kind === 'crashed' ? event.delayMs : 0)),
      Array(8).fill(1_000),
    );
    assert.equal(supervisor.restartsOf('base-1'), 8);
    assert.equal(supervisor.gaveUpOn('base-1'), false);
  });

  it('treats a restart that never gets healthy as another crash: stops what it left and tries again later', async () => {
    const time = manualClock();
    const events: SupervisorEvent[] = [];
    const supervisor = new Supervisor((event) => events.push(event), POLICY, time.clock);
    const instance = fakeInstance(['fails', 'healthy']);
    instance.die();
    supervisor.crashed(instance, 1);
    await time.advance(1_000);
    assert.deepEqual(events.map((event) => event.kind), ['crashed', 'restart-failed', 'crashed']);
    assert.equal(instance.stops, 1, 'the failed start was cleaned up');
    await time.advance(2_000);
    assert.equal(instance.running, true);
    assert.equal(events.at(-1)!.kind, 'restarted');
  });

  it('after stop(), cancels pending restarts', async () => {
    const time = manualClock();
    const supervisor = new Supervisor(() => undefined, POLICY, time.clock);
    const instance = fakeInstance();
    instance.die();
    supervisor.crashed(instance, 1);
    supervisor.stop();
    await time.advance(5_000);
    assert.equal(instance.starts, 0);
  });
});
