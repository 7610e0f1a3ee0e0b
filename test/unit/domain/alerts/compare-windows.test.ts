import { describe, expect, it } from 'vitest';
import { compareWindows } from '../../../../functions/domain/alerts/compare-windows';
import {
  histogramFromValues,
  newcombeInterval,
  newcombeLessPValue,
  nps,
  npsDifference,
} from '../../../../functions/domain/statistics';

const L5 = { min: 1, max: 5 };
const L7 = { min: 1, max: 7 };

describe('compareWindows', () => {
  it('CSAT: points of the top-two share, Newcombe interval and p-value', () => {
    // current 42 of 60 satisfied (70%), baseline 192 of 240 (80%)
    const current = { '5': 20, '4': 22, '3': 10, '1': 8 };
    const baseline = { '5': 100, '4': 92, '2': 48 };
    const c = compareWindows('csat', L5, current, baseline);
    const ci = newcombeInterval({ successes: 42, n: 60 }, { successes: 192, n: 240 })!;
    expect(c.current).toEqual({ n: 60, value: expect.closeTo(70, 12) });
    expect(c.baseline).toEqual({ n: 240, value: expect.closeTo(80, 12) });
    expect(c.estimate).toBeCloseTo(-10, 12);
    expect(c.ci95).toEqual({
      low: expect.closeTo(100 * ci.low, 12),
      high: expect.closeTo(100 * ci.high, 12),
      level: 0.95,
    });
    expect(c.pValue).toBe(newcombeLessPValue({ successes: 42, n: 60 }, { successes: 192, n: 240 }));
  });

  it('CSAT on a 7-point question counts 6 and 7 as satisfied', () => {
    const c = compareWindows('csat', L7, { '7': 3, '6': 3, '5': 4 }, { '7': 5, '5': 5 });
    expect(c.current.value).toBeCloseTo(60, 12);
    expect(c.baseline.value).toBeCloseTo(50, 12);
  });

  it('NPS: the difference of scores with the report’s variance', () => {
    const current = histogramFromValues([10, 10, 9, 8, 7, 6, 3, 0, 10, 9]);
    const baseline = histogramFromValues([10, 10, 10, 9, 9, 8, 7, 7, 6, 10, 10, 5]);
    const c = compareWindows('nps', { min: 0, max: 10 }, current, baseline);
    const d = npsDifference(nps(current), nps(baseline));
    expect(c.current.value).toBe(nps(current).nps);
    expect(c.estimate).toBe(d.difference);
    expect(c.ci95).toEqual(d.ci95);
    expect(c.pValue).toBe(d.lessPValue);
  });

  it('CES and the mean: Welch on the scale, CES always 1–7', () => {
    // current [1, 2, 2, 3, 5] vs baseline [3, 4, 4, 5]: the hand example of the Welch tests (t = −1.768519)
    const current = histogramFromValues([1, 2, 2, 3, 5]);
    const baseline = histogramFromValues([3, 4, 4, 5]);
    const mean = compareWindows('mean', L5, current, baseline);
    expect(mean.estimate).toBeCloseTo(-1.4, 12);
    expect(mean.current).toEqual({ n: 5, value: 2.6 });
    expect(mean.pValue).toBeGreaterThan(0.05);
    // The scale passed for CES is ignored: a 6 is valid on CES's 1–7 even when a 1–5 scale is passed.
    const ces = compareWindows('ces', L5, histogramFromValues([6, 6, 5]), histogramFromValues([7, 7, 6]));
    expect(ces.estimate).toBeCloseTo(-1, 12);
  });

  it('has no estimate without answers (or with one answer for a mean), but still counts them', () => {
    expect(compareWindows('csat', L5, {}, { '5': 3 })).toEqual({
      current: { n: 0, value: null },
      baseline: { n: 3, value: 100 },
      estimate: null,
      ci95: null,
      pValue: null,
    });
    expect(compareWindows('nps', { min: 0, max: 10 }, { '9': 2 }, {})).toMatchObject({ estimate: null, pValue: null });
    expect(compareWindows('mean', L5, { '4': 1 }, { '5': 3, '4': 1 })).toMatchObject({
      current: { n: 1, value: 4 },
      estimate: null,
    });
  });

  it('refuses a histogram that does not fit the question', () => {
    expect(() => compareWindows('csat', L5, { '6': 1 }, {})).toThrow(RangeError);
    expect(() => compareWindows('nps', { min: 0, max: 10 }, { '11': 1 }, {})).toThrow(RangeError);
  });
});
