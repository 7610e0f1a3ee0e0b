import { normalQuantile } from './normal-quantile';
import { logGamma, regularizedIncompleteBeta } from './special-functions';

/**
 * Above this many degrees of freedom the Cornish–Fisher expansion of the t quantile around the
 * normal one (terms to ν⁻⁴) is exact to double precision for any practical p, and much cheaper than
 * inverting the incomplete beta, whose continued fraction needs O(√ν) terms.
 */
const CORNISH_FISHER_DF = 1e5;

function assertDf(df: number): void {
  if (!(df > 0) || Number.isNaN(df)) throw new RangeError(`degrees of freedom ${df} must be positive`);
}

/** P(T > t) for t ≥ 0. */
function upperTail(t: number, df: number): number {
  const t2 = t * t;
  return 0.5 * regularizedIncompleteBeta(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
}

function density(t: number, df: number): number {
  const lnC = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(lnC - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/** Student-t cumulative distribution P(T ≤ t) with `df` (finite, > 0) degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  assertDf(df);
  if (!Number.isFinite(df)) throw new RangeError('studentTCdf needs finite degrees of freedom');
  if (Number.isNaN(t)) throw new RangeError('t is NaN');
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = upperTail(Math.abs(t), df);
  return t >= 0 ? 1 - tail : tail;
}

/** Cornish–Fisher expansion: the t quantile from the normal quantile z (Hill 1970, eq. for large ν). */
function cornishFisher(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
}

/**
 * Solves P(T > t) = q for t ≥ 0 (q ≤ 0.5): Newton's method on ln P(T > t), which is nearly linear in
 * the heavy tails, kept inside a bracket and falling back to bisection whenever a step leaves it.
 */
function invertUpperTail(q: number, df: number): number {
  let lo = 0;
  let hi = Infinity;
  const start = cornishFisher(-normalQuantile(q), df);
  let t = Number.isFinite(start) && start > 0 ? start : 1;
  const lnQ = Math.log(q);
  for (let i = 0; i < 500; i++) {
    const s = upperTail(t, df);
    if (s === q) return t;
    if (s > q) lo = t;
    else hi = t;
    const f = density(t, df);
    let next = s > 0 && f > 0 ? t + ((Math.log(s) - lnQ) * s) / f : NaN;
    if (!(next > lo && next < hi)) next = Number.isFinite(hi) ? lo + (hi - lo) / 2 : 2 * Math.max(t, 1);
    if (Math.abs(next - t) <= 2 * Number.EPSILON * next) return next;
    if (Number.isFinite(hi) && hi - lo <= 2 * Number.EPSILON * hi) return lo + (hi - lo) / 2;
    t = next;
  }
  return t;
}

/**
 * Quantile of Student's t distribution: the t with P(T ≤ t) = p, for 0 < p < 1 and df > 0
 * (df = Infinity gives the normal quantile). Closed forms for df = 1 and 2; the Cornish–Fisher
 * expansion above 1e5 degrees of freedom; otherwise a safeguarded Newton inversion of the CDF,
 * which is computed from the continued-fraction incomplete beta. Accurate to ~1e-12 relative.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability ${p} is not in (0, 1)`);
  assertDf(df);
  if (p === 0.5) return 0;
  const upper = p > 0.5;
  const q = upper ? 1 - p : p; // upper-tail probability of |t|
  let t: number;
  if (df === Infinity) t = -normalQuantile(q);
  else if (df === 1) t = 1 / Math.tan(Math.PI * q);
  else if (df === 2) t = (1 - 2 * q) / Math.sqrt(2 * q * (1 - q));
  else if (df > CORNISH_FISHER_DF) t = cornishFisher(-normalQuantile(q), df);
  else t = invertUpperTail(q, df);
  return upper ? t : -t;
}
