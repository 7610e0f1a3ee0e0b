/**
 * The design promise: every figure computed from counters equals the figure a scan of the raw
 * responses would give. Each property draws raw answers, builds the counters the aggregator would
 * keep, and compares with the brute-force implementations in ./brute-force.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ces } from '../../../../functions/domain/statistics/ces';
import { csat } from '../../../../functions/domain/statistics/csat';
import { describeScale } from '../../../../functions/domain/statistics/describe-scale';
import { histogramFromValues, mergeHistograms } from '../../../../functions/domain/statistics/histogram';
import { jointFromPairs, mergeJoint } from '../../../../functions/domain/statistics/joint-counts';
import { nps } from '../../../../functions/domain/statistics/nps';
import { spearman } from '../../../../functions/domain/statistics/spearman';
import { studentTQuantile } from '../../../../functions/domain/statistics/student-t';
import { LOW_SAMPLE_N } from '../../../../functions/domain/statistics/types';
import { bruteMean, bruteNps, bruteSd, bruteSpearman, bruteWilson, midRankList } from './brute-force';

function expectClose(actual: number | null | undefined, expected: number | null): void {
  if (expected === null) expect(actual).toBeNull();
  else expect(actual).toBeCloseTo(expected, 9);
}

const likert = fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 200 });
const zeroToTen = fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 200 });
const sevenPoint = fc.array(fc.integer({ min: 1, max: 7 }), { maxLength: 200 });
/** Pairs biased towards agreement so rho spans the whole range, with plenty of ties. */
const ratedPairs = fc.array(
  fc
    .tuple(
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: -2, max: 2 }),
      fc.integer({ min: 1, max: 5 }),
      fc.boolean(),
    )
    .map(([x, noise, other, related]): [number, number] => [x, related ? Math.min(5, Math.max(1, x + noise)) : other]),
  { maxLength: 150 },
);

function checkScale(
  values: number[],
  scale: { min: number; max: number },
  summary = describeScale(histogramFromValues(values), scale),
): void {
  const n = values.length;
  expect(summary.n).toBe(n);
  expect(summary.lowSample).toBe(n < LOW_SAMPLE_N);
  expectClose(summary.mean, bruteMean(values));
  const sd = bruteSd(values);
  expectClose(summary.sd, sd);
  if (sd === null) {
    expect(summary.ci95).toBeNull();
  } else {
    const half = (studentTQuantile(0.975, n - 1) * sd) / Math.sqrt(n);
    expectClose(summary.ci95!.low, (bruteMean(values) as number) - half);
    expectClose(summary.ci95!.high, (bruteMean(values) as number) + half);
  }
  for (const point of summary.distribution) {
    const count = values.filter((v) => v === point.value).length;
    expect(point.count).toBe(count);
    expectClose(point.share, n === 0 ? null : count / n);
  }
  expect(summary.distribution).toHaveLength(scale.max - scale.min + 1);
}

describe('count-based figures equal brute force over the raw answers', () => {
  it('describeScale: mean, two-pass sd, t-interval, distribution', () => {
    fc.assert(fc.property(likert, (values) => checkScale(values, { min: 1, max: 5 })));
    fc.assert(fc.property(zeroToTen, (values) => checkScale(values, { min: 0, max: 10 })));
  });

  it('csat: share of the top two points and its Wilson interval', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          likert.map((v) => ({ v, max: 5 })),
          sevenPoint.map((v) => ({ v, max: 7 })),
        ),
        ({ v, max }) => {
          const figure = csat(histogramFromValues(v), { min: 1, max });
          const satisfied = v.filter((x) => x >= max - 1).length;
          expect(figure.n).toBe(v.length);
          expect(figure.satisfied).toBe(satisfied);
          if (v.length === 0) {
            expect(figure.share).toBeNull();
            expect(figure.ci95).toBeNull();
          } else {
            expectClose(figure.share, satisfied / v.length);
            const ci = bruteWilson(satisfied, v.length);
            expectClose(figure.ci95!.low, Math.max(0, ci.low));
            expectClose(figure.ci95!.high, Math.min(1, ci.high));
            expect(figure.ci95!.low).toBeLessThanOrEqual(figure.share!);
            expect(figure.ci95!.high).toBeGreaterThanOrEqual(figure.share!);
          }
        },
      ),
    );
  });

  it('nps: promoter / detractor counts, score, and interval from the per-answer score variance', () => {
    fc.assert(
      fc.property(zeroToTen, (values) => {
        const figure = nps(histogramFromValues(values));
        const brute = bruteNps(values);
        expect(figure).toMatchObject({
          n: values.length,
          promoters: brute.promoters,
          passives: brute.passives,
          detractors: brute.detractors,
        });
        expectClose(figure.nps, brute.nps);
        if (brute.nps === null) {
          expect(figure.ci95).toBeNull();
          return;
        }
        // Independently: each answer scores +100 / 0 / −100; the interval is z·(population sd)/√n.
        const scores: number[] = values.map((v) => (v >= 9 ? 100 : v >= 7 ? 0 : -100));
        const mean = bruteMean(scores) as number;
        const variance = scores.reduce((s, x) => s + (x - mean) ** 2, 0) / scores.length;
        const half = (1.959963984540054 * Math.sqrt(variance)) / Math.sqrt(scores.length);
        expectClose(figure.ci95!.low, Math.max(-100, mean - half));
        expectClose(figure.ci95!.high, Math.min(100, mean + half));
      }),
    );
  });

  it('ces: mean, sd, interval and share agreeing', () => {
    fc.assert(
      fc.property(sevenPoint, (values) => {
        const figure = ces(histogramFromValues(values));
        expectClose(figure.mean, bruteMean(values));
        expectClose(figure.sd, bruteSd(values));
        expectClose(
          figure.agreeShare,
          values.length === 0 ? null : values.filter((v) => v >= 5).length / values.length,
        );
      }),
    );
  });

  it('spearman: joint-table mid-rank correlation = Pearson of the mid-ranked raw lists', () => {
    fc.assert(
      fc.property(ratedPairs, (pairs) => {
        const figure = spearman(jointFromPairs(pairs));
        expect(figure.n).toBe(pairs.length);
        expectClose(figure.rho, bruteSpearman(pairs));
      }),
    );
  });

  it('spearman on 0–10 overall answers against 1–7 items', () => {
    const pairs = fc.array(fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 10 })), {
      maxLength: 120,
    });
    fc.assert(fc.property(pairs, (p) => expectClose(spearman(jointFromPairs(p)).rho, bruteSpearman(p))));
  });

  it('the brute-force mid-ranking itself is right on a known list', () => {
    // [10, 20, 20, 30, 20]: 10 → 1; the three 20s share positions 2–4 → 3; 30 → 5
    expect(midRankList([10, 20, 20, 30, 20])).toEqual([1, 3, 3, 5, 3]);
  });
});

describe('merging counters equals concatenating the raw answers', () => {
  it('describeScale, csat and nps of merged histograms', () => {
    fc.assert(
      fc.property(zeroToTen, zeroToTen, (a, b) => {
        const merged = mergeHistograms(histogramFromValues(a), histogramFromValues(b));
        const concatenated = [...a, ...b];
        checkScale(concatenated, { min: 0, max: 10 }, describeScale(merged, { min: 0, max: 10 }));
        expect(nps(merged)).toEqual(nps(histogramFromValues(concatenated)));
        expect(csat(merged, { min: 0, max: 10 })).toEqual(csat(histogramFromValues(concatenated), { min: 0, max: 10 }));
      }),
    );
  });

  it('spearman of merged joint tables', () => {
    fc.assert(
      fc.property(ratedPairs, ratedPairs, (a, b) => {
        const figure = spearman(mergeJoint(jointFromPairs(a), jointFromPairs(b)));
        expect(figure.n).toBe(a.length + b.length);
        expectClose(figure.rho, bruteSpearman([...a, ...b]));
      }),
    );
  });
});
