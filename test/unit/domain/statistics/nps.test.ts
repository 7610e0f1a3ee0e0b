import { describe, expect, it } from 'vitest';
import { histogramFromValues } from '../../../../functions/domain/statistics/histogram';
import { nps } from '../../../../functions/domain/statistics/nps';

describe('nps', () => {
  it('scores ten answers by hand', () => {
    // [10, 10, 9, 9, 9, 8, 7, 6, 3, 0]: promoters 5, passives 2, detractors 3
    // p = 0.5, d = 0.3, NPS = 100 × 0.2 = 20
    // var = (0.5 + 0.3 − 0.2²) / 10 = 0.076; half = 1.959964 × √0.076 × 100 = 54.0324782
    const figure = nps(histogramFromValues([10, 10, 9, 9, 9, 8, 7, 6, 3, 0]));
    expect(figure).toMatchObject({
      n: 10,
      promoters: 5,
      passives: 2,
      detractors: 3,
      promoterShare: 0.5,
      detractorShare: 0.3,
      lowSample: true,
    });
    expect(figure.passiveShare).toBeCloseTo(0.2, 12);
    expect(figure.nps).toBeCloseTo(20, 10);
    expect(figure.ci95!.low).toBeCloseTo(20 - 54.0324782, 6);
    expect(figure.ci95!.high).toBeCloseTo(20 + 54.0324782, 6);
  });

  it('clamps the interval to [−100, 100]', () => {
    // 9 promoters, 1 detractor: NPS 80, var = (1 − 0.8²)/10 = 0.036, half = 37.1877 → high 117 → 100
    const figure = nps({ '10': 9, '0': 1 });
    expect(figure.nps).toBeCloseTo(80, 10);
    expect(figure.ci95!.low).toBeCloseTo(80 - 37.1877019, 6);
    expect(figure.ci95!.high).toBe(100);
    // All promoters: var = (1 − 1)/n = 0, a point interval at 100.
    expect(nps({ '9': 3 }).ci95).toEqual({ low: 100, high: 100, level: 0.95 });
    expect(nps({ '6': 3 })).toMatchObject({ nps: -100, ci95: { low: -100, high: -100 } });
  });

  it('treats 7 and 8 as passives that count in n but in neither share', () => {
    expect(nps({ '7': 2, '8': 2 })).toMatchObject({
      n: 4,
      nps: 0,
      promoterShare: 0,
      detractorShare: 0,
      passiveShare: 1,
    });
  });

  it('returns nulls for an empty histogram (everyone skipped)', () => {
    expect(nps({})).toMatchObject({
      n: 0,
      nps: null,
      ci95: null,
      promoterShare: null,
      detractorShare: null,
      lowSample: true,
    });
  });

  it('throws on answers outside 0–10', () => {
    expect(() => nps({ '11': 1 })).toThrow(RangeError);
    expect(() => nps({ '-1': 1 })).toThrow(RangeError);
  });
});
