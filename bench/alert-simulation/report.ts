/**
 * `npm run bench:alerts`: prints the drop detector's simulation tables that docs/alerts.md quotes —
 * false-alarm rates when nothing changed, the share of real drops caught, and how often a steady
 * survey alerts per year. Same seeded models as the unit tests, more draws and more settings, so it
 * takes minutes rather than seconds and is not part of `npm test`.
 */
import { defaultAlertThresholds } from '../../functions/domain/alerts';
import { droppedSurvey, falseAlarmSettings, fullSurvey, worstCase } from './models';
import { PROFILES, rateInterval, type SurveyModel, simulate, simulateDaily } from './simulation';

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

function falseAlarms(): void {
  console.log('\nFalse alarms when nothing changed (family-wise rate per evaluation)');
  const rows = falseAlarmSettings.map(({ model, draws }) => {
    const zero = simulate(model, { draws, seed: 20_251_129, thresholds: worstCase });
    const withDefaults = simulate(model, { draws, seed: 20_251_129, thresholds: defaultAlertThresholds() });
    const ci = rateInterval(zero.alerted, zero.draws);
    return {
      setting: model.name,
      draws,
      'tests/draw': zero.meanTested.toFixed(1),
      'rate (min 0)': pct(zero.alerted / draws),
      '99% CI': `${pct(ci.low)}–${pct(ci.high)}`,
      uncorrected: pct(zero.alertedUncorrected / draws),
      'rate (default mins)': pct(withDefaults.alerted / draws),
    };
  });
  console.table(rows);
}

function power(): void {
  console.log('\nShare of draws that catch a CSAT drop from 80% (default thresholds)');
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
          thresholds: defaultAlertThresholds(),
          target: { segment: segments ? 'segment-0' : null, metrics: ['csat', 'mean'] },
        });
        row[`−${Math.round(100 * drop)} pts`] = `${Math.round((100 * result.caught) / result.draws)}%`;
      }
      rows.push(row);
    }
  }
  console.table(rows);
}

function surveyYears(): void {
  console.log('\nDropped events per survey-year of a steady survey, evaluated daily or weekly');
  const model: SurveyModel = {
    name: 'all metrics, 3 segments, 40 answers a day',
    questions: fullSurvey,
    segments: [
      { name: 'retail', share: 0.5, baseline: PROFILES.typical },
      { name: 'enterprise', share: 0.3, baseline: PROFILES.delighted },
      { name: 'trial', share: 0.2, baseline: PROFILES.unhappy },
    ],
    currentN: 40,
    baselineRatio: 4,
  };
  const rows = [];
  for (const everyDays of [1, 7]) {
    for (const [label, thresholds] of [
      ['0', worstCase],
      ['defaults', defaultAlertThresholds()],
    ] as const) {
      const r = simulateDaily(model, { years: 40, seed: 7, thresholds, everyDays });
      rows.push({
        evaluated: everyDays === 1 ? 'daily' : 'weekly',
        'practical minimums': label,
        'survey-years': r.years,
        'dropped events per year': (r.dropped / r.years).toFixed(2),
        'days with an open alert': pct((r.daysWithOpenAlert * everyDays) / (r.years * 365)),
        'dropped per evaluation': pct(r.dropped / r.evaluations),
      });
    }
  }
  console.table(rows);
}

falseAlarms();
power();
surveyYears();
