import { regularizedGammaQ } from './special-functions';

/**
 * Standard-normal distribution function Φ(z) = P(Z ≤ z), from the incomplete gamma function:
 * Φ(−|z|) = erfc(|z|/√2)/2 and erfc(x) = Q(½, x²) (Abramowitz & Stegun, Handbook of Mathematical
 * Functions, chapters 26 and 6). The tail is computed directly, never as 1 − something, so one-sided
 * p-values far below 1e-16 keep their relative accuracy.
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) throw new RangeError('normalCdf: z is NaN');
  const tail = 0.5 * regularizedGammaQ(0.5, (z * z) / 2);
  return z <= 0 ? tail : 1 - tail;
}
