import { describe, expect, it } from 'vitest';
import { drivers } from '../../../../functions/domain/statistics/drivers';
import { histogramFromValues } from '../../../../functions/domain/statistics/histogram';
import { jointFromPairs } from '../../../../functions/domain/statistics/joint-counts';

const SCALE = { min: 1, max: 5 };

function item(questionId: string, pairs: [number, number][], extraAnswers: number[] = []) {
  return {
    questionId,
    joint: jointFromPairs(pairs),
    hist: histogramFromValues([...pairs.map((p) => p[0]), ...extraAnswers]),
    scale: SCALE,
  };
}

describe('drivers', () => {
  it('puts importance (rho) beside performance (mean), most important first, undefined last', () => {
    const result = drivers([
      item('flat', [
        [3, 1],
        [3, 5],
      ]), // item never varies → rho null
      item('weak', [
        [1, 2],
        [2, 1],
        [2, 3],
        [3, 3],
        [3, 3],
      ]), // rho = 5.5/√72 (see spearman test)
      item('inverse', [
        [1, 5],
        [5, 1],
      ]), // rho = −1
      item(
        'strong',
        [
          [1, 1],
          [2, 2],
          [5, 5],
        ],
        [4, 4],
      ), // rho = 1; mean over 5 answers = 16/5
    ]);
    expect(result.map((r) => r.questionId)).toEqual(['strong', 'weak', 'inverse', 'flat']);
    expect(result[0]).toEqual({
      questionId: 'strong',
      rho: expect.closeTo(1, 12),
      mean: 16 / 5,
      n: 3,
      meanN: 5,
      lowSample: true,
    });
    expect(result[1]!.rho).toBeCloseTo(0.6481812161, 9);
    expect(result[1]!.mean).toBeCloseTo(11 / 5, 12);
    expect(result[3]).toMatchObject({ rho: null, mean: 3 });
  });

  it('orders ties by questionId and flags low samples on either count', () => {
    const many: [number, number][] = Array.from({ length: 30 }, (_, i) => [(i % 5) + 1, (i % 5) + 1]);
    const result = drivers([item('b', many), item('a', many), item('c', many.slice(1))]);
    expect(result.map((r) => [r.questionId, r.lowSample])).toEqual([
      ['a', false],
      ['b', false],
      ['c', true],
    ]);
    expect(drivers([])).toEqual([]);
  });

  it('throws when an item answer is outside its scale', () => {
    expect(() => drivers([{ ...item('x', [[1, 1]]), joint: { '9|1': 1 } }])).toThrow(RangeError);
    expect(() => drivers([{ ...item('x', [[1, 11]]), overallScale: { min: 0, max: 10 } }])).toThrow(RangeError);
  });
});
