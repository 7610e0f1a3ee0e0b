/**
 * Shapes shared by the statistics module. Reports are computed from the counters the stream
 * aggregator keeps, never from raw responses, so every input here is a table of counts.
 */

/**
 * Count of answers per scale point, keyed by the integer point written in canonical decimal
 * ("1".."5", "0".."10"). Counts are non-negative integers. Points nobody chose may be absent.
 */
export type Histogram = Record<string, number>;

/**
 * Joint count table of a rated item against the survey's overall question, keyed `"x|y"` (item
 * value x, overall value y), value = number of responses that gave both answers.
 */
export type JointCounts = Record<string, number>;

/** Inclusive integer range of a rating question, e.g. `{ min: 1, max: 5 }`. */
export interface Scale {
  readonly min: number;
  readonly max: number;
}

/** Two-sided 95% confidence interval. */
export interface Interval {
  low: number;
  high: number;
  level: 0.95;
}

/** Below this many answers a figure is flagged so that readers do not over-interpret it. */
export const LOW_SAMPLE_N = 30;

/** Standard-normal 97.5% quantile, the z of every 95% normal-approximation interval here. */
export const Z_95 = 1.959963984540054;

export function isLowSample(n: number): boolean {
  return n < LOW_SAMPLE_N;
}
