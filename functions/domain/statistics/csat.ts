import { histogramEntries } from './histogram';
import { LIKERT_5 } from './scale';
import { type Histogram, type Interval, isLowSample, type Scale } from './types';
import { wilson } from './wilson';

export interface CsatFigure {
  n: number;
  /** Answers in the top two points of the scale. */
  satisfied: number;
  /** satisfied / n; null when n = 0. */
  share: number | null;
  /** Wilson score interval of the share; null when n = 0. */
  ci95: Interval | null;
  lowSample: boolean;
}

/**
 * CSAT: share of answers in the top two points of the scale (4–5 on 1–5, 6–7 on 1–7), with a 95%
 * Wilson interval. The scale needs at least three points, or "top two" would be everyone.
 */
export function csat(hist: Histogram, scale: Scale = LIKERT_5): CsatFigure {
  const entries = histogramEntries(hist, scale);
  if (scale.max - scale.min < 2) throw new RangeError(`csat: scale ${scale.min}..${scale.max} has fewer than 3 points`);
  let n = 0;
  let satisfied = 0;
  for (const { value, count } of entries) {
    n += count;
    if (value >= scale.max - 1) satisfied += count;
  }
  const bounds = wilson(satisfied, n);
  return {
    n,
    satisfied,
    share: n === 0 ? null : satisfied / n,
    ci95: bounds && { ...bounds, level: 0.95 },
    lowSample: isLowSample(n),
  };
}
