import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalQuantile } from '../../../../functions/domain/statistics/normal-quantile';
import { studentTCdf, studentTQuantile } from '../../../../functions/domain/statistics/student-t';

describe('Student t quantile', () => {
  // Reference values from published tables (R qt(0.975, df)).
  const table: [number, number][] = [
    [1, 12.7062047],
    [2, 4.30265273],
    [3, 3.18244631],
    [4, 2.77644511],
    [5, 2.57058184],
    [10, 2.22813885],
    [29, 2.04522964],
    [30, 2.04227246],
    [100, 1.98397152],
    [1000, 1.96233908],
  ];
  it.each(table)('t(0.975, %i) = %f to 1e-7', (df, expected) => {
    expect(Math.abs(studentTQuantile(0.975, df) - expected)).toBeLessThan(1e-7);
  });

  it('tends to the normal quantile as df grows', () => {
    // R: qt(0.975, 1e6) = 1.959966357; the 1/ν term (z³ + z)/4ν is still 2.4e-6 there.
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959966357, 8);
    expect(studentTQuantile(0.975, 1e9)).toBeCloseTo(1.959964, 6);
    expect(studentTQuantile(0.975, Infinity)).toBeCloseTo(1.959963984540054, 12);
    // Either side of the switch to the Cornish–Fisher expansion agrees.
    expect(studentTQuantile(0.975, 100_000)).toBeCloseTo(studentTQuantile(0.975, 100_001), 9);
  });

  it('matches other tabulated points, including tails', () => {
    // R: qt(0.995, 7) = 3.499483, qt(0.9, 3) = 1.637744, qt(0.05, 15) = -1.753050, qt(1e-6, 10) = -9.751995
    expect(studentTQuantile(0.995, 7)).toBeCloseTo(3.4994833, 6);
    expect(studentTQuantile(0.9, 3)).toBeCloseTo(1.6377444, 6);
    expect(studentTQuantile(0.05, 15)).toBeCloseTo(-1.7530504, 6);
    expect(studentTQuantile(1e-6, 10)).toBeCloseTo(-9.7519955, 6);
    expect(studentTQuantile(0.5, 4)).toBe(0);
  });

  it('normal quantile (AS 241) hits known values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.3)).toBeCloseTo(-0.52440051270804, 14);
    expect(normalQuantile(1e-20)).toBeCloseTo(-9.26234008979841, 12);
  });

  it('inverts its own CDF and is antisymmetric', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-9, max: 1 - 1e-9, noNaN: true }),
        fc.oneof(
          fc.integer({ min: 1, max: 200 }),
          fc.integer({ min: 201, max: 50_000 }),
          fc.double({ min: 0.5, max: 50, noNaN: true }),
        ),
        (p, df) => {
          const t = studentTQuantile(p, df);
          expect(studentTCdf(t, df)).toBeCloseTo(p, 10);
          // Relative: in far tails 1 − p itself carries a rounding error of ~1e-16/p.
          expect(Math.abs(studentTQuantile(1 - p, df) + t)).toBeLessThan(1e-5 * Math.max(1, Math.abs(t)));
        },
      ),
    );
  });

  it('refuses impossible arguments', () => {
    for (const [p, df] of [
      [0, 5],
      [1, 5],
      [Number.NaN, 5],
      [0.5, 0],
      [0.5, -1],
      [0.5, Number.NaN],
    ] as const) {
      expect(() => studentTQuantile(p, df)).toThrow(RangeError);
    }
  });
});
