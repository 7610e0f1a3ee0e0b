import { describe, expect, it } from 'vitest';
import { ces } from '../../../../functions/domain/statistics/ces';
import { histogramFromValues } from '../../../../functions/domain/statistics/histogram';

describe('ces', () => {
  it('gives mean, t-interval and % agree by hand', () => {
    // [7, 6, 5, 5, 4, 3, 1]: Σ = 31, mean = 31/7 = 4.4285714
    // squares of deviations sum to 23.714286 → var = 3.952381, sd = 1.9880596
    // t(0.975, 6) = 2.4469119 → half = 2.4469119 × 1.9880596 / √7 = 1.8386485
    // agree (5–7): 7, 6, 5, 5 → 4 / 7
    const figure = ces(histogramFromValues([7, 6, 5, 5, 4, 3, 1]));
    expect(figure.n).toBe(7);
    expect(figure.mean).toBeCloseTo(31 / 7, 12);
    expect(figure.sd).toBeCloseTo(1.9880595948, 9);
    expect(figure.ci95!.low).toBeCloseTo(31 / 7 - 1.8386484636, 9);
    expect(figure.ci95!.high).toBeCloseTo(31 / 7 + 1.8386484636, 9);
    expect(figure.agreeShare).toBeCloseTo(4 / 7, 12);
    expect(figure.agreeCi95!.low).toBeLessThan(4 / 7);
    expect(figure.lowSample).toBe(true);
  });

  it('handles empty, single and unanimous histograms', () => {
    expect(ces({})).toMatchObject({ n: 0, mean: null, sd: null, ci95: null, agreeShare: null, agreeCi95: null });
    expect(ces({ '5': 1 })).toMatchObject({ n: 1, mean: 5, sd: null, ci95: null, agreeShare: 1 });
    expect(ces({ '4': 31 })).toMatchObject({ n: 31, mean: 4, sd: 0, agreeShare: 0, lowSample: false });
  });

  it('throws on answers outside 1–7', () => {
    expect(() => ces({ '0': 1 })).toThrow(RangeError);
    expect(() => ces({ '8': 1 })).toThrow(RangeError);
  });
});
