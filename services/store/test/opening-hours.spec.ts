import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isOpenAt, ruleProblem, wallClock } from '../src/shops/opening-hours';

describe('opening hours', () => {
  const weekdays = [{ days: [1, 2, 3, 4, 5], opens: '07:00', closes: '21:00' }];

  it('reads the wall clock of the station time zone, weekday included', () => {
    // Sunday 23:30 in UTC is already Monday 00:30 in Berlin (CET, UTC+1 in November).
    assert.deepEqual(wallClock(new Date('2026-11-22T23:30:00Z'), 'UTC'), { weekday: 7, minute: 23 * 60 + 30 });
    assert.deepEqual(wallClock(new Date('2026-11-22T23:30:00Z'), 'Europe/Berlin'), { weekday: 1, minute: 30 });
  });

  it('opens at `opens` and closes at `closes` (inclusive, exclusive), in the station time zone', () => {
    assert.equal(isOpenAt(weekdays, new Date('2026-11-23T05:59:00Z'), 'Europe/Berlin'), false, '06:59 Berlin');
    assert.equal(isOpenAt(weekdays, new Date('2026-11-23T06:00:00Z'), 'Europe/Berlin'), true, '07:00 Berlin');
    assert.equal(isOpenAt(weekdays, new Date('2026-11-23T19:59:00Z'), 'Europe/Berlin'), true, '20:59 Berlin');
    assert.equal(isOpenAt(weekdays, new Date('2026-11-23T20:00:00Z'), 'Europe/Berlin'), false, '21:00 Berlin');
    assert.equal(isOpenAt(weekdays, new Date('2026-11-23T06:30:00Z'), 'UTC'), false, '06:30 UTC');
    assert.equal(isOpenAt(weekdays, new Date('2026-11-22T12:00:00Z'), 'UTC'), false, 'Sunday');
  });

  it('covers a whole day with 00:00-24:00 and overnight hours with two rules; no rule means closed', () => {
    assert.equal(isOpenAt([{ days: [1], opens: '00:00', closes: '24:00' }], new Date('2026-11-23T23:59:00Z'), 'UTC'), true);
    const overnight = [
      { days: [5], opens: '22:00', closes: '24:00' },
      { days: [6], opens: '00:00', closes: '02:00' },
    ];
    assert.equal(isOpenAt(overnight, new Date('2026-11-28T01:00:00Z'), 'UTC'), true, 'Saturday 01:00');
    assert.equal(isOpenAt(overnight, new Date('2026-11-28T02:00:00Z'), 'UTC'), false, 'Saturday 02:00');
    assert.equal(isOpenAt([], new Date(), 'UTC'), false);
  });

  it('refuses a rule that closes before it opens', () => {
    assert.match(ruleProblem({ days: [1], opens: '22:00', closes: '02:00' }) ?? '', /split overnight hours/);
    assert.equal(ruleProblem({ days: [1], opens: '07:00', closes: '24:00' }), undefined);
  });
});
