import { assertScale } from './scale';
import type { Histogram, Scale } from './types';

/** One scale point of a validated histogram. */
export interface HistogramEntry {
  value: number;
  count: number;
}

const INTEGER_KEY = /^(0|-?[1-9][0-9]*)$/;

/** Parses a canonical integer key ("7", "-2"); anything else ("07", "3.5", "", " 1") is a data bug. */
export function parsePointKey(key: string, where: string): number {
  const value = Number(key);
  if (!INTEGER_KEY.test(key) || !Number.isSafeInteger(value)) {
    throw new RangeError(`${where}: key ${JSON.stringify(key)} is not an integer scale point`);
  }
  return value;
}

export function assertCount(count: unknown, where: string): asserts count is number {
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`${where}: count ${String(count)} is not a non-negative integer`);
  }
}

/**
 * Validates a histogram and returns its entries sorted by value. Throws a RangeError on a
 * non-integer key, a negative or fractional count, or (when a scale is given) a point outside the
 * scale: silently dropping such keys would hide an aggregator or schema bug behind a wrong figure.
 */
export function histogramEntries(hist: Histogram, scale?: Scale): HistogramEntry[] {
  if (scale) assertScale(scale);
  const entries: HistogramEntry[] = [];
  for (const [key, count] of Object.entries(hist)) {
    const value = parsePointKey(key, 'histogram');
    assertCount(count, `histogram[${key}]`);
    if (scale && (value < scale.min || value > scale.max)) {
      throw new RangeError(`histogram: point ${value} is outside the scale ${scale.min}..${scale.max}`);
    }
    entries.push({ value, count });
  }
  return entries.sort((a, b) => a.value - b.value);
}

/** Total number of answers. */
export function histogramTotal(hist: Histogram, scale?: Scale): number {
  return histogramEntries(hist, scale).reduce((n, e) => n + e.count, 0);
}

/** Sum of two histograms (e.g. two days, two segments); the inputs are not modified. */
export function mergeHistograms(a: Histogram, b: Histogram): Histogram {
  const out: Histogram = {};
  for (const { value, count } of [...histogramEntries(a), ...histogramEntries(b)]) {
    const key = String(value);
    out[key] = (out[key] ?? 0) + count;
  }
  return out;
}

/** Histogram of raw answers; every answer must be an integer. */
export function histogramFromValues(values: readonly number[]): Histogram {
  const out: Histogram = {};
  for (const v of values) {
    if (!Number.isSafeInteger(v)) throw new RangeError(`answer ${v} is not an integer scale point`);
    const key = String(v);
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}
