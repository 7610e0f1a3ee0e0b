/**
 * THE names of Rapport's own CloudWatch metrics: the functions emit them (EMF, PutMetricData) and the
 * CDK observability construct alarms on them, so both read this module. Pure data: no AWS imports.
 */

/** Namespace of the functions' EMF metrics unless POWERTOOLS_METRICS_NAMESPACE says otherwise. */
export const DEFAULT_METRICS_NAMESPACE = 'Rapport';
/**
 * Namespace the availability probe writes to. A namespace of its own lets the probe's IAM policy
 * (`cloudwatch:namespace` condition) exclude the business metrics: the probe cannot forge a CSAT.
 */
export const DEFAULT_PROBE_NAMESPACE = 'Rapport/Probe';

/**
 * Value of the `service` dimension of the business metrics. Fixed (not POWERTOOLS_SERVICE_NAME) so the
 * series stay the same whichever function emits them (public-api on submit, or the aggregator).
 */
export const BUSINESS_SERVICE = 'rapport';

export const metricNames = {
  responsesAccepted: 'ResponsesAccepted',
  responsesRejected: 'ResponsesRejected',
  /** Rated answers to a survey's overall question that count as satisfied (top-2 box). */
  satisfied: 'Satisfied',
  /** Rated answers to a survey's overall question that count as detractors. */
  detractors: 'Detractors',
  /** Answers to a survey's overall question that carry a rating (skips excluded): the denominator. */
  ratedAnswers: 'RatedAnswers',
  /**
   * 1 per aggregator batch while a survey receives answers at least 10× faster than its own hourly
   * baseline (domain/surveys/surge.ts); the alarm watches the all-surveys series.
   */
  submissionSurge: 'SubmissionSurge',
  /** An admin write or a read of personal data could not be recorded in the audit log. */
  auditWriteFailed: 'AuditWriteFailed',
  /** Probe: 1 when GET /v1/health answered 2xx with `status: "ok"`, else 0. */
  availability: 'Availability',
  /** Probe: milliseconds until the health answer (or the failure). */
  probeLatency: 'ProbeLatency',
  /** Aggregator: stream records set aside because they can never be applied (missing from aggregates). */
  streamRecordsPoisoned: 'StreamRecordsPoisoned',
  /** Webhook sender: every delivery attempt (the failure rate's denominator). */
  webhookAttempts: 'WebhookAttempts',
  /** Webhook sender: attempts that did not end in a 2xx (failed or refused). */
  webhookAttemptFailures: 'WebhookAttemptFailures',
  /** Webhook sender: deliveries that used up their retries (dead-lettered). */
  webhookDeadLettered: 'WebhookDeadLettered',
  /** Webhook sender: subscriptions disabled after repeated dead letters. */
  webhookSubscriptionsDisabled: 'WebhookSubscriptionsDisabled',
  /** Notifier: a `satisfaction.dropped` alert event was stored (per survey and in total). */
  satisfactionDropped: 'SatisfactionDropped',
  /** Notifier: a `satisfaction.recovered` alert event was stored (per survey and in total). */
  satisfactionRecovered: 'SatisfactionRecovered',
  /** Notifier: an alert or digest e-mail the mailer (SES) refused or failed to take, by kind and in total. */
  emailSendFailed: 'EmailSendFailed',
  /** Notifier: a survey's alert evaluation or digest failed in a run (the run goes on with the others). */
  notificationJobFailed: 'NotificationJobFailed',
} as const;

export const dimensionNames = {
  service: 'service',
  surveyId: 'SurveyId',
  reason: 'Reason',
  /** The route's operationId (bounded: the route table). */
  operation: 'Operation',
  /** Probe: which deployment was probed (the stack name), so two stacks in one account never mix. */
  target: 'Target',
  /** Notifier: `alert` or `digest`. */
  kind: 'Kind',
} as const;
