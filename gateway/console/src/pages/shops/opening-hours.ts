import type { OpeningHoursRule } from './shops-queries';

/** ISO weekdays as the store counts them: 1 = Monday … 7 = Sunday. */
export const WEEKDAYS = [
  { value: 1, short: 'Mon', long: 'Monday' },
  { value: 2, short: 'Tue', long: 'Tuesday' },
  { value: 3, short: 'Wed', long: 'Wednesday' },
  { value: 4, short: 'Thu', long: 'Thursday' },
  { value: 5, short: 'Fri', long: 'Friday' },
  { value: 6, short: 'Sat', long: 'Saturday' },
  { value: 7, short: 'Sun', long: 'Sunday' },
] as const;

/** The store's own rule (services/store opening-hours.ts): HH:MM, or 24:00 for midnight as a closing time. */
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

const minutesOf = (time: string) => {
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
};

/** What is wrong with each rule, keyed like the API's field errors (`opening_hours.0.closes`); empty when all are fine. */
export function hoursProblems(rules: OpeningHoursRule[]): Record<string, string> {
  const problems: Record<string, string> = {};
  rules.forEach((rule, index) => {
    const at = `opening_hours.${index}`;
    if (rule.days.length === 0) problems[`${at}.days`] = 'Pick at least one day';
    if (!TIME_OF_DAY.test(rule.opens) || rule.opens === '24:00') problems[`${at}.opens`] = 'Opens must be HH:MM, e.g. 07:00';
    if (!TIME_OF_DAY.test(rule.closes)) problems[`${at}.closes`] = 'Closes must be HH:MM, e.g. 21:00 (24:00 for midnight)';
    else if (!problems[`${at}.opens`] && minutesOf(rule.closes) <= minutesOf(rule.opens)) {
      problems[`${at}.closes`] = 'Must be after the opening time; split overnight hours into two rules (…–24:00 and 00:00–…)';
    }
  });
  return problems;
}

/** "Mon–Fri" for consecutive days, "Mon, Wed, Sat" otherwise. */
export function dayRange(days: number[]): string {
  const sorted = [...days].sort((a, b) => a - b);
  const runs: number[][] = [];
  for (const day of sorted) {
    const run = runs[runs.length - 1];
    if (run && run[run.length - 1] === day - 1) run.push(day);
    else runs.push([day]);
  }
  const name = (day: number) => WEEKDAYS[day - 1].short;
  return runs.map((run) => (run.length > 2 ? `${name(run[0])}–${name(run[run.length - 1])}` : run.map(name).join(', '))).join(', ');
}

/** One line per rule: "Mon–Fri 07:00–21:00". */
export const describeHours = (rules: OpeningHoursRule[]): string[] => rules.map((rule) => `${dayRange(rule.days)} ${rule.opens}–${rule.closes}`);

/** The weekday and time on the wall clock of `timeZone` now ("Tue 14:05"), to help reading the hours. */
export function wallClockNow(timeZone: string, now = new Date()): string {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);
  } catch {
    return '';
  }
}
