import { describe, expect, it } from 'vitest';
import { jointFromPairs } from '../../../../functions/domain/statistics/joint-counts';
import { spearman } from '../../../../functions/domain/statistics/spearman';

describe('spearman', () => {
  it('uses mid-ranks for ties (hand-computed)', () => {
    // pairs (x, y): (1,2) (2,1) (2,3) (3,3) (3,3)
    // x ranks: 1 → 1; 2 → 1 + (2+1)/2 = 2.5; 3 → 3 + (2+1)/2 = 4.5
    // y ranks: 1 → 1; 2 → 2; 3 → 2 + (3+1)/2 = 4
    // centre (n+1)/2 = 3; dx = −2, −0.5, −0.5, 1.5, 1.5; dy = −1, −2, 1, 1, 1
    // Sxy = 2 + 1 − 0.5 + 1.5 + 1.5 = 5.5; Sxx = 4 + .25 + .25 + 2.25 + 2.25 = 9; Syy = 1 + 4 + 1 + 1 + 1 = 8
    // rho = 5.5 / √72 = 0.6481812161 (scipy.stats.spearmanr agrees)
    const figure = spearman({ '1|2': 1, '2|1': 1, '2|3': 1, '3|3': 2 });
    expect(figure.n).toBe(5);
    expect(figure.rho).toBeCloseTo(5.5 / Math.sqrt(72), 12);
    expect(figure.rho).toBeCloseTo(0.6481812161, 9);
    expect(figure.lowSample).toBe(true);
  });

  it('is ±1 for perfectly monotone answers', () => {
    expect(
      spearman(
        jointFromPairs([
          [1, 1],
          [2, 4],
          [3, 9],
          [4, 16],
        ]),
      ).rho,
    ).toBeCloseTo(1, 12);
    expect(
      spearman(
        jointFromPairs([
          [1, 5],
          [2, 4],
          [5, 1],
        ]),
      ).rho,
    ).toBeCloseTo(-1, 12);
  });

  it('is null below two answers or when either side never varies', () => {
    expect(spearman({})).toEqual({ n: 0, rho: null, lowSample: true });
    expect(spearman({ '3|4': 1 })).toEqual({ n: 1, rho: null, lowSample: true });
    expect(spearman({ '3|4': 10, '3|5': 20 }).rho).toBeNull();
    expect(spearman({ '1|4': 10, '3|4': 20 }).rho).toBeNull();
    expect(spearman({ '3|4': 40 })).toEqual({ n: 40, rho: null, lowSample: false });
  });

  it('ignores zero cells', () => {
    expect(spearman({ '1|1': 1, '2|2': 1, '5|1': 0 }).rho).toBeCloseTo(1, 12);
  });

  it('throws on malformed or out-of-scale keys', () => {
    expect(() => spearman({ '1,2': 1 })).toThrow(RangeError);
    expect(() => spearman({ '6|1': 1 }, { x: { min: 1, max: 5 } })).toThrow(RangeError);
  });
});
