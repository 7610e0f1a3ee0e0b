import { type HistogramEntry, histogramEntries } from './histogram';
import type { Histogram, Scale } from './types';

/** What a two-sample comparison of means needs from each sample. */
export interface SampleMoments {
  n: number;
  mean: number;
  /** Sample variance, divisor n − 1. */
  variance: number;
}

/**
 * n, mean and sample variance (divisor n − 1) of validated histogram entries; mean null when n = 0,
 * variance null when n < 2 (one answer has no spread to estimate). Two passes (mean first, then
 * squared deviations) rather than Σx² − n·mean², which cancels badly.
 */
export function entriesMoments(entries: readonly HistogramEntry[]): {
  n: number;
  mean: number | null;
  variance: number | null;
} {
  let n = 0;
  let sum = 0;
  for (const { value, count } of entries) {
    n += count;
    sum += value * count;
  }
  if (n === 0) return { n, mean: null, variance: null };
  const mean = sum / n;
  if (n < 2) return { n, mean, variance: null };
  let squares = 0;
  for (const { value, count } of entries) squares += count * (value - mean) ** 2;
  return { n, mean, variance: squares / (n - 1) };
}

/**
 * `entriesMoments` of a rating histogram. Much cheaper than `describeScale` (no t quantile), which
 * matters to a detector that runs dozens of tests per survey.
 */
export function histogramMoments(hist: Histogram, scale: Scale): ReturnType<typeof entriesMoments> {
  return entriesMoments(histogramEntries(hist, scale));
}
