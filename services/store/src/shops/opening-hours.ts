/**
 * Weekly opening hours: a list of rules, each "on these ISO weekdays (1 = Monday … 7 = Sunday),
 * from `opens` to `closes`" in the station's time zone. A shop open past midnight is written as
 * two rules (…-24:00 and 00:00-…). No rule at all means never open.
 */
export interface OpeningHoursRule {
  days: number[];
  opens: string;
  closes: string;
}

export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** ISO weekday and minute of the day of `at` on the wall clock of `timeZone`. */
export function wallClock(at: Date, timeZone: string): { weekday: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { weekday: WEEKDAY[part('weekday')], minute: Number(part('hour')) * 60 + Number(part('minute')) };
}

/** True when some rule covers `at` (opens inclusive, closes exclusive). */
export function isOpenAt(rules: OpeningHoursRule[], at: Date, timeZone: string): boolean {
  const { weekday, minute } = wallClock(at, timeZone);
  return rules.some((rule) => rule.days.includes(weekday) && minutesOf(rule.opens) <= minute && minute < minutesOf(rule.closes));
}

/** Why a rule is unusable, or undefined when it is fine (checked on input, so stored hours are sane). */
export function ruleProblem(rule: OpeningHoursRule): string | undefined {
  if (minutesOf(rule.closes) <= minutesOf(rule.opens)) return `closes (${rule.closes}) must be after opens (${rule.opens}); split overnight hours into two rules`;
  return undefined;
}
