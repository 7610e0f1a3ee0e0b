import type { Interval } from '../statistics';
import type { AlertMetric, WindowFigure } from './compare-windows';

/**
 * What the alert lifecycle emits; the webhook events `satisfaction.dropped` and
 * `satisfaction.recovered` carry these fields. No personal data: figures and counts only.
 */
export interface DroppedEvent {
  type: 'satisfaction.dropped';
  /** Deterministic: a retried evaluation of the same input yields the same id. */
  id: string;
  alertId: string;
  surveyId: string;
  segment: string | null;
  metric: AlertMetric;
  questionId: string;
  /** Last day of the current window. */
  on: string;
  current: WindowFigure;
  baseline: WindowFigure;
  estimate: number;
  ci95: Interval;
  pValue: number;
  adjustedP: number;
  minimumDrop: number;
}

/**
 * `recovered`: the current window is back near the level it fell from. `no-longer-measured`: the
 * segment or the question (or its scale) it was measured on is gone, so it can never recover; the
 * alert is closed rather than left open forever.
 */
export type RecoveryReason = 'recovered' | 'no-longer-measured';

export interface RecoveredEvent {
  type: 'satisfaction.recovered';
  id: string;
  alertId: string;
  surveyId: string;
  segment: string | null;
  metric: AlertMetric;
  questionId: string;
  on: string;
  droppedOn: string;
  reason: RecoveryReason;
  /** The current window (null when no longer measured). */
  current: WindowFigure | null;
  /** The baseline the drop fired against. */
  reference: WindowFigure;
  /** current − reference; null when no longer measured. */
  estimate: number | null;
  /** One-sided p-value of "current below reference", unadjusted; null when no longer measured. */
  pValue: number | null;
}

export type AlertEvent = DroppedEvent | RecoveredEvent;
