import { describe, expect, it } from 'vitest';
import { describeScale } from '../../../../functions/domain/statistics/describe-scale';
import { histogramFromValues } from '../../../../functions/domain/statistics/histogram';
import { LOW_SAMPLE_N } from '../../../../functions/domain/statistics/types';

const LIKERT = { min: 1, max: 5 };

describe('describeScale', () => {
  it('answers [1, 2, 2, 3, 5] by hand', () => {
    // n = 5, Σ = 13, mean = 2.6
    // deviations −1.6, −0.6, −0.6, 0.4, 2.4 → squares 2.56 + 0.36 + 0.36 + 0.16 + 5.76 = 9.2
    // variance = 9.2 / 4 = 2.3, sd = √2.3 = 1.5165750888
    // t(0.975, 4) = 2.7764451052; half = 2.7764451052 × 1.5165750888 / √5 = 1.8830766883
    const s = describeScale({ '1': 1, '2': 2, '3': 1, '5': 1 }, LIKERT);
    expect(s.n).toBe(5);
    expect(s.mean).toBeCloseTo(2.6, 12);
    expect(s.sd).toBeCloseTo(Math.sqrt(2.3), 12);
    expect(s.ci95!.low).toBeCloseTo(2.6 - 1.8830766883, 9);
    expect(s.ci95!.high).toBeCloseTo(2.6 + 1.8830766883, 9);
    expect(s.ci95!.level).toBe(0.95);
    expect(s.distribution).toEqual([
      { value: 1, count: 1, share: 0.2 },
      { value: 2, count: 2, share: 0.4 },
      { value: 3, count: 1, share: 0.2 },
      { value: 4, count: 0, share: 0 },
      { value: 5, count: 1, share: 0.2 },
    ]);
    expect(s.lowSample).toBe(true);
  });

  it('gives every point of the scale even when empty', () => {
    const s = describeScale({}, { min: 0, max: 10 });
    expect(s).toMatchObject({ n: 0, mean: null, sd: null, ci95: null, lowSample: true });
    expect(s.distribution.map((d) => d.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(s.distribution.every((d) => d.count === 0 && d.share === null)).toBe(true);
  });

  it('has a mean but no spread for a single answer', () => {
    expect(describeScale({ '4': 1 }, LIKERT)).toMatchObject({ n: 1, mean: 4, sd: null, ci95: null });
  });

  it('gives sd 0 and a zero-width interval when everyone agrees', () => {
    const s = describeScale({ '3': 40 }, LIKERT);
    expect(s).toMatchObject({ n: 40, mean: 3, sd: 0, ci95: { low: 3, high: 3, level: 0.95 }, lowSample: false });
  });

  it('flags low samples strictly below 30', () => {
    const values = (n: number) => histogramFromValues(Array.from({ length: n }, (_, i) => (i % 5) + 1));
    expect(describeScale(values(LOW_SAMPLE_N - 1), LIKERT).lowSample).toBe(true);
    expect(describeScale(values(LOW_SAMPLE_N), LIKERT).lowSample).toBe(false);
  });

  it('throws on points outside the scale and malformed keys instead of ignoring them', () => {
    expect(() => describeScale({ '6': 1 }, LIKERT)).toThrow(RangeError);
    expect(() => describeScale({ '0': 1 }, LIKERT)).toThrow(RangeError);
    expect(() => describeScale({ '2.5': 1 }, LIKERT)).toThrow(RangeError);
    expect(() => describeScale({ '2': -1 }, LIKERT)).toThrow(RangeError);
    expect(() => describeScale({ '2': 1 }, { min: 1, max: 1 })).toThrow(RangeError);
    expect(() => describeScale({ '2': 1 }, { min: 1, max: 4.5 })).toThrow(RangeError);
  });
});
