import { type JointScales, jointCells } from './joint-counts';
import { isLowSample, type JointCounts } from './types';

export interface SpearmanFigure {
  /** Number of responses that answered both questions. */
  n: number;
  /** Null when n < 2 or either answer never varies (a correlation is undefined then). */
  rho: number | null;
  lowSample: boolean;
}

/**
 * Mid-rank of each distinct value given its marginal counts: the (count + 1)/2-th of the `count`
 * tied positions after the `below` smaller observations — what ranking the raw list with ties
 * averaged would give every one of them.
 */
function midRanks(marginal: Map<number, number>): Map<number, number> {
  const ranks = new Map<number, number>();
  let below = 0;
  for (const value of [...marginal.keys()].sort((a, b) => a - b)) {
    const count = marginal.get(value) ?? 0;
    ranks.set(value, below + (count + 1) / 2);
    below += count;
  }
  return ranks;
}

/**
 * Spearman's rank correlation with mid-ranks for ties, exactly from a joint count table: the
 * Pearson correlation of (rank x, rank y) with every cell weighted by its count. Mid-ranks of n
 * observations always average (n + 1)/2, so the deviations are exact half-integers.
 * `scales`, when given, makes out-of-range keys a RangeError like any other malformed key.
 */
export function spearman(joint: JointCounts, scales: JointScales = {}): SpearmanFigure {
  const cells = jointCells(joint, scales).filter((c) => c.count > 0);
  const xMarginal = new Map<number, number>();
  const yMarginal = new Map<number, number>();
  let n = 0;
  for (const { x, y, count } of cells) {
    n += count;
    xMarginal.set(x, (xMarginal.get(x) ?? 0) + count);
    yMarginal.set(y, (yMarginal.get(y) ?? 0) + count);
  }
  if (n < 2) return { n, rho: null, lowSample: isLowSample(n) };
  const centre = (n + 1) / 2;
  const xRank = midRanks(xMarginal);
  const yRank = midRanks(yMarginal);
  const deviation = (ranks: Map<number, number>, v: number): number => (ranks.get(v) ?? centre) - centre;
  let sxx = 0;
  let syy = 0;
  for (const [x, count] of xMarginal) sxx += count * deviation(xRank, x) ** 2;
  for (const [y, count] of yMarginal) syy += count * deviation(yRank, y) ** 2;
  if (sxx === 0 || syy === 0) return { n, rho: null, lowSample: isLowSample(n) };
  let sxy = 0;
  for (const { x, y, count } of cells) sxy += count * deviation(xRank, x) * deviation(yRank, y);
  const rho = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  return { n, rho, lowSample: isLowSample(n) };
}
