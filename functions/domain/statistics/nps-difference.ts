import { normalCdf } from './normal-cdf';
import { npsVariance } from './nps';
import { type Interval, Z_95 } from './types';

/** What the comparison needs of one window's NPS answers (an `NpsFigure` has these fields). */
export interface NpsCounts {
  promoters: number;
  detractors: number;
  n: number;
}

export interface NpsDifference {
  /** NPS₁ − NPS₂ in NPS points (each NPS in [−100, 100], so the difference is in [−200, 200]). */
  difference: number;
  /** √(v₁ + v₂)·100, with vᵢ the per-window variance the report's NPS interval uses. */
  standardError: number;
  /** difference / standardError (±Infinity when the standard error is 0 and the scores differ). */
  z: number;
  /** One-sided p-value for "NPS₁ < NPS₂": Φ(z). */
  lessPValue: number;
  /** difference ± z₀.₉₇₅·standardError, clamped to [−200, 200]. */
  ci95: Interval;
}

function assertCounts(c: NpsCounts, name: string): void {
  const ok =
    Number.isSafeInteger(c.n) &&
    Number.isSafeInteger(c.promoters) &&
    Number.isSafeInteger(c.detractors) &&
    c.n > 0 &&
    c.promoters >= 0 &&
    c.detractors >= 0 &&
    c.promoters + c.detractors <= c.n;
  if (!ok) throw new RangeError(`npsDifference: ${name} = ${JSON.stringify(c)} is not a set of NPS counts with n > 0`);
}

/**
 * Difference of two independent Net Promoter Scores with a normal (Wald) test and interval. Each
 * answer scores +1 (promoter), 0 or −1 (detractor); NPS/100 is the mean score, whose variance in one
 * window is (p + d − (p − d)²)/n (the multinomial variance of that score, as in `npsVariance`), so
 * the difference of two independent windows has variance v₁ + v₂ and
 *   z = (NPS₁ − NPS₂) / (100·√(v₁ + v₂)),  one-sided p = Φ(z).
 * When both windows have zero variance (each all in one group), the difference is taken at face value.
 */
export function npsDifference(a: NpsCounts, b: NpsCounts): NpsDifference {
  assertCounts(a, 'a');
  assertCounts(b, 'b');
  const pa = a.promoters / a.n;
  const da = a.detractors / a.n;
  const pb = b.promoters / b.n;
  const db = b.detractors / b.n;
  const difference = 100 * (pa - da - (pb - db));
  const standardError = 100 * Math.sqrt(npsVariance(pa, da, a.n) + npsVariance(pb, db, b.n));
  if (standardError === 0) {
    return {
      difference,
      standardError,
      z: difference === 0 ? 0 : difference < 0 ? -Infinity : Infinity,
      lessPValue: difference === 0 ? 0.5 : difference < 0 ? 0 : 1,
      ci95: { low: difference, high: difference, level: 0.95 },
    };
  }
  const z = difference / standardError;
  const half = Z_95 * standardError;
  return {
    difference,
    standardError,
    z,
    lessPValue: normalCdf(z),
    ci95: { low: Math.max(-200, difference - half), high: Math.min(200, difference + half), level: 0.95 },
  };
}
