/**
 * Independent reference implementations over RAW answer lists, written without the module's
 * histogram/count-table machinery, so property tests can check that the count-based figures are
 * exactly what a scan of the responses would have produced.
 */

export function bruteMean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample SD by two passes over the values. */
export function bruteSd(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const mean = bruteMean(values) as number;
  let squares = 0;
  for (const v of values) squares += (v - mean) * (v - mean);
  return Math.sqrt(squares / (values.length - 1));
}

/** Ranks of a raw list, tied values sharing the average of the positions they occupy (1-based). */
export function midRankList(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length).fill(0);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end++;
    const average = (start + 1 + (end + 1)) / 2;
    for (let k = start; k <= end; k++) ranks[order[k]!.i] = average;
    start = end + 1;
  }
  return ranks;
}

export function brutePearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  if (n < 2) return null;
  const mx = bruteMean(xs) as number;
  const my = bruteMean(ys) as number;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

export function bruteSpearman(pairs: readonly (readonly [number, number])[]): number | null {
  return brutePearson(midRankList(pairs.map((p) => p[0])), midRankList(pairs.map((p) => p[1])));
}

export function bruteNps(values: readonly number[]): {
  promoters: number;
  passives: number;
  detractors: number;
  nps: number | null;
} {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  for (const v of values) {
    if (v === 9 || v === 10) promoters++;
    else if (v === 7 || v === 8) passives++;
    else detractors++;
  }
  const n = values.length;
  return { promoters, passives, detractors, nps: n === 0 ? null : (100 * (promoters - detractors)) / n };
}

/** Wilson score interval written out from the textbook formula. */
export function bruteWilson(k: number, n: number): { low: number; high: number } {
  const z = 1.959963984540054;
  const p = k / n;
  const centre = p + (z * z) / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p) + (z * z) / (4 * n)) / n);
  const denominator = 1 + (z * z) / n;
  return { low: (centre - spread) / denominator, high: (centre + spread) / denominator };
}
