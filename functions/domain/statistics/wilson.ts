import { Z_95 } from './types';

/**
 * Wilson score interval for a binomial proportion:
 *   centre = (p̂ + z²/2n) / (1 + z²/n),  half = z·√(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n).
 * Unlike p̂ ± z·√(p̂(1−p̂)/n) it stays inside [0, 1] and does not collapse to a point at 0 or n
 * successes, which matters for the small samples survey segments produce.
 * Returns null when n = 0 (no proportion to estimate); throws on impossible counts.
 */
export function wilson(successes: number, n: number, z: number = Z_95): { low: number; high: number } | null {
  if (!Number.isSafeInteger(n) || n < 0 || !Number.isSafeInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`wilson: need integers 0 ≤ successes (${successes}) ≤ n (${n})`);
  }
  if (!(z > 0) || !Number.isFinite(z)) throw new RangeError(`wilson: z = ${z} must be positive`);
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return {
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === n ? 1 : Math.min(1, centre + half),
  };
}
