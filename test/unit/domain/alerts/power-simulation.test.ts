/**
 * Power, checked by simulation: a real drop of a stated size, with a stated number of answers, is
 * caught in most draws — with the default thresholds (practical minimums included), the
 * multiple-testing correction over every scope and metric, and windows of the default lengths at a
 * steady daily rate (so the 28-day baseline has four times the answers of the 7-day window).
 * "Caught" means the dropped segment's CSAT or overall-mean alert fired. Asserted: the lower end of
 * the 99% Wilson interval of the caught share is at least 80%.
 *
 * `npm run bench:alerts` prints the power table docs/alerts.md quotes.
 */
import { describe, expect, it } from 'vitest';
import { droppedSurvey } from '../../../../bench/alert-simulation/models';
import { rateInterval, type SurveyModel, simulate } from '../../../../bench/alert-simulation/simulation';
import { defaultAlertThresholds } from '../../../../functions/domain/alerts';

const thresholds = defaultAlertThresholds();

function power(model: SurveyModel, segment: string | null, draws: number): number {
  const result = simulate(model, { draws, seed: 11, thresholds, target: { segment, metrics: ['csat', 'mean'] } });
  return rateInterval(result.caught, result.draws).low;
}

describe('power: real drops are caught', () => {
  it('CSAT-only survey: 80% → 70% with 300 answers this week (1,200 in the baseline)', () => {
    const model = droppedSurvey({ full: false, segments: 0, perScopeN: 300, from: 0.8, to: 0.7 });
    expect(power(model, null, 800)).toBeGreaterThanOrEqual(0.8);
  });

  it('all four metrics, five segments: one segment 80% → 65% with 200 answers this week (800 in the baseline)', () => {
    // 6 scopes × 4 metrics = 24 tests share the 2.5%: the price of watching every segment.
    const model = droppedSurvey({ full: true, segments: 5, perScopeN: 200, from: 0.8, to: 0.65 });
    expect(power(model, 'segment-0', 500)).toBeGreaterThanOrEqual(0.8);
  });
});
