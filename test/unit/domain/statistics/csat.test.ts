import { describe, expect, it } from 'vitest';
import { csat } from '../../../../functions/domain/statistics/csat';
import { histogramFromValues } from '../../../../functions/domain/statistics/histogram';
import { wilson } from '../../../../functions/domain/statistics/wilson';

describe('wilson', () => {
  it('7 of 10 gives the textbook [0.3968, 0.8922]', () => {
    // p = 0.7, z² = 3.841459, 1 + z²/n = 1.3841459
    // centre = (0.7 + 0.1920729) / 1.3841459 = 0.6444935
    // half = 1.959964 × √(0.021 + 0.0096036) / 1.3841459 = 0.2477153
    const ci = wilson(7, 10)!;
    expect(ci.low).toBeCloseTo(0.3968, 4);
    expect(ci.high).toBeCloseTo(0.8922, 4);
  });

  it('stays inside [0, 1] and does not collapse at 0 or n successes', () => {
    // 0/10: high = (z²/2n + z·√(z²/4n²)) / (1 + z²/n) = (z²/n) / (1 + z²/n) = 0.3841459 / 1.3841459
    expect(wilson(0, 10)).toEqual({ low: 0, high: expect.closeTo(0.2775328, 7) });
    expect(wilson(10, 10)).toEqual({ low: expect.closeTo(0.7224672, 7), high: 1 });
  });

  it('is null without answers and refuses impossible counts', () => {
    expect(wilson(0, 0)).toBeNull();
    expect(() => wilson(3, 2)).toThrow(RangeError);
    expect(() => wilson(-1, 2)).toThrow(RangeError);
    expect(() => wilson(1.5, 2)).toThrow(RangeError);
    expect(() => wilson(1, 2, 0)).toThrow(RangeError);
  });

  it('narrows with a smaller z', () => {
    const wide = wilson(7, 10)!;
    const narrow = wilson(7, 10, 1)!;
    expect(narrow.low).toBeGreaterThan(wide.low);
    expect(narrow.high).toBeLessThan(wide.high);
  });
});

describe('csat', () => {
  it('counts 4–5 as satisfied on a 1–5 scale', () => {
    // [5, 5, 4, 4, 4, 4, 4, 3, 2, 1] → 7 of 10 satisfied
    const figure = csat(histogramFromValues([5, 5, 4, 4, 4, 4, 4, 3, 2, 1]));
    expect(figure).toMatchObject({ n: 10, satisfied: 7, share: 0.7, lowSample: true });
    expect(figure.ci95!.low).toBeCloseTo(0.3968, 4);
    expect(figure.ci95!.high).toBeCloseTo(0.8922, 4);
    expect(figure.ci95!.level).toBe(0.95);
  });

  it('counts 6–7 as satisfied on a 7-point scale', () => {
    // 7, 6, 6 satisfied; 5, 4, 1 not → 3 / 6 = 0.5
    expect(csat({ '7': 1, '6': 2, '5': 1, '4': 1, '1': 1 }, { min: 1, max: 7 })).toMatchObject({
      n: 6,
      satisfied: 3,
      share: 0.5,
    });
  });

  it('has no share or interval without answers', () => {
    expect(csat({})).toEqual({ n: 0, satisfied: 0, share: null, ci95: null, lowSample: true });
  });

  it('handles n = 1 and unanimous answers', () => {
    expect(csat({ '5': 1 })).toMatchObject({ n: 1, satisfied: 1, share: 1, ci95: { high: 1 } });
    expect(csat({ '2': 50 })).toMatchObject({ n: 50, satisfied: 0, share: 0, ci95: { low: 0 }, lowSample: false });
  });

  it('throws on out-of-scale answers and scales too short for a top two', () => {
    expect(() => csat({ '6': 1 })).toThrow(RangeError);
    expect(() => csat({ '1': 1 }, { min: 1, max: 2 })).toThrow(RangeError);
  });
});
