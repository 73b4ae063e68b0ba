import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { figuresOf, RssSample } from '../src/chaos/rss';

const MINUTE = 60_000;

/** One sample a minute for `minutes`: `mbAt(minute)` each. */
function lifetime(minutes: number, mbAt: (minute: number) => number, startMinute = 0): RssSample[] {
  return Array.from({ length: minutes + 1 }, (_, m) => ({ at: (startMinute + m) * MINUTE, mb: mbAt(m) }));
}

/** Grows 1 MB a minute for its first 15 minutes (warm-up), then stays flat. */
const warmsUpThenFlat = (m: number) => 100 + Math.min(m, 15);

describe(figuresOf.name, () => {
  it("reads a killed-every-20-minutes process's warm-up as growth: what short lifetimes alone report", () => {
    const figures = figuresOf('store', [lifetime(20, warmsUpThenFlat), lifetime(20, warmsUpThenFlat, 20)]);
    assert.ok(figures.slopeMbPerHour! > 20, `slope ${figures.slopeMbPerHour}`);
    assert.equal(figures.lifetimes, 2);
  });

  it("measures a witness that lived the whole soak past its warm-up, and only it, so warm-up is not a leak", () => {
    const figures = figuresOf('store', [lifetime(60, warmsUpThenFlat), lifetime(20, warmsUpThenFlat), lifetime(20, warmsUpThenFlat, 20)]);
    assert.equal(figures.lifetimes, 1, 'only the long lifetime counts');
    assert.ok(Math.abs(figures.slopeMbPerHour!) < 3, `flat after its warm-up: slope ${figures.slopeMbPerHour}`);
    assert.equal(figures.measuredMinutes, 50);
    assert.equal(figures.peakMb, 115);
  });

  it('still shows a real leak in a witness: growth that goes on after the warm-up', () => {
    const leaking = (m: number) => warmsUpThenFlat(m) + m * 0.5; // 30 MB an hour on top
    const figures = figuresOf('face', [lifetime(60, leaking)]);
    assert.ok(Math.abs(figures.slopeMbPerHour! - 30) < 3, `slope ${figures.slopeMbPerHour}`);
  });

  it('has no slope for lifetimes too short to measure', () => {
    const figures = figuresOf('video', [lifetime(8, warmsUpThenFlat)]);
    assert.equal(figures.slopeMbPerHour, undefined);
    assert.equal(figures.lifetimes, 0);
  });
});
