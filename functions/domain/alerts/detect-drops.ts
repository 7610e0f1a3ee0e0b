import { CES_7, type Histogram, holmAdjust, NPS_11, type Scale } from '../statistics';
import { type AlertThresholds, DEFAULT_MEAN_DROP_SHARE } from './alert-thresholds-schema';
import { ALERT_METRICS, type AlertMetric, compareWindows, type WindowComparison } from './compare-windows';

/**
 * One-sided significance level of a drop, family-wise: "significant at 95%" read as the two-sided
 * 95% interval of the change lying entirely below zero, i.e. a one-sided test at 2.5%. Alerts look
 * only for drops, so the other 2.5% is never spent, and a survey with no real change alerts on at
 * most 2.5% of evaluations whatever its number of segments (docs/alerts.md).
 */
export const DROP_SIGNIFICANCE = 0.025;

/** A rated question a metric is computed from; `id` keys the scopes' histograms. */
export interface AlertQuestion {
  id: string;
  scale: Scale;
}

/**
 * The survey's questions behind each metric. CSAT needs a Likert question (the report's: the
 * overall question when it is Likert, else the first Likert); the mean is the overall question's,
 * on its own scale, and is not tested separately when the overall question is the CES question
 * (it would be the CES test twice). NPS is always 0–10 and CES 1–7.
 */
export interface AlertQuestions {
  csat?: AlertQuestion | undefined;
  nps?: { id: string } | undefined;
  ces?: { id: string } | undefined;
  overall?: AlertQuestion | undefined;
}

/** Histograms of one scope: all responses (`segment: null`) or one declared segment. */
export interface ScopeWindows {
  segment: string | null;
  /** Per question id, the histogram over the current window; a question nobody answered may be absent. */
  current: Readonly<Record<string, Histogram>>;
  /** Per question id, the histogram over the baseline window. */
  baseline: Readonly<Record<string, Histogram>>;
}

export interface DropDetectionInput {
  questions: AlertQuestions;
  scopes: readonly ScopeWindows[];
  thresholds: AlertThresholds;
}

/**
 * Why a (scope, metric) does or does not alert: `drop` (significant after the correction and at
 * least the practical minimum), `too-small` (significant, smaller than the minimum),
 * `not-significant`, or `low-sample` (a window has fewer answers than the minimum: not tested).
 */
export type DropStatus = 'drop' | 'too-small' | 'not-significant' | 'low-sample';

export interface DropDecision extends WindowComparison {
  segment: string | null;
  metric: AlertMetric;
  questionId: string;
  /** Practical minimum that applied, in the metric's unit. */
  minimumDrop: number;
  /** Holm-adjusted `pValue` over every test of this evaluation; null when not tested. */
  adjustedP: number | null;
  status: DropStatus;
}

export interface DropDetection {
  /** Number of tests the multiple-testing correction covered (the decisions that are not low-sample). */
  tested: number;
  decisions: DropDecision[];
}

/** The question and scale each metric of the survey is computed from, in `ALERT_METRICS` order. */
export function metricQuestions(questions: AlertQuestions): { metric: AlertMetric; question: AlertQuestion }[] {
  const out: { metric: AlertMetric; question: AlertQuestion }[] = [];
  for (const metric of ALERT_METRICS) {
    let question: AlertQuestion | undefined;
    if (metric === 'csat') question = questions.csat;
    else if (metric === 'nps') question = questions.nps && { id: questions.nps.id, scale: NPS_11 };
    else if (metric === 'ces') question = questions.ces && { id: questions.ces.id, scale: CES_7 };
    else if (questions.overall && questions.overall.id !== questions.ces?.id) question = questions.overall;
    if (question) out.push({ metric, question });
  }
  return out;
}

/** The practical minimum of a metric, in its unit. */
export function minimumDropOf(metric: AlertMetric, scale: Scale, thresholds: AlertThresholds): number {
  if (metric === 'mean') return thresholds.minimumDrop.mean ?? DEFAULT_MEAN_DROP_SHARE * (scale.max - scale.min);
  return thresholds.minimumDrop[metric];
}

/** Key of a scope: 'overall' or 'segment:<name>' (a segment may itself be called "overall"). */
export function scopeKey(segment: string | null): string {
  return segment === null ? 'overall' : `segment:${segment}`;
}

/**
 * Compares the current window with the baseline for every scope × metric of one survey. A metric is
 * tested only when both windows have at least `minimumSample` answers; the p-values of all tests
 * are adjusted together by Holm's method, so the chance that a survey with no real change alerts
 * anywhere stays at most DROP_SIGNIFICANCE however many segments and metrics it has. A test alerts
 * when its adjusted p ≤ DROP_SIGNIFICANCE and the estimated drop is at least the practical minimum.
 * Pure: no I/O, the same input always gives the same decisions.
 */
export function detectDrops(input: DropDetectionInput): DropDetection {
  const seen = new Set<string>();
  for (const scope of input.scopes) {
    const key = scopeKey(scope.segment);
    if (seen.has(key)) throw new RangeError(`detectDrops: scope ${key} is given twice`);
    seen.add(key);
  }
  const plan = metricQuestions(input.questions);
  const { minimumSample } = input.thresholds;
  const rows = input.scopes.flatMap((scope) =>
    plan.map(({ metric, question }) => {
      const comparison = compareWindows(
        metric,
        question.scale,
        scope.current[question.id] ?? {},
        scope.baseline[question.id] ?? {},
      );
      const tested =
        comparison.pValue !== null && comparison.current.n >= minimumSample && comparison.baseline.n >= minimumSample;
      return { scope, metric, question, comparison, tested };
    }),
  );
  const testedRows = rows.filter((r) => r.tested);
  const adjusted = holmAdjust(testedRows.map((r) => r.comparison.pValue ?? 1));
  const adjustedOf = new Map(testedRows.map((r, i) => [r, adjusted[i] ?? 1]));
  const decisions = rows.map((row): DropDecision => {
    const minimumDrop = minimumDropOf(row.metric, row.question.scale, input.thresholds);
    const adjustedP = adjustedOf.get(row) ?? null;
    const { estimate } = row.comparison;
    let status: DropStatus;
    if (adjustedP === null || estimate === null) status = 'low-sample';
    else if (adjustedP > DROP_SIGNIFICANCE) status = 'not-significant';
    else if (-estimate < minimumDrop) status = 'too-small';
    else status = 'drop';
    return {
      segment: row.scope.segment,
      metric: row.metric,
      questionId: row.question.id,
      ...row.comparison,
      minimumDrop,
      adjustedP,
      status,
    };
  });
  return { tested: testedRows.length, decisions };
}
