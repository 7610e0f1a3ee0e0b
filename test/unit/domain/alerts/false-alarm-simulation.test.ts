/**
 * The false-alarm guarantee, checked by simulation: both windows are drawn from the SAME answer
 * distribution thousands of times (seeded, so the run is reproducible) and the real detector judges
 * each draw. Practical minimums are set to 0 here, the worst case: the significance test and the
 * multiple-testing correction alone must keep the family-wise rate — the share of draws in which a
 * survey alerts anywhere — at most 5% (designed: 2.5%, DROP_SIGNIFICANCE).
 *
 * How the rate is asserted, with its simulation error: the upper end of the 99% Wilson interval of
 * the observed rate must be at most 5%, so the guarantee is shown, not just not contradicted. Not
 * asserted: staying at the 2.5% design level. Approximate tests run a little above it in their
 * hardest corner (CSAT near 100% with 30 answers: about 3.5%), which docs/alerts.md reports.
 *
 * `npm run bench:alerts` prints the table docs/alerts.md quotes from the same settings, plus the
 * slower survey-year simulation of the lifecycle.
 */
import { describe, expect, it } from 'vitest';
import { falseAlarmSettings, worstCase } from '../../../../bench/alert-simulation/models';
import {
  rateInterval,
  type SimulationResult,
  type SurveyModel,
  simulate,
} from '../../../../bench/alert-simulation/simulation';

const settings = falseAlarmSettings;

const results = new Map<string, SimulationResult>();
function run(model: SurveyModel, draws: number): SimulationResult {
  const result = simulate(model, { draws, seed: 20_251_129, thresholds: worstCase });
  results.set(model.name, result);
  return result;
}

describe('false alarms when nothing changed (practical minimums 0, the worst case)', () => {
  it.each(settings.map((s) => [s.model.name, s] as const))('%s: family-wise rate ≤ 5%', (_, { model, draws }) => {
    const result = run(model, draws);
    const interval = rateInterval(result.alerted, result.draws);
    expect(interval.high).toBeLessThanOrEqual(0.05);
  });

  it('the simulation would see a missing correction: uncorrected, ten segments alert far more than 5%', () => {
    const name = 'ten segments, all metrics, 400 vs 1600';
    const setting = settings.find((s) => s.model.name === name);
    if (!setting) throw new Error(`no setting ${name}`);
    const result = results.get(name) ?? run(setting.model, setting.draws);
    expect(result.meanTested).toBeGreaterThan(40);
    expect(rateInterval(result.alertedUncorrected, result.draws).low).toBeGreaterThan(0.05);
  });
});
