import { type Histogram, histogramTotal, type Scale } from '../statistics';
import type { AlertEvent } from './alert-events';
import { type AlertMetric, compareWindows } from './compare-windows';
import {
  DROP_SIGNIFICANCE,
  type DropDetection,
  type DropDetectionInput,
  metricQuestions,
  scopeKey,
} from './detect-drops';

/**
 * An alert that fired and has not recovered: the `dropped` state of one (survey, scope, metric).
 * A (scope, metric) without an open alert is `ok`.
 */
export interface OpenAlert {
  /** Stable id of this alert episode: survey, metric, day it fired, scope. */
  alertId: string;
  segment: string | null;
  metric: AlertMetric;
  questionId: string;
  scale: Scale;
  /** Last day of the current window of the evaluation that fired it ('YYYY-MM-DD'). */
  droppedOn: string;
  /**
   * The baseline window it fired against, frozen. Recovery is judged against this, not against the
   * rolling baseline, which after a few weeks contains the drop itself and would "recover" a
   * survey that never got better.
   */
  reference: Histogram;
  referenceValue: number;
  /** The practical minimum when it fired (the recovery band is half of it). */
  minimumDrop: number;
}

/** Open alerts of one survey by `alertKey`; everything else is ok. Plain data, ready to store. */
export type AlertStates = Readonly<Record<string, OpenAlert>>;

export function alertKey(segment: string | null, metric: AlertMetric): string {
  return `${metric}:${scopeKey(segment)}`;
}

export interface AdvanceInput {
  surveyId: string;
  /** Last day of the current window ('YYYY-MM-DD'). */
  asOf: string;
  input: DropDetectionInput;
  detection: DropDetection;
  previous: AlertStates;
}

export interface AdvanceResult {
  states: AlertStates;
  events: AlertEvent[];
}

/**
 * The alert lifecycle of one survey, one evaluation step. Pure: states in, states and events out.
 *
 * - ok → dropped when the detection says `drop`: emits `satisfaction.dropped` once and freezes the
 *   baseline it fired against.
 * - dropped stays dropped, silently (the cooldown), until the current window, with at least the
 *   minimum sample, is back near that frozen baseline: its estimated drop is less than HALF the
 *   practical minimum AND it is no longer significantly below it, even without the multiple-testing
 *   correction (one-sided p > DROP_SIGNIFICANCE). Then dropped → ok, emitting
 *   `satisfaction.recovered`. Firing needs a drop of at least the whole minimum and a corrected
 *   p ≤ DROP_SIGNIFICANCE, so between the two thresholds lies a band where nothing changes: a figure
 *   hovering at the edge cannot flap between alert and recovery.
 * - A (scope, metric) that recovers in a step cannot fire again in the same step.
 * - An open alert whose segment or question is no longer evaluated (or whose question's scale
 *   changed) is closed with reason `no-longer-measured`.
 */
export function advanceAlerts({ surveyId, asOf, input, detection, previous }: AdvanceInput): AdvanceResult {
  const states: Record<string, OpenAlert> = {};
  const events: AlertEvent[] = [];
  const plan = new Map(metricQuestions(input.questions).map((m) => [m.metric, m.question]));
  const scopes = new Map(input.scopes.map((s) => [scopeKey(s.segment), s]));
  const openAtStart = new Set(Object.keys(previous));

  for (const [key, alert] of Object.entries(previous)) {
    const question = plan.get(alert.metric);
    const scope = scopes.get(scopeKey(alert.segment));
    const reference = { n: histogramTotal(alert.reference, alert.scale), value: alert.referenceValue };
    const base = {
      type: 'satisfaction.recovered' as const,
      id: `${alert.alertId}:recovered`,
      alertId: alert.alertId,
      surveyId,
      segment: alert.segment,
      metric: alert.metric,
      questionId: alert.questionId,
      on: asOf,
      droppedOn: alert.droppedOn,
      reference,
    };
    const sameQuestion =
      question !== undefined &&
      question.id === alert.questionId &&
      question.scale.min === alert.scale.min &&
      question.scale.max === alert.scale.max;
    if (!scope || !sameQuestion) {
      events.push({ ...base, reason: 'no-longer-measured', current: null, estimate: null, pValue: null });
      continue;
    }
    const now = compareWindows(alert.metric, alert.scale, scope.current[alert.questionId] ?? {}, alert.reference);
    const recovered =
      now.current.n >= input.thresholds.minimumSample &&
      now.estimate !== null &&
      now.pValue !== null &&
      now.pValue > DROP_SIGNIFICANCE &&
      -now.estimate < alert.minimumDrop / 2;
    if (recovered) {
      events.push({ ...base, reason: 'recovered', current: now.current, estimate: now.estimate, pValue: now.pValue });
    } else {
      states[key] = alert;
    }
  }

  for (const d of detection.decisions) {
    const key = alertKey(d.segment, d.metric);
    if (d.status !== 'drop' || openAtStart.has(key)) continue;
    const question = plan.get(d.metric);
    const scope = scopes.get(scopeKey(d.segment));
    if (
      !question ||
      !scope ||
      d.estimate === null ||
      d.ci95 === null ||
      d.pValue === null ||
      d.adjustedP === null ||
      d.baseline.value === null
    ) {
      throw new RangeError(`advanceAlerts: decision ${key} does not belong to this input`);
    }
    const alertId = `${surveyId}:${d.metric}:${asOf}:${scopeKey(d.segment)}`;
    states[key] = {
      alertId,
      segment: d.segment,
      metric: d.metric,
      questionId: question.id,
      scale: question.scale,
      droppedOn: asOf,
      reference: { ...(scope.baseline[question.id] ?? {}) },
      referenceValue: d.baseline.value,
      minimumDrop: d.minimumDrop,
    };
    events.push({
      type: 'satisfaction.dropped',
      id: `${alertId}:dropped`,
      alertId,
      surveyId,
      segment: d.segment,
      metric: d.metric,
      questionId: question.id,
      on: asOf,
      current: d.current,
      baseline: d.baseline,
      estimate: d.estimate,
      ci95: d.ci95,
      pValue: d.pValue,
      adjustedP: d.adjustedP,
      minimumDrop: d.minimumDrop,
    });
  }
  return { states, events };
}
