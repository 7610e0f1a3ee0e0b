import { normalCdf } from './normal-cdf';
import { Z_95 } from './types';
import { wilson } from './wilson';

/** Successes out of n: one binomial sample. */
export interface BinomialCount {
  successes: number;
  n: number;
}

/**
 * Newcombe's hybrid score interval for the difference of two independent proportions π₁ − π₂
 * (Newcombe, R. G. (1998) "Interval estimation for the difference between independent proportions:
 * comparison of eleven methods", Statistics in Medicine 17, 873–890, method 10). With (l₁, u₁) and
 * (l₂, u₂) the Wilson score intervals of p₁ = x₁/n₁ and p₂ = x₂/n₂:
 *   low  = (p₁ − p₂) − √((p₁ − l₁)² + (u₂ − p₂)²)
 *   high = (p₁ − p₂) + √((u₁ − p₁)² + (p₂ − l₂)²).
 * It inherits Wilson's good coverage at small n and near 0 or 1, where the Wald interval
 * (p₁ − p₂) ± z·√(p₁q₁/n₁ + p₂q₂/n₂) undercovers or collapses to a point; it stays inside [−1, 1].
 * Null when either sample is empty. `z` sets the level (default 95% two-sided).
 */
export function newcombeInterval(
  a: BinomialCount,
  b: BinomialCount,
  z: number = Z_95,
): { low: number; high: number } | null {
  const wa = wilson(a.successes, a.n, z);
  const wb = wilson(b.successes, b.n, z);
  if (!wa || !wb) return null;
  const pa = a.successes / a.n;
  const pb = b.successes / b.n;
  const difference = pa - pb;
  return {
    low: difference - Math.hypot(pa - wa.low, wb.high - pb),
    high: difference + Math.hypot(wa.high - pa, pb - wb.low),
  };
}

/** Beyond this z the one-sided tail Φ(−z) is below the smallest positive double (≈ 4.9e-324). */
const Z_UNDERFLOW = 38.5;

/**
 * The z > 0 at which `gap(z)` reaches 0, for a gap that is negative at z = 0 and grows with z (the
 * Wilson limits move outward as z grows, so the Newcombe limit moves away from the estimate).
 * `guess` (the Wald z) brackets the root in a step or two; the Illinois variant of regula falsi
 * then converges superlinearly, keeping the bracket, so it cannot diverge. Infinity when the root
 * lies beyond Z_UNDERFLOW, where the p-value is 0 in double precision anyway.
 */
function crossing(gap: (z: number) => number, guess: number): number {
  let lo = 0;
  let fLo = gap(0);
  let hi = Math.min(Math.max(guess, 0.5), Z_UNDERFLOW);
  let fHi = gap(hi);
  while (fHi < 0) {
    if (hi >= Z_UNDERFLOW) return Infinity;
    lo = hi;
    fLo = fHi;
    hi = Math.min(2 * hi, Z_UNDERFLOW);
    fHi = gap(hi);
  }
  let side = 0;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const z = hi - (fHi * (hi - lo)) / (fHi - fLo);
    const f = gap(z);
    if (f === 0) return z;
    if (f < 0) {
      lo = z;
      fLo = f;
      if (side === -1) fHi /= 2;
      side = -1;
    } else {
      hi = z;
      fHi = f;
      if (side === 1) fLo /= 2;
      side = 1;
    }
  }
  return (lo + hi) / 2;
}

/**
 * One-sided p-value for "π₁ < π₂" (H₀: π₁ ≥ π₂) that agrees exactly with Newcombe's interval: the
 * one-sided level at which the interval's upper limit reaches zero. For p₁ < p₂ that is Φ(−z*) where
 * high(z*) = 0, so p < 0.025 exactly when the 95% interval lies entirely below zero; for p₁ > p₂ it
 * is 1 − Φ(−z*) with low(z*) = 0; 0.5 when p₁ = p₂. Null when either sample is empty. A test that
 * inverts the interval it is reported with cannot contradict it, which a separate z-test could.
 */
export function newcombeLessPValue(a: BinomialCount, b: BinomialCount): number | null {
  if (!newcombeInterval(a, b)) return null;
  const limitsAt = (z: number) => {
    // z = 0 is the point estimate itself; wilson() wants z > 0.
    const limits = newcombeInterval(a, b, Math.max(z, Number.MIN_VALUE));
    if (!limits) throw new RangeError('newcombeLessPValue: empty sample');
    return limits;
  };
  const pa = a.successes / a.n;
  const pb = b.successes / b.n;
  const difference = pa - pb;
  if (difference === 0) return 0.5;
  const wald = Math.abs(difference) / Math.sqrt((pa * (1 - pa)) / a.n + (pb * (1 - pb)) / b.n);
  const guess = Number.isFinite(wald) ? wald : 1;
  if (difference < 0) return normalCdf(-crossing((z) => limitsAt(z).high, guess));
  return 1 - normalCdf(-crossing((z) => -limitsAt(z).low, guess));
}
