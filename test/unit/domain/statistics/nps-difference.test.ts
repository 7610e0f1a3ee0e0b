import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { histogramFromValues } from '../../../../functions/domain/statistics/histogram';
import { nps, npsVariance } from '../../../../functions/domain/statistics/nps';
import { npsDifference } from '../../../../functions/domain/statistics/nps-difference';
import { Z_95 } from '../../../../functions/domain/statistics/types';

describe('npsDifference', () => {
  it('an example by hand', () => {
    // current: 50 promoters, 30 passives, 20 detractors of 100 → NPS 30
    //   v₁ = (0.5 + 0.2 − 0.3²)/100 = 0.61/100 = 0.0061
    // baseline: 240, 100, 60 of 400 → NPS 45
    //   v₂ = (0.6 + 0.15 − 0.45²)/400 = 0.5475/400 = 0.00136875
    // difference −15; se = 100·√0.00746875 = 8.6421930; z = −1.7356706; p = Φ(z) = 0.0413111
    const d = npsDifference({ promoters: 50, detractors: 20, n: 100 }, { promoters: 240, detractors: 60, n: 400 });
    expect(d.difference).toBeCloseTo(-15, 12);
    expect(d.standardError).toBeCloseTo(8.642193, 6);
    expect(d.z).toBeCloseTo(-1.7356706, 7);
    expect(d.lessPValue).toBeCloseTo(0.0413111, 7);
    expect(d.ci95.low).toBeCloseTo(-15 - Z_95 * 8.642193, 5);
    expect(d.ci95.high).toBeCloseTo(-15 + Z_95 * 8.642193, 5);
  });

  it('uses exactly the variance behind the report’s NPS interval', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 2, maxLength: 300 }),
        fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 2, maxLength: 300 }),
        (xs, ys) => {
          const a = nps(histogramFromValues(xs));
          const b = nps(histogramFromValues(ys));
          const d = npsDifference(a, b);
          const v = (f: typeof a) => npsVariance(f.promoterShare!, f.detractorShare!, f.n);
          expect(d.standardError).toBeCloseTo(100 * Math.sqrt(v(a) + v(b)), 10);
          expect(d.difference).toBeCloseTo(a.nps! - b.nps!, 10);
          // The report's half-width is z·√v·100, unless clamped at ±100.
          if (a.ci95!.high < 100 && a.ci95!.low > -100) {
            expect((a.ci95!.high - a.ci95!.low) / 2).toBeCloseTo(Z_95 * 100 * Math.sqrt(v(a)), 9);
          }
        },
      ),
    );
  });

  it('takes windows without spread at face value and refuses impossible counts', () => {
    const allPromoters = { promoters: 40, detractors: 0, n: 40 };
    const allDetractors = { promoters: 0, detractors: 30, n: 30 };
    expect(npsDifference(allDetractors, allPromoters)).toMatchObject({ difference: -200, lessPValue: 0 });
    expect(npsDifference(allPromoters, allPromoters).lessPValue).toBe(0.5);
    expect(() => npsDifference({ promoters: 1, detractors: 0, n: 0 }, allPromoters)).toThrow(RangeError);
    expect(() => npsDifference({ promoters: 30, detractors: 20, n: 40 }, allPromoters)).toThrow(RangeError);
  });
});
