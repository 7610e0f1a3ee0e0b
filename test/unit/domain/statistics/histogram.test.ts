import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  histogramEntries,
  histogramFromValues,
  histogramTotal,
  mergeHistograms,
} from '../../../../functions/domain/statistics/histogram';
import {
  jointCells,
  jointFromPairs,
  jointMarginals,
  mergeJoint,
} from '../../../../functions/domain/statistics/joint-counts';

describe('histograms', () => {
  it('counts raw answers per point', () => {
    expect(histogramFromValues([1, 2, 2, 3, 5])).toEqual({ '1': 1, '2': 2, '3': 1, '5': 1 });
    expect(histogramFromValues([])).toEqual({});
  });

  it('merges by adding counts point by point without touching the inputs', () => {
    const a = { '1': 2, '5': 1 };
    const b = { '5': 3, '4': 1 };
    expect(mergeHistograms(a, b)).toEqual({ '1': 2, '4': 1, '5': 4 });
    expect(a).toEqual({ '1': 2, '5': 1 });
  });

  it('refuses non-integer answers and malformed keys or counts loudly', () => {
    expect(() => histogramFromValues([1, 2.5])).toThrow(RangeError);
    expect(() => histogramFromValues([Number.NaN])).toThrow(RangeError);
    const bads: Record<string, number>[] = [
      { '2.5': 1 },
      { '02': 1 },
      { '': 1 },
      { x: 1 },
      { ' 1': 1 },
      { '1': -1 },
      { '1': 0.5 },
      { '1': Number.NaN },
    ];
    for (const bad of bads) {
      expect(() => histogramEntries(bad), JSON.stringify(bad)).toThrow(RangeError);
      expect(() => mergeHistograms(bad, {})).toThrow(RangeError);
    }
  });

  it('rejects points outside the scale when a scale is given', () => {
    expect(() => histogramEntries({ '6': 1 }, { min: 1, max: 5 })).toThrow(RangeError);
    expect(() => histogramEntries({ '0': 1 }, { min: 1, max: 5 })).toThrow(RangeError);
    expect(() => histogramEntries({ '1': 1 }, { min: 5, max: 1 })).toThrow(RangeError);
    expect(histogramTotal({ '1': 2, '5': 3 }, { min: 1, max: 5 })).toBe(5);
  });

  it('merging is associative and commutative, and equals the histogram of the concatenation', () => {
    const answers = fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 60 });
    fc.assert(
      fc.property(answers, answers, answers, (a, b, c) => {
        const [ha, hb, hc] = [a, b, c].map(histogramFromValues) as [
          Record<string, number>,
          Record<string, number>,
          Record<string, number>,
        ];
        const left = mergeHistograms(mergeHistograms(ha, hb), hc);
        const right = mergeHistograms(ha, mergeHistograms(hb, hc));
        expect(left).toEqual(right);
        expect(mergeHistograms(ha, hb)).toEqual(mergeHistograms(hb, ha));
        expect(left).toEqual(histogramFromValues([...a, ...b, ...c]));
      }),
    );
  });
});

describe('joint count tables', () => {
  it('counts answer pairs under "x|y" keys and sums tables', () => {
    const joint = jointFromPairs([
      [1, 2],
      [1, 2],
      [5, 4],
    ]);
    expect(joint).toEqual({ '1|2': 2, '5|4': 1 });
    expect(mergeJoint(joint, { '5|4': 2, '3|3': 1 })).toEqual({ '1|2': 2, '3|3': 1, '5|4': 3 });
    expect(jointMarginals(joint)).toEqual({ x: { '1': 2, '5': 1 }, y: { '2': 2, '4': 1 } });
  });

  it('refuses malformed keys, counts and out-of-scale values', () => {
    const bads: Record<string, number>[] = [{ '1-2': 1 }, { '1|2|3': 1 }, { '1|': 1 }, { 'a|2': 1 }, { '1|2': -3 }];
    for (const bad of bads) {
      expect(() => jointCells(bad), JSON.stringify(bad)).toThrow(RangeError);
    }
    expect(() => jointCells({ '6|1': 1 }, { x: { min: 1, max: 5 } })).toThrow(RangeError);
    expect(() => jointCells({ '1|11': 1 }, { y: { min: 0, max: 10 } })).toThrow(RangeError);
    expect(() => jointFromPairs([[1, 1.5]])).toThrow(RangeError);
  });

  it('merging joint tables equals the table of the concatenated pairs', () => {
    const pairs = fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })), { maxLength: 60 });
    fc.assert(
      fc.property(pairs, pairs, (a, b) => {
        expect(mergeJoint(jointFromPairs(a), jointFromPairs(b))).toEqual(jointFromPairs([...a, ...b]));
      }),
    );
  });
});
