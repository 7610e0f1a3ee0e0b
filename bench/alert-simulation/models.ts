/**
 * The survey models the drop-detector simulations run: the settings that stress each test where it is
 * weakest (false alarms) and surveys whose CSAT really drops (power). The unit tests assert on them;
 * `npm run bench:alerts` prints the tables docs/alerts.md quotes from the same models.
 */
import { type AlertThresholds, defaultAlertThresholds } from '../../functions/domain/alerts';
import { PROFILES, type Profile, QUESTIONS, type SurveyModel, satisfaction5 } from './simulation';

export const worstCase: AlertThresholds = {
  ...defaultAlertThresholds(),
  minimumDrop: { csat: 0, nps: 0, ces: 0, mean: 0 },
};

export const fullSurvey = { csat: QUESTIONS.sat5, nps: QUESTIONS.nps, ces: QUESTIONS.ces, overall: QUESTIONS.sat5 };
const overallOnly = (profile: Profile) => [{ name: null, share: 1, baseline: profile }];
const mix = [PROFILES.typical, PROFILES.delighted, PROFILES.unhappy];

/** Settings that stress each test where it is weakest, and the many-tests case the correction is for. */
export const falseAlarmSettings: { model: SurveyModel; draws: number }[] = [
  {
    // Newcombe near a share of 1 at the minimum sample.
    model: {
      name: 'CSAT only, 95% satisfied, 30 vs 120 answers',
      questions: { csat: QUESTIONS.sat5 },
      segments: overallOnly(PROFILES.delighted),
      currentN: 30,
      baselineRatio: 4,
    },
    draws: 4000,
  },
  {
    // The NPS normal test at the minimum sample, with a skewed score.
    model: {
      name: 'NPS only, 30 vs 120 answers',
      questions: { nps: QUESTIONS.nps },
      segments: overallOnly(PROFILES.typical),
      currentN: 30,
      baselineRatio: 4,
    },
    draws: 4000,
  },
  {
    // Welch at the minimum sample on a flat distribution.
    model: {
      name: 'CES only, flat answers, 30 vs 120 answers',
      questions: { ces: QUESTIONS.ces },
      segments: overallOnly(PROFILES.unhappy),
      currentN: 30,
      baselineRatio: 4,
    },
    draws: 4000,
  },
  {
    model: {
      name: 'all four metrics, 200 vs 800 answers',
      questions: fullSurvey,
      segments: overallOnly(PROFILES.typical),
      currentN: 200,
      baselineRatio: 4,
    },
    draws: 2000,
  },
  {
    // 7-point scale; one small segment is usually below the minimum sample and not tested.
    model: {
      name: '7-point, 3 unequal segments + others, 150 vs 600',
      questions: { csat: QUESTIONS.sat7, nps: QUESTIONS.nps, ces: QUESTIONS.ces, overall: QUESTIONS.sat7 },
      segments: [
        { name: 'retail', share: 0.5, baseline: PROFILES.typical },
        { name: 'enterprise', share: 0.3, baseline: PROFILES.delighted },
        { name: 'trial', share: 0.15, baseline: PROFILES.unhappy },
        { name: null, share: 0.05, baseline: PROFILES.typical },
      ],
      currentN: 150,
      baselineRatio: 4,
    },
    draws: 1500,
  },
  {
    // The case the correction exists for: 11 scopes × 4 metrics = 44 tests per evaluation.
    model: {
      name: 'ten segments, all metrics, 400 vs 1600',
      questions: fullSurvey,
      segments: Array.from({ length: 10 }, (_, i) => ({
        name: `segment-${i}`,
        share: 0.1,
        baseline: mix[i % 3] ?? PROFILES.typical,
      })),
      currentN: 400,
      baselineRatio: 4,
    },
    draws: 1200,
  },
];

const withSatisfaction = (csatShare: number) => ({ ...PROFILES.typical, sat5: satisfaction5(csatShare) });

/** A survey of `segments` equal segments (overall only when 0) where the first one's CSAT drops. */
export function droppedSurvey(options: {
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
