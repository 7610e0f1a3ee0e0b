import { bucketDays } from '../statistics';
import type { AlertThresholds } from './alert-thresholds-schema';

/** Inclusive range of UTC days 'YYYY-MM-DD', as aggregates are keyed. */
export interface DayRange {
  from: string;
  to: string;
}

export interface AlertWindows {
  current: DayRange;
  baseline: DayRange;
}

const DAY_MS = 86_400_000;

function shift(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The two windows compared on `lastDay`: the current window is the `currentDays` days ending with
 * it, the baseline the `baselineDays` days just before (defaults: the last 7 days against the 28
 * before them). Adjacent and disjoint, so no answer counts in both and the two samples are
 * independent, as every test here assumes. The caller reads the daily aggregates of
 * `baseline.from`..`current.to` once and folds them into the two windows' histograms.
 */
export function alertWindows(
  lastDay: string,
  thresholds: Pick<AlertThresholds, 'currentDays' | 'baselineDays'>,
): AlertWindows {
  bucketDays(lastDay, lastDay, 'day'); // throws a RangeError unless lastDay is a calendar date
  for (const [name, days] of [
    ['currentDays', thresholds.currentDays],
    ['baselineDays', thresholds.baselineDays],
  ] as const) {
    if (!Number.isSafeInteger(days) || days < 1)
      throw new RangeError(`alertWindows: ${name} = ${days} is not a positive integer`);
  }
  const currentFrom = shift(lastDay, -(thresholds.currentDays - 1));
  const baselineTo = shift(currentFrom, -1);
  return {
    current: { from: currentFrom, to: lastDay },
    baseline: { from: shift(baselineTo, -(thresholds.baselineDays - 1)), to: baselineTo },
  };
}
