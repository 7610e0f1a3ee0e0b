/**
 * Power, checked by simulation: a real drop of a stated size, with a stated number of answers, is
 * caught in most draws — with the default thresholds (practical minimums included), the
 * multiple-testing correction over every scope and metric, and windows of the default lengths at a
 * steady daily rate (so the 28-day baseline has four times the answers of the 7-day window).
 * "Caught" means the dropped segment's CSAT or overall-mean alert fired. Asserted: the lower end of
 * the 99% Wilson interval of the caught share is at least 80%.
 *
 * `ALERT_SIMULATION_REPORT=1 npx vitest run test/unit/domain/alerts/power-simulation.test.ts` also
 * prints the power table docs/alerts.md quotes.
 */
import { describe, expect, it } from 'vitest';
import { defaultAlertThresholds } from '../../../../functions/domain/alerts';
import { PROFILES, QUESTIONS, rateInterval, type SurveyModel, satisfaction5, simulate } from './simulation';

const REPORT = process.env.ALERT_SIMULATION_REPORT === '1';
const thresholds = defaultAlertThresholds();
const fullSurvey = { csat: QUESTIONS.sat5, nps: QUESTIONS.nps, ces: QUESTIONS.ces, overall: QUESTIONS.sat5 };
const withSatisfaction = (csatShare: number) => ({ ...PROFILES.typical, sat5: satisfaction5(csatShare) });

/** A survey of `segments` equal segments (overall only when 0) where the first one's CSAT drops. */
function droppedSurvey(options: {
  full: boolean;
  segments: number;
  perScopeN: number;
  from: number;
  to: number;
}): SurveyModel {
  const baseline = withSatisfaction(options.from);
  const current = withSatisfaction(options.to);
  const questions = options.full ? fullSurvey : { csat: QUESTIONS.sat5 };
  const name = `${options.full ? 'all metrics' : 'CSAT only'}, ${options.segments || 'no'} segments, CSAT ${100 * options.from}% → ${100 * options.to}%, ${options.perScopeN} vs ${4 * options.perScopeN} answers`;
  if (options.segments === 0) {
    return {
      name,
      questions,
      segments: [{ name: null, share: 1, baseline, current }],
      currentN: options.perScopeN,
      baselineRatio: 4,
    };
  }
  return {
    name,
    questions,
    segments: Array.from({ length: options.segments }, (_, i) => ({
      name: `segment-${i}`,
      share: 1 / options.segments,
      baseline,
      ...(i === 0 ? { current } : {}),
    })),
    currentN: options.perScopeN * options.segments,
    baselineRatio: 4,
  };
}

function power(model: SurveyModel, segment: string | null, draws: number): number {
  const result = simulate(model, { draws, seed: 11, thresholds, target: { segment, metrics: ['csat', 'mean'] } });
  const interval = rateInterval(result.caught, result.draws);
  if (REPORT) {
    console.log(
      `${model.name}: caught ${result.caught}/${result.draws}, 99% CI ${interval.low.toFixed(3)}–${interval.high.toFixed(3)}`,
    );
  }
  return interval.low;
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

  it.runIf(REPORT)(
    'report: share of draws that catch a CSAT drop from 80%',
    () => {
      const rows = [];
      for (const [full, segments] of [
        [false, 0],
        [true, 0],
        [true, 5],
      ] as const) {
        for (const n of [50, 100, 200, 500]) {
          const row: Record<string, string | number> = {
            survey: `${full ? 'all metrics' : 'CSAT only'}, ${segments ? `drop in 1 of ${segments} segments` : 'overall'}`,
            'answers/week (scope)': n,
          };
          for (const drop of [0.05, 0.1, 0.15, 0.2]) {
            const model = droppedSurvey({ full, segments, perScopeN: n, from: 0.8, to: 0.8 - drop });
            const result = simulate(model, {
              draws: 400,
              seed: 11,
              thresholds,
              target: { segment: segments ? 'segment-0' : null, metrics: ['csat', 'mean'] },
            });
            row[`−${Math.round(100 * drop)} pts`] = `${Math.round((100 * result.caught) / result.draws)}%`;
          }
          rows.push(row);
        }
      }
      console.table(rows);
    },
    600_000,
  );
});
