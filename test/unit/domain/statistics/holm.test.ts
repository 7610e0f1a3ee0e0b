import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holmAdjust } from '../../../../functions/domain/statistics/holm';

describe('holmAdjust', () => {
  it('an example by hand', () => {
    // sorted: 0.005 (×4 = 0.02), 0.01 (×3 = 0.03), 0.03 (×2 = 0.06), 0.04 (×1 = 0.04 → 0.06, monotone)
    expect(holmAdjust([0.01, 0.04, 0.03, 0.005])).toEqual([0.03, 0.06, 0.06, 0.02].map((p) => expect.closeTo(p, 15)));
  });

  it('Holm (1979): rejects step-down at α/m, α/(m−1), … and stops at the first acceptance', () => {
    // α = 0.05, m = 3: 0.01 ≤ 0.05/3 rejects; 0.02 ≤ 0.05/2 rejects; 0.06 > 0.05 accepts.
    const adjusted = holmAdjust([0.02, 0.06, 0.01]);
    expect(adjusted.map((p) => p <= 0.05)).toEqual([true, false, true]);
    // 0.03 > 0.05/2 stops the procedure, so 0.04 is not rejected although 0.04 ≤ 0.05.
    expect(holmAdjust([0.01, 0.03, 0.04]).map((p) => p <= 0.05)).toEqual([true, false, false]);
  });

  it('never below the raw p, never above Bonferroni, monotone in the raw p, at most 1', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 60 }), (ps) => {
        const adjusted = holmAdjust(ps);
        expect(adjusted).toHaveLength(ps.length);
        ps.forEach((p, i) => {
          const a = adjusted[i]!;
          expect(a).toBeGreaterThanOrEqual(p);
          expect(a).toBeLessThanOrEqual(Math.min(1, ps.length * p) + 1e-15);
          ps.forEach((q, j) => {
            if (p < q) expect(a).toBeLessThanOrEqual(adjusted[j]!);
          });
        });
      }),
    );
  });

  it('leaves one test alone, handles none, refuses non-probabilities', () => {
    expect(holmAdjust([0.03])).toEqual([0.03]);
    expect(holmAdjust([])).toEqual([]);
    expect(() => holmAdjust([0.5, 1.5])).toThrow(RangeError);
    expect(() => holmAdjust([Number.NaN])).toThrow(RangeError);
  });
});
