/**
 * Rapport's metrics in CloudWatch embedded metric format (Powertools): one shared `Metrics` instance
 * for request-scoped metrics (flushed by `requestMetrics()`), and typed helpers for the business
 * metrics the alarms and the dashboard read (docs/design.md §10).
 *
 * The business helpers publish at once, each call as one EMF line with its own dimension sets, so a
 * series never picks up another request's dimensions and one aggregator batch can report several
 * surveys. Every line declares two dimension sets: per survey (`service`, `SurveyId`) for the
 * per-survey view, and `service` alone for the all-surveys series the alarms watch.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import { BUSINESS_SERVICE, DEFAULT_METRICS_NAMESPACE, dimensionNames, metricNames } from '../contracts/metric-names';
import { type RejectionReason, rejectionReasons, SubmissionRejected } from '../domain/surveys/rejection';
import { logger } from './logger';

const namespace = process.env.POWERTOOLS_METRICS_NAMESPACE || DEFAULT_METRICS_NAMESPACE;

/** The function's shared metrics: add request-scoped metrics here; `requestMetrics()` flushes them. */
export const metrics = new Metrics({ namespace, serviceName: BUSINESS_SERVICE });

/** Used only synchronously inside the helpers below (add → publish, no await in between). */
const business = new Metrics({ namespace, serviceName: BUSINESS_SERVICE });

/**
 * Counts of one accepted response (usually 0 or 1 each): `rated` = it has a headline rating (the overall
 * question, else NPS; skipped = 0), `satisfied` = that rating is satisfied (top-2 box), `detractor` = it
 * is a detractor (NPS 0–6, or the overall question's bottom two points). Each is at most `rated`.
 */
export interface RatingCounts {
  readonly satisfied: number;
  readonly detractor: number;
  /** The denominator of CSAT and detractor share. */
  readonly rated: number;
}

/**
 * One response was accepted: `ResponsesAccepted` = 1 and its rating counts (`Satisfied`, `Detractors`,
 * `RatedAnswers`), per survey and across all surveys. CSAT = Satisfied / RatedAnswers and detractor
 * share = Detractors / RatedAnswers over any window, summed in CloudWatch.
 */
export function recordResponseAccepted(surveyId: string, counts: RatingCounts): void {
  const values: [string, number][] = [[metricNames.responsesAccepted, 1]];
  if (isConsistent(counts)) {
    values.push(
      [metricNames.satisfied, counts.satisfied],
      [metricNames.detractors, counts.detractor],
      [metricNames.ratedAnswers, counts.rated],
    );
  } else {
    // A metrics helper never fails the request it describes; a bad count is a bug to see in the logs.
    logger.warn('inconsistent rating counts: not recorded', { surveyId, counts: { ...counts } });
  }
  publish(surveyId ? [{}, { [dimensionNames.surveyId]: surveyId }] : [{}], values);
}

/**
 * One response was refused: `ResponsesRejected` = 1, by `Reason` and in total. Reasons are a closed set
 * (`rejectionReasons`); anything else is `other`.
 */
export function recordResponseRejected(reason: RejectionReason | string): void {
  publish([{}, { [dimensionNames.reason]: normaliseReason(reason) }], [[metricNames.responsesRejected, 1]]);
}

/** An audit entry could not be written: `AuditWriteFailed` = 1, by operation and in total. */
export function recordAuditWriteFailed(operation: string): void {
  publish([{}, { [dimensionNames.operation]: operation }], [[metricNames.auditWriteFailed, 1]]);
}

/**
 * A survey is receiving answers far faster than its own baseline: `SubmissionSurge` = 1, per survey and
 * across all surveys (the alarm), with the ratio in the log line beside it.
 */
export function recordSubmissionSurge(surveyId: string, ratio: number): void {
  publish([{}, { [dimensionNames.surveyId]: surveyId }], [[metricNames.submissionSurge, 1]]);
  logger.warn('survey answers arriving far faster than usual', { surveyId, ratio: Math.round(ratio * 10) / 10 });
}

/**
 * The aggregator set `count` stream records aside because they can never be applied: their effects are
 * missing from the aggregates until a rebuild. `StreamRecordsPoisoned` (`service` dimension only), so
 * an alarm sees it, not just the log line next to it.
 */
export function recordStreamRecordsPoisoned(count: number): void {
  if (count > 0) publish([{}], [[metricNames.streamRecordsPoisoned, count]]);
}

/** One webhook delivery attempt: `WebhookAttempts` = 1, and `WebhookAttemptFailures` = 1 unless it got a 2xx. */
export function recordWebhookAttempt(outcome: 'delivered' | 'failed' | 'refused'): void {
  publish(
    [{}],
    [
      [metricNames.webhookAttempts, 1],
      [metricNames.webhookAttemptFailures, outcome === 'delivered' ? 0 : 1],
    ],
  );
}

/** A webhook delivery used up its retries: `WebhookDeadLettered` = 1 (the alarm). */
export function recordWebhookDeadLettered(): void {
  publish([{}], [[metricNames.webhookDeadLettered, 1]]);
}

/** A subscription was disabled after repeated dead letters: `WebhookSubscriptionsDisabled` = 1. */
export function recordWebhookSubscriptionDisabled(): void {
  publish([{}], [[metricNames.webhookSubscriptionsDisabled, 1]]);
}

/** An alert event was stored: `SatisfactionDropped` or `SatisfactionRecovered` = 1, per survey and in total. */
export function recordAlertEvent(surveyId: string, type: 'satisfaction.dropped' | 'satisfaction.recovered'): void {
  const name = type === 'satisfaction.dropped' ? metricNames.satisfactionDropped : metricNames.satisfactionRecovered;
  publish([{}, { [dimensionNames.surveyId]: surveyId }], [[name, 1]]);
}

/** The mailer failed to take an e-mail: `EmailSendFailed` = 1, by kind (`alert`, `digest`) and in total. */
export function recordEmailSendFailed(kind: 'alert' | 'digest'): void {
  publish([{}, { [dimensionNames.kind]: kind }], [[metricNames.emailSendFailed, 1]]);
}

/** One survey's alert evaluation or digest failed in a run: `NotificationJobFailed` = 1, by kind and in total. */
export function recordNotificationJobFailed(kind: 'alert' | 'digest'): void {
  publish([{}, { [dimensionNames.kind]: kind }], [[metricNames.notificationJobFailed, 1]]);
}

/** The rejection reason an error of the submit path stands for (by its problem `code`). */
export function rejectionReasonOf(error: unknown): RejectionReason {
  if (error instanceof SubmissionRejected) return error.reason;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  switch (code) {
    case 'validation-failed':
      return 'invalid';
    case 'not-found':
      return 'survey-not-open';
    case 'conflict':
      return 'conflict';
    case 'forbidden':
      return 'origin-not-allowed';
    case 'payload-too-large':
      return 'too-large';
    case 'unsupported-media-type':
      return 'unsupported-media-type';
    case 'service-unavailable':
      return 'unavailable';
    default:
      return 'other';
  }
}

/**
 * middy middleware: records the cold-start metric and flushes whatever the request added to the
 * shared `metrics` (only if it added something: no "no metrics" warning on every request).
 */
export function requestMetrics<TEvent = unknown, TResult = unknown>(): MiddlewareObj<TEvent, TResult> {
  const flush = (): void => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return {
    before: (request) => {
      metrics.captureColdStartMetric(request.context.functionName);
    },
    after: flush,
    onError: flush,
  };
}

function publish(dimensionSets: Record<string, string>[], values: [string, number][]): void {
  try {
    // An empty set still carries the default `service` dimension: that is the all-surveys series.
    for (const set of dimensionSets) business.addDimensions(set);
    for (const [name, value] of values) business.addMetric(name, MetricUnit.Count, value);
    business.publishStoredMetrics();
  } catch (error) {
    business.clearMetrics();
    business.clearDimensions();
    logger.warn('business metric not recorded', { error: error instanceof Error ? error.message : String(error) });
  }
}

function isConsistent(c: RatingCounts): boolean {
  const natural = (n: number) => Number.isInteger(n) && n >= 0;
  return (
    natural(c.satisfied) && natural(c.detractor) && natural(c.rated) && c.satisfied <= c.rated && c.detractor <= c.rated
  );
}

function normaliseReason(reason: string): RejectionReason {
  if ((rejectionReasons as readonly string[]).includes(reason)) return reason as RejectionReason;
  return 'other';
}
