import { describe, expect, it } from 'vitest';
import { defaultAlertThresholds } from '../../../../functions/domain/alerts/alert-thresholds-schema';
import {
  type AlertQuestions,
  DROP_SIGNIFICANCE,
  detectDrops,
  type ScopeWindows,
} from '../../../../functions/domain/alerts/detect-drops';
import { type Histogram, holmAdjust } from '../../../../functions/domain/statistics';

const L5 = { min: 1, max: 5 };
const thresholds = defaultAlertThresholds();

/** A 1–5 histogram with `satisfied` answers of 5 and the rest 2: CSAT = satisfied / n. */
const likert = (satisfied: number, n: number): Histogram => ({ '5': satisfied, '2': n - satisfied });

const csatOnly: AlertQuestions = { csat: { id: 'sat', scale: L5 } };
const scope = (segment: string | null, current: Histogram, baseline: Histogram): ScopeWindows => ({
  segment,
  current: { sat: current },
  baseline: { sat: baseline },
});

describe('detectDrops', () => {
  it('alerts on a real drop and says why the other scopes do not', () => {
    const detection = detectDrops({
      questions: csatOnly,
      thresholds,
      scopes: [
        scope(null, likert(700, 1000), likert(3300, 4000)), // 70% vs 82.5%: a real drop
        scope('retail', likert(160, 200), likert(640, 800)), // 80% vs 80%: nothing
        scope('trial', likert(5, 10), likert(32, 40)), // 50% vs 80%, but only 10 answers
        scope('vip', likert(19_600, 20_000), likert(79_200, 80_000)), // 98% vs 99%: real but small
      ],
    });
    const by = (segment: string | null) => detection.decisions.find((d) => d.segment === segment);
    expect(detection.tested).toBe(3);
    expect(by(null)).toMatchObject({ metric: 'csat', questionId: 'sat', status: 'drop', minimumDrop: 5 });
    expect(by(null)?.estimate).toBeCloseTo(-12.5, 10);
    expect(by('retail')).toMatchObject({ status: 'not-significant', estimate: 0, pValue: 0.5 });
    expect(by('trial')).toMatchObject({ status: 'low-sample', adjustedP: null, current: { n: 10 } });
    expect(by('trial')?.pValue).not.toBeNull();
    expect(by('vip')?.status).toBe('too-small');
    expect(by('vip')?.adjustedP).toBeLessThanOrEqual(DROP_SIGNIFICANCE);
  });

  it('adjusts the p-values of every tested scope × metric together (Holm)', () => {
    const detection = detectDrops({
      questions: { csat: { id: 'sat', scale: L5 }, overall: { id: 'sat', scale: L5 }, nps: { id: 'nps' } },
      thresholds,
      scopes: [null, 'a', 'b'].map((segment, i) => ({
        segment,
        current: { sat: likert(60 + 5 * i, 100), nps: { '10': 40, '7': 30, '3': 30 } },
        baseline: { sat: likert(300, 400), nps: { '10': 170, '8': 130, '2': 100 } },
      })),
    });
    expect(detection.decisions).toHaveLength(9);
    expect(detection.decisions.map((d) => d.metric)).toEqual([
      'csat',
      'nps',
      'mean',
      'csat',
      'nps',
      'mean',
      'csat',
      'nps',
      'mean',
    ]);
    const raw = detection.decisions.map((d) => d.pValue ?? 1);
    expect(detection.decisions.map((d) => d.adjustedP)).toEqual(holmAdjust(raw));
  });

  it('a borderline drop alerts alone but not when it is one of many tests', () => {
    // 68% vs 75% with 300/1200 answers: one-sided p ≈ 0.009, below 0.025 alone, above 0.025/44 with 43 others.
    const drop = scope(null, likert(204, 300), likert(900, 1200));
    const alone = detectDrops({ questions: csatOnly, thresholds, scopes: [drop] });
    expect(alone.decisions[0]?.status).toBe('drop');
    const calm = Array.from({ length: 43 }, (_, i) => scope(`s${i}`, likert(150, 200), likert(600, 800)));
    const many = detectDrops({ questions: csatOnly, thresholds, scopes: [drop, ...calm] });
    expect(many.tested).toBe(44);
    expect(many.decisions[0]?.pValue).toBe(alone.decisions[0]?.pValue);
    expect(many.decisions[0]?.status).toBe('not-significant');
  });

  it('tests the overall question’s mean, except when it is the CES question', () => {
    const scopes: ScopeWindows[] = [{ segment: null, current: {}, baseline: {} }];
    const metrics = (questions: AlertQuestions) =>
      detectDrops({ questions, thresholds, scopes }).decisions.map((d) => d.metric);
    expect(metrics({ csat: { id: 'sat', scale: L5 }, overall: { id: 'sat', scale: L5 } })).toEqual(['csat', 'mean']);
    expect(metrics({ ces: { id: 'effort' }, overall: { id: 'effort', scale: { min: 1, max: 7 } } })).toEqual(['ces']);
    expect(metrics({ nps: { id: 'rec' }, overall: { id: 'rec', scale: { min: 0, max: 10 } } })).toEqual([
      'nps',
      'mean',
    ]);
    expect(metrics({})).toEqual([]);
  });

  it('the mean’s practical minimum defaults to 5% of the overall question’s range', () => {
    const minimum = (scale: { min: number; max: number }, mean?: number) =>
      detectDrops({
        questions: { overall: { id: 'q', scale } },
        thresholds: {
          ...thresholds,
          minimumDrop: { ...thresholds.minimumDrop, ...(mean === undefined ? {} : { mean }) },
        },
        scopes: [{ segment: null, current: {}, baseline: {} }],
      }).decisions[0]?.minimumDrop;
    expect(minimum({ min: 1, max: 5 })).toBeCloseTo(0.2, 12);
    expect(minimum({ min: 1, max: 7 })).toBeCloseTo(0.3, 12);
    expect(minimum({ min: 0, max: 10 })).toBeCloseTo(0.5, 12);
    expect(minimum({ min: 1, max: 5 }, 0.1)).toBe(0.1);
  });

  it('treats a missing histogram as no answers, and a segment called "overall" as a segment', () => {
    const detection = detectDrops({
      questions: csatOnly,
      thresholds,
      scopes: [
        { segment: null, current: {}, baseline: { sat: likert(30, 40) } },
        scope('overall', likert(20, 40), likert(120, 160)),
      ],
    });
    expect(detection.decisions.map((d) => [d.segment, d.status])).toEqual([
      [null, 'low-sample'],
      ['overall', expect.any(String)],
    ]);
    expect(() =>
      detectDrops({ questions: csatOnly, thresholds, scopes: [scope('a', {}, {}), scope('a', {}, {})] }),
    ).toThrow(RangeError);
  });

  it('respects the minimum sample: 29 answers are not tested, 30 are', () => {
    const at = (n: number) =>
      detectDrops({ questions: csatOnly, thresholds, scopes: [scope(null, likert(0, n), likert(4 * n, 4 * n))] })
        .decisions[0]?.status;
    expect(at(29)).toBe('low-sample');
    expect(at(30)).toBe('drop');
  });
});
