import type { SampleMoments } from './moments';
import { studentTCdf, studentTQuantile } from './student-t';
import type { Interval } from './types';

export interface WelchComparison {
  /** mean₁ − mean₂. */
  difference: number;
  /** √(s₁²/n₁ + s₂²/n₂). */
  standardError: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** difference / standardError (±Infinity when the standard error is 0 and the means differ). */
  t: number;
  /** One-sided p-value for "μ₁ < μ₂" (H₀: μ₁ ≥ μ₂): P(T ≤ t) on df degrees of freedom. */
  lessPValue: number;
  /** difference ± t(0.975, df)·standardError. */
  ci95: Interval;
}

function assertMoments(s: SampleMoments, name: string): void {
  if (!Number.isSafeInteger(s.n) || s.n < 2) throw new RangeError(`welch: ${name}.n = ${s.n} must be an integer ≥ 2`);
  if (!Number.isFinite(s.mean)) throw new RangeError(`welch: ${name}.mean = ${s.mean} is not finite`);
  if (!(s.variance >= 0) || !Number.isFinite(s.variance)) {
    throw new RangeError(`welch: ${name}.variance = ${s.variance} must be finite and ≥ 0`);
  }
}

/**
 * Welch's unequal-variance t-test and interval for μ₁ − μ₂ (Welch, B. L. (1947) "The generalization
 * of 'Student's' problem when several different population variances are involved", Biometrika 34,
 * 28–35), with the Welch–Satterthwaite degrees of freedom (Satterthwaite, F. E. (1946) Biometrics
 * Bulletin 2, 110–114):
 *   se² = s₁²/n₁ + s₂²/n₂,  t = (x̄₁ − x̄₂)/se,  ν = se⁴ / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1)).
 * Unlike Student's pooled test it stays valid when the two windows differ in size and in spread,
 * which a 7-day window against a 28-day baseline always does. Both samples need n ≥ 2.
 *
 * When both variances are 0 (every answer in each window the same) there is no spread to estimate:
 * the difference is then taken at face value (p = 0 or 1, or 0.5 when the means are equal) and ν is
 * the pooled n₁ + n₂ − 2, the limit of ν when the variances are equal.
 */
export function welch(a: SampleMoments, b: SampleMoments): WelchComparison {
  assertMoments(a, 'a');
  assertMoments(b, 'b');
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const variance = va + vb;
  const difference = a.mean - b.mean;
  const standardError = Math.sqrt(variance);
  if (variance === 0) {
    const t = difference === 0 ? 0 : difference < 0 ? -Infinity : Infinity;
    return {
      difference,
      standardError,
      df: a.n + b.n - 2,
      t,
      lessPValue: difference === 0 ? 0.5 : difference < 0 ? 0 : 1,
      ci95: { low: difference, high: difference, level: 0.95 },
    };
  }
  const df = (variance * variance) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const t = difference / standardError;
  const half = studentTQuantile(0.975, df) * standardError;
  return {
    difference,
    standardError,
    df,
    t,
    lessPValue: studentTCdf(t, df),
    ci95: { low: difference - half, high: difference + half, level: 0.95 },
  };
}
