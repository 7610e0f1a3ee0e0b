import { histogramEntries } from './histogram';
import { NPS_11 } from './scale';
import { type Histogram, type Interval, isLowSample, Z_95 } from './types';

export interface NpsFigure {
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** promoters / n; null when n = 0 (likewise the other shares). */
  promoterShare: number | null;
  passiveShare: number | null;
  detractorShare: number | null;
  /** 100·(p − d), in [−100, 100]; null when n = 0. */
  nps: number | null;
  /** nps ± z·√((p + d − (p − d)²)/n)·100, clamped to [−100, 100]; null when n = 0. */
  ci95: Interval | null;
  lowSample: boolean;
}

/**
 * Variance of the estimated p − d (NPS / 100) from n answers with promoter share p and detractor
 * share d: each answer scores +1, 0 or −1, whose variance is p + d − (p − d)², divided by n. Clamped
 * at 0 against rounding when every answer is in one group. The report's interval and the alerts'
 * comparison of two windows both use it, so they cannot disagree.
 */
export function npsVariance(promoterShare: number, detractorShare: number, n: number): number {
  return Math.max(0, (promoterShare + detractorShare - (promoterShare - detractorShare) ** 2) / n);
}

/**
 * Net Promoter Score of a 0–10 histogram: promoters 9–10, passives 7–8, detractors 0–6. The interval
 * uses the variance of the per-answer score (+1, 0, −1): p + d − (p − d)². Respondents who skipped
 * the question are simply not in the histogram, hence not in n.
 */
export function nps(hist: Histogram): NpsFigure {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  for (const { value, count } of histogramEntries(hist, NPS_11)) {
    if (value >= 9) promoters += count;
    else if (value >= 7) passives += count;
    else detractors += count;
  }
  const n = promoters + passives + detractors;
  if (n === 0) {
    return {
      n,
      promoters,
      passives,
      detractors,
      promoterShare: null,
      passiveShare: null,
      detractorShare: null,
      nps: null,
      ci95: null,
      lowSample: true,
    };
  }
  const p = promoters / n;
  const d = detractors / n;
  const score = 100 * (p - d);
  const half = Z_95 * Math.sqrt(npsVariance(p, d, n)) * 100;
  return {
    n,
    promoters,
    passives,
    detractors,
    promoterShare: p,
    passiveShare: passives / n,
    detractorShare: d,
    nps: score,
    ci95: { low: Math.max(-100, score - half), high: Math.min(100, score + half), level: 0.95 },
    lowSample: isLowSample(n),
  };
}
