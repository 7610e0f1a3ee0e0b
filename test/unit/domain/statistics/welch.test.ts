import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { histogramFromValues } from '../../../../functions/domain/statistics/histogram';
import { histogramMoments } from '../../../../functions/domain/statistics/moments';
import { welch } from '../../../../functions/domain/statistics/welch';

function moments(values: number[]) {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  return { n, mean, variance: values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) };
}

describe('welch', () => {
  it("Student's sleep data (Cushny & Peebles): t = −1.8608, ν = 17.776, 95% CI [−3.3655, 0.2055]", () => {
    // Student (1908), "The probable error of a mean", Biometrika 6:1–25, extra hours of sleep under
    // two drugs; Welch's test on them as printed by R's t.test(extra ~ group, data = sleep):
    // t = -1.8608, df = 17.776, p-value = 0.07939 (two-sided), CI -3.3654832 0.2054832.
    const g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    const g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
    const w = welch(moments(g1), moments(g2));
    expect(w.difference).toBeCloseTo(-1.58, 12);
    expect(w.t).toBeCloseTo(-1.86081346748685, 10);
    expect(w.df).toBeCloseTo(17.7764735161785, 10);
    expect(w.ci95.low).toBeCloseTo(-3.36548323071171, 8);
    expect(w.ci95.high).toBeCloseTo(0.20548323071171, 8);
    expect(2 * w.lessPValue).toBeCloseTo(0.07939, 5);
  });

  it('a Likert example by hand, from histograms', () => {
    // current [1, 2, 2, 3, 5]: n = 5, mean 2.6, s² = 9.2/4 = 2.3
    // baseline [3, 4, 4, 5]: n = 4, mean 4, s² = (1 + 0 + 0 + 1)/3 = 2/3
    // se² = 2.3/5 + (2/3)/4 = 0.46 + 0.1666667 = 0.6266667, se = 0.7916228
    // t = −1.4 / 0.7916228 = −1.7685190
    // ν = 0.6266667² / (0.46²/4 + 0.1666667²/3) = 0.3927111 / 0.0621593 = 6.3178216
    const scale = { min: 1, max: 5 };
    const current = histogramMoments(histogramFromValues([1, 2, 2, 3, 5]), scale);
    const baseline = histogramMoments(histogramFromValues([3, 4, 4, 5]), scale);
    expect(current).toEqual({ n: 5, mean: 2.6, variance: expect.closeTo(2.3, 12) });
    const w = welch(
      { n: current.n, mean: current.mean!, variance: current.variance! },
      { n: baseline.n, mean: baseline.mean!, variance: baseline.variance! },
    );
    expect(w.standardError).toBeCloseTo(0.7916228, 7);
    expect(w.t).toBeCloseTo(-1.768519, 6);
    expect(w.df).toBeCloseTo(6.3178216, 6);
    expect(w.lessPValue).toBeGreaterThan(0.05);
    expect(w.lessPValue).toBeLessThan(0.1);
  });

  it('equals Student’s pooled test when sizes and variances are equal', () => {
    // n₁ = n₂ = n and s₁ = s₂: ν = 2(n − 1), and t is the pooled t.
    const w = welch({ n: 20, mean: 3.1, variance: 1.2 }, { n: 20, mean: 3.5, variance: 1.2 });
    expect(w.df).toBeCloseTo(38, 10);
    expect(w.t).toBeCloseTo(-0.4 / Math.sqrt(1.2 / 10), 12);
  });

  it('is consistent: p < 0.025 exactly when the 95% interval lies below zero; swapping mirrors it', () => {
    const sample = fc.record({
      n: fc.integer({ min: 2, max: 2000 }),
      mean: fc.double({ min: 1, max: 7, noNaN: true }),
      variance: fc.double({ min: 0.01, max: 4, noNaN: true }),
    });
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const w = welch(a, b);
        if (Math.abs(w.ci95.high) > 1e-9) expect(w.lessPValue < 0.025).toBe(w.ci95.high < 0);
        const back = welch(b, a);
        expect(back.df).toBeCloseTo(w.df, 8);
        expect(w.lessPValue + back.lessPValue).toBeCloseTo(1, 10);
      }),
    );
  });

  it('takes a difference without spread at face value, and refuses samples it cannot use', () => {
    expect(welch({ n: 30, mean: 4, variance: 0 }, { n: 40, mean: 5, variance: 0 })).toMatchObject({
      difference: -1,
      t: -Infinity,
      lessPValue: 0,
      df: 68,
    });
    expect(welch({ n: 30, mean: 5, variance: 0 }, { n: 40, mean: 5, variance: 0 }).lessPValue).toBe(0.5);
    expect(() => welch({ n: 1, mean: 4, variance: 0 }, { n: 40, mean: 5, variance: 1 })).toThrow(RangeError);
    expect(() => welch({ n: 30, mean: Number.NaN, variance: 1 }, { n: 40, mean: 5, variance: 1 })).toThrow(RangeError);
    expect(() => welch({ n: 30, mean: 4, variance: -1 }, { n: 40, mean: 5, variance: 1 })).toThrow(RangeError);
  });
});

describe('histogramMoments', () => {
  it('has no mean without answers and no variance with one', () => {
    expect(histogramMoments({}, { min: 1, max: 5 })).toEqual({ n: 0, mean: null, variance: null });
    expect(histogramMoments({ '4': 1 }, { min: 1, max: 5 })).toEqual({ n: 1, mean: 4, variance: null });
    expect(() => histogramMoments({ '9': 1 }, { min: 1, max: 5 })).toThrow(RangeError);
  });
});
