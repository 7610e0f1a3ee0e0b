import { describeScale } from './describe-scale';
import { spearman } from './spearman';
import type { Histogram, JointCounts, Scale } from './types';

export interface DriverInput {
  questionId: string;
  /** Joint counts of this item (x) against the overall question (y). */
  joint: JointCounts;
  /** Histogram of this item over everyone who answered it. */
  hist: Histogram;
  /** Scale of this item. */
  scale: Scale;
  /** Scale of the overall question; when given, out-of-range overall answers are a RangeError. */
  overallScale?: Scale;
}

export interface DriverPoint {
  questionId: string;
  /** Importance: Spearman rho of the item with the overall question (null when undefined). */
  rho: number | null;
  /** Performance: mean of the item over everyone who answered it (null when nobody did). */
  mean: number | null;
  /** Responses with both the item and the overall question answered — the sample behind rho. */
  n: number;
  /** Answers to the item — the sample behind the mean (≥ n: some skip the overall question). */
  meanN: number;
  /** True when either figure rests on fewer than LOW_SAMPLE_N answers. */
  lowSample: boolean;
}

/**
 * The importance/performance quadrant: per rated item, its rank correlation with the overall
 * question beside its mean. Sorted by rho descending, undefined correlations last, ties by
 * questionId so the order is stable from one report to the next.
 */
export function drivers(items: readonly DriverInput[]): DriverPoint[] {
  const points = items.map((item): DriverPoint => {
    const correlation = spearman(item.joint, { x: item.scale, y: item.overallScale });
    const summary = describeScale(item.hist, item.scale);
    return {
      questionId: item.questionId,
      rho: correlation.rho,
      mean: summary.mean,
      n: correlation.n,
      meanN: summary.n,
      lowSample: correlation.lowSample || summary.lowSample,
    };
  });
  return points.sort((a, b) => {
    if (a.rho === null || b.rho === null) {
      if (a.rho !== b.rho) return a.rho === null ? 1 : -1;
    } else if (a.rho !== b.rho) {
      return b.rho - a.rho;
    }
    return a.questionId < b.questionId ? -1 : a.questionId > b.questionId ? 1 : 0;
  });
}
