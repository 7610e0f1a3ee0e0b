import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newcombeInterval, newcombeLessPValue } from '../../../../functions/domain/statistics/newcombe';
import { normalCdf } from '../../../../functions/domain/statistics/normal-cdf';
import { normalQuantile } from '../../../../functions/domain/statistics/normal-quantile';

const count = (successes: number, n: number) => ({ successes, n });

describe('newcombeInterval (hybrid score, method 10)', () => {
  // Newcombe (1998), Statistics in Medicine 17:873–890, table II, method 10, 95% limits for
  // p₁ − p₂ in the paper's worked examples (a), (b) and (d)–(h).
  const table: [number, number, number, number, number, number][] = [
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [0, 10, 0, 10, -0.2775, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
    [10, 10, 0, 10, 0.6075, 1],
  ];
  it.each(table)('%i/%i − %i/%i: [%s, %s] to 4 decimals', (x1, n1, x2, n2, low, high) => {
    const ci = newcombeInterval(count(x1, n1), count(x2, n2))!;
    expect(ci.low).toBeCloseTo(low, 4);
    expect(ci.high).toBeCloseTo(high, 4);
  });

  it('is null for an empty sample and refuses impossible counts', () => {
    expect(newcombeInterval(count(0, 0), count(3, 10))).toBeNull();
    expect(newcombeInterval(count(3, 10), count(0, 0))).toBeNull();
    expect(() => newcombeInterval(count(11, 10), count(3, 10))).toThrow(RangeError);
  });

  it('stays in [−1, 1], contains the estimate, mirrors when the samples swap, widens with z', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 500 }),
        fc.nat(),
        fc.nat(),
        (n1, n2, s1, s2) => {
          const a = count(s1 % (n1 + 1), n1);
          const b = count(s2 % (n2 + 1), n2);
          const ci = newcombeInterval(a, b)!;
          const d = a.successes / a.n - b.successes / b.n;
          expect(ci.low).toBeGreaterThanOrEqual(-1 - 1e-12);
          expect(ci.high).toBeLessThanOrEqual(1 + 1e-12);
          expect(ci.low).toBeLessThanOrEqual(d + 1e-12);
          expect(ci.high).toBeGreaterThanOrEqual(d - 1e-12);
          const swapped = newcombeInterval(b, a)!;
          expect(swapped.low).toBeCloseTo(-ci.high, 12);
          expect(swapped.high).toBeCloseTo(-ci.low, 12);
          const wider = newcombeInterval(a, b, 2.5758)!;
          expect(wider.low).toBeLessThanOrEqual(ci.low + 1e-12);
          expect(wider.high).toBeGreaterThanOrEqual(ci.high - 1e-12);
        },
      ),
    );
  });
});

describe('newcombeLessPValue', () => {
  it('is the level at which the interval touches zero: 56/70 vs 48/80', () => {
    // p₁ − p₂ = +0.2, so "p₁ < p₂" is implausible: p near 1, and the complementary tail is the
    // level at which the lower limit reaches zero.
    const p = newcombeLessPValue(count(48, 80), count(56, 70))!;
    const z = -normalQuantile(p);
    expect(newcombeInterval(count(48, 80), count(56, 70), z)!.high).toBeCloseTo(0, 10);
    expect(1 - newcombeLessPValue(count(56, 70), count(48, 80))!).toBeCloseTo(p, 12);
  });

  it('agrees with the 95% interval: p < 0.025 exactly when the interval lies below zero', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 1600 }),
        fc.nat(),
        fc.nat(),
        (n1, n2, s1, s2) => {
          const a = count(s1 % (n1 + 1), n1);
          const b = count(s2 % (n2 + 1), n2);
          const p = newcombeLessPValue(a, b)!;
          const ci = newcombeInterval(a, b)!;
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
          if (Math.abs(ci.high) > 1e-9) expect(p < 0.025).toBe(ci.high < 0);
          // Inverting at the p-value's own z puts the upper limit on zero (when p is not at an end).
          if (p > 1e-12 && p < 0.5) {
            expect(newcombeInterval(a, b, -normalQuantile(p))!.high).toBeCloseTo(0, 8);
          }
          // Swapping the samples asks the opposite question.
          if (a.successes / a.n !== b.successes / b.n) expect(p + newcombeLessPValue(b, a)!).toBeCloseTo(1, 10);
        },
      ),
    );
  });

  it('is 0.5 for equal shares, null for an empty sample, and tiny for an overwhelming drop', () => {
    expect(newcombeLessPValue(count(30, 40), count(120, 160))).toBe(0.5);
    expect(newcombeLessPValue(count(0, 0), count(3, 10))).toBeNull();
    const p = newcombeLessPValue(count(0, 1000), count(1000, 1000))!;
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThan(1e-100);
  });

  it('approaches the two-proportion z-test for large samples', () => {
    // 7 000/10 000 against 7 200/10 000: Wald z = −0.02 / √(0.21/10⁴ + 0.2016/10⁴) = −3.1174
    const p = newcombeLessPValue(count(7000, 10_000), count(7200, 10_000))!;
    const wald = normalCdf(-0.02 / Math.sqrt(0.21 / 10_000 + 0.2016 / 10_000));
    expect(p / wald).toBeGreaterThan(0.9);
    expect(p / wald).toBeLessThan(1.1);
  });
});
