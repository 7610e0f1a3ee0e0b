import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalCdf } from '../../../../functions/domain/statistics/normal-cdf';
import { normalQuantile } from '../../../../functions/domain/statistics/normal-quantile';
import { regularizedGammaQ } from '../../../../functions/domain/statistics/special-functions';

describe('regularizedGammaQ', () => {
  it('is e^−x for a = 1, on both sides of the series/continued-fraction switch at x = a + 1', () => {
    for (const x of [0.1, 1, 1.99, 2, 2.01, 5, 30, 300]) {
      expect(regularizedGammaQ(1, x) / Math.exp(-x)).toBeCloseTo(1, 13);
    }
  });

  it('is the Poisson tail for integer a: Q(3, x) = e^−x (1 + x + x²/2)', () => {
    // For integer n, Q(n, x) = e^−x Σ_{k<n} x^k/k!: the chance of fewer than n Poisson(x) events.
    for (const x of [0.5, 2, 3.99, 4, 10, 50]) {
      expect(regularizedGammaQ(3, x) / (Math.exp(-x) * (1 + x + (x * x) / 2))).toBeCloseTo(1, 12);
    }
  });

  it('has its limits and refuses impossible arguments', () => {
    expect(regularizedGammaQ(0.5, 0)).toBe(1);
    expect(regularizedGammaQ(0.5, Infinity)).toBe(0);
    for (const [a, x] of [
      [0, 1],
      [-1, 1],
      [Infinity, 1],
      [1, -1],
      [1, Number.NaN],
    ] as const) {
      expect(() => regularizedGammaQ(a, x)).toThrow(RangeError);
    }
  });
});

describe('normalCdf', () => {
  // Tail values Q(z) = Φ(−z) as R's pnorm(−z) prints them (the function tabulated in Abramowitz &
  // Stegun, Handbook of Mathematical Functions, chapter 26).
  const tails: [number, number][] = [
    [1, 0.158655253931457],
    [3, 1.34989803163009e-3],
    [5, 2.86651571879194e-7],
    [10, 7.61985302416047e-24],
    [20, 2.75362411860623e-89],
  ];
  it.each(tails)('Φ(−%s) = %s to 1e-12 relative', (z, q) => {
    expect(Math.abs(normalCdf(-z) / q - 1)).toBeLessThan(1e-12);
    expect(normalCdf(z)).toBeCloseTo(1 - q, 14);
  });

  it('gives 0.5 at 0, 0.975 at z₀.₉₇₅, and its limits at ±∞', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 15);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(() => normalCdf(Number.NaN)).toThrow(RangeError);
  });

  it('inverts the AS 241 quantile to 1e-11 relative, deep into the tail', () => {
    fc.assert(
      fc.property(fc.double({ min: -300, max: -0.0001, noNaN: true }), (log10p) => {
        const p = 10 ** log10p;
        expect(Math.abs(normalCdf(normalQuantile(p)) / p - 1)).toBeLessThan(1e-11);
      }),
    );
  });

  it('is symmetric: Φ(−z) + Φ(z) = 1', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 8, noNaN: true }), (z) => {
        expect(normalCdf(-z) + normalCdf(z)).toBeCloseTo(1, 15);
      }),
    );
  });
});
