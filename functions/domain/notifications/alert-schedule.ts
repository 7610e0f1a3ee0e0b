/**
 * When a survey's alerts are evaluated. docs/alerts.md recommends evaluating once per current window
 * (daily evaluation of sliding windows looks at a chance dip seven times and alerts about four times
 * as often over a year). So the evaluated day is the latest complete UTC day whose day number is a
 * multiple of `currentDays`: consecutive evaluations look at disjoint current windows. A run that
 * was missed is caught up by the next one, since the state remembers the last day evaluated.
 */
const DAY_MS = 86_400_000;

export function epochDay(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

export function dayOfEpoch(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** The last complete UTC day at `now` (aggregates are keyed by UTC day). */
export function lastCompleteDay(now: Date): string {
  return dayOfEpoch(Math.floor(now.getTime() / DAY_MS) - 1);
}

/** The day the next evaluation at `now` judges: the latest complete day d with epochDay(d) % currentDays = 0. */
export function dueEvaluationDay(now: Date, currentDays: number): string {
  const last = epochDay(lastCompleteDay(now));
  return dayOfEpoch(last - (((last % currentDays) + currentDays) % currentDays));
}

export function shiftDay(day: string, days: number): string {
  return dayOfEpoch(epochDay(day) + days);
}
