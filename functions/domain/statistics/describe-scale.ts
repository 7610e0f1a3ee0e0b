import { histogramEntries } from './histogram';
import { entriesMoments } from './moments';
import { studentTQuantile } from './student-t';
import { type Histogram, type Interval, isLowSample, type Scale } from './types';

export interface DistributionPoint {
  value: number;
  count: number;
  /** count / n; null when n = 0. */
  share: number | null;
}

export interface ScaleSummary {
  n: number;
  /** Null when n = 0. */
  mean: number | null;
  /** Sample standard deviation (divisor n − 1). Null when n < 2: one answer has no spread to estimate. */
  sd: number | null;
  /** mean ± t(0.975, n−1)·sd/√n, not clipped to the scale. Null when n < 2. */
  ci95: Interval | null;
  /** Every point min..max in order, zeros included, so charts never miss a bar. */
  distribution: DistributionPoint[];
  lowSample: boolean;
}

/**
 * Mean, sample SD, t-interval and full distribution of a rating question, exactly from its
 * histogram. Throws a RangeError when a key is not an integer point of `scale` or a count is not a
 * non-negative integer.
 */
export function describeScale(hist: Histogram, scale: Scale): ScaleSummary {
  const entries = histogramEntries(hist, scale);
  const { n, mean, variance } = entriesMoments(entries);
  const counts = new Map<number, number>();
  for (const { value, count } of entries) counts.set(value, count);
  const distribution: DistributionPoint[] = [];
  for (let value = scale.min; value <= scale.max; value++) {
    const count = counts.get(value) ?? 0;
    distribution.push({ value, count, share: n === 0 ? null : count / n });
  }
  if (mean === null) return { n, mean, sd: null, ci95: null, distribution, lowSample: true };
  if (variance === null) return { n, mean, sd: null, ci95: null, distribution, lowSample: isLowSample(n) };
  const sd = Math.sqrt(variance);
  const half = (studentTQuantile(0.975, n - 1) * sd) / Math.sqrt(n);
  return {
    n,
    mean,
    sd,
    ci95: { low: mean - half, high: mean + half, level: 0.95 },
    distribution,
    lowSample: isLowSample(n),
  };
}
