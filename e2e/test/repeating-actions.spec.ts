import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RepeatingActions } from '../src/simulator/repeating-actions';

/** A promise and the function that resolves it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe(RepeatingActions.name, () => {
  it('settles only after the action started before the halt has answered, and starts none after it', async () => {
    const actions = new RepeatingActions();
    const started = deferred();
    const answer = deferred();
    let runs = 0;
    let answered = false;
    actions.every(1, async () => {
      runs += 1;
      started.resolve();
      await answer.promise;
      answered = true;
    });
    await started.promise;
    actions.halt();
    let settled = false;
    const settling = actions.settled().then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false, 'settled while the action had not answered');
    answer.resolve();
    await settling;
    assert.equal(answered, true);
    assert.equal(runs, 1, 'a tick started a second run while the first was going, or after the halt');
  });

  it('keeps going after a failed run: the action records its own failures', async () => {
    const actions = new RepeatingActions();
    const secondRun = deferred();
    let runs = 0;
    actions.every(1, async () => {
      runs += 1;
      if (runs === 1) throw new Error('refused');
      secondRun.resolve();
    });
    await secondRun.promise;
    actions.halt();
    await actions.settled();
    assert.ok(runs >= 2);
  });

  it('with a random phase, halting before the first run starts none', async () => {
    const actions = new RepeatingActions();
    let runs = 0;
    actions.every(60_000, async () => void (runs += 1), { randomPhase: true });
    actions.halt();
    await actions.settled();
    assert.equal(runs, 0);
  });
});
