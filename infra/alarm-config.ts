/**
 * THE alarm thresholds and SLOs of Rapport (docs/design.md §3: one config object). The observability construct
 * builds every alarm from this object, the infra tests read their expectations from it, and
 * docs/operations.md explains each entry. Defaults below; the keys listed in `alarmContextKeys` can be
 * overridden from CDK context like the rest of infra/config.ts (`cdk deploy -c csatThresholdPercent=75`).
 */
import { DEFAULT_METRICS_NAMESPACE, DEFAULT_PROBE_NAMESPACE } from '../functions/contracts/metric-names';

/** How one alarm looks at its metric: period length and "M out of N" evaluation. */
export interface AlarmWindow {
  readonly periodMinutes: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

export interface ThresholdAlarm extends AlarmWindow {
  readonly threshold: number;
}

/** Satisfaction alarms only judge windows with at least `minSample` rated answers (docs/design.md §6: n < 30 is a low sample). */
export interface SatisfactionAlarm extends ThresholdAlarm {
  readonly minSample: number;
}

/** A rate alarm that only judges periods with enough traffic: a few requests make no rate. */
export interface RateAlarm extends ThresholdAlarm {
  readonly minRequests: number;
}

export interface AlarmConfig {
  /** Where the functions' EMF metrics land (must equal their POWERTOOLS_METRICS_NAMESPACE). */
  readonly metricsNamespace: string;
  /** Where the probe publishes Availability/ProbeLatency; its IAM policy is limited to this namespace. */
  readonly probeNamespace: string;
  /** The probe's HTTP timeout (ms). */
  readonly probeTimeoutMs: number;
  /** p99 latency SLO per route group, ms: alarm when Lambda Duration p99 of the group's function exceeds it. */
  readonly latencyP99Ms: { readonly public: ThresholdAlarm; readonly admin: ThresholdAlarm };
  /** API Gateway 5xx responses as % of requests (stage-wide). */
  readonly serverErrorRatePercent: ThresholdAlarm;
  /** API Gateway 4xx responses as % of requests (stage-wide), in periods with at least `minRequests`. */
  readonly clientErrorRatePercent: RateAlarm;
  /** Requests API Gateway refused with 429 (stage or route throttling), counted from its access log. */
  readonly apiThrottled: ThresholdAlarm;
  /** Requests the WAF rate-based rules answered with 429 (per-survey submissions, per-IP API). */
  readonly wafRateLimited: ThresholdAlarm;
  /** Requests the WAF managed rule groups blocked (common rule set, known bad inputs). */
  readonly wafBlocked: ThresholdAlarm;
  /** Stream records the aggregator set aside because they can never be applied (`StreamRecordsPoisoned`). */
  readonly poisonedRecords: ThresholdAlarm;
  /** Surveys receiving answers far faster than their own baseline (`SubmissionSurge`, all surveys). */
  readonly submissionSurge: ThresholdAlarm;
  /** Admin writes or personal-data reads that could not be recorded in the audit log (`AuditWriteFailed`). */
  readonly auditWriteFailed: ThresholdAlarm;
  /** Alert or digest e-mails the mailer (SES) did not take (`EmailSendFailed`, all kinds). */
  readonly emailSendFailed: ThresholdAlarm;
  /** Surveys whose alert evaluation or digest failed in a notification run (`NotificationJobFailed`). */
  readonly notificationJobFailed: ThresholdAlarm;
  /** Lambda Errors as % of Invocations, per function. */
  readonly lambdaErrorRatePercent: ThresholdAlarm;
  /** Probe availability in % (the SLO): alarm below it; missing probe data counts as down. */
  readonly availabilityPercent: ThresholdAlarm;
  /** Lambda Throttles per function (sum per period): alarm above the threshold. */
  readonly lambdaThrottles: ThresholdAlarm;
  /** DynamoDB read + write throttle events of the table and its GSIs. */
  readonly dynamoThrottleEvents: ThresholdAlarm;
  /** DynamoDB SystemErrors (HTTP 500 from DynamoDB) over the operations Rapport uses. */
  readonly dynamoSystemErrors: ThresholdAlarm;
  /** Age (ms) of the oldest stream record the aggregator has not processed yet. */
  readonly iteratorAgeMs: ThresholdAlarm;
  /** Messages in the aggregator's dead-letter queue (failed stream batches). */
  readonly deadLetterMessages: ThresholdAlarm;
  /** Webhook deliveries that used up their retries (`WebhookDeadLettered`). */
  readonly webhookDeadLettered: ThresholdAlarm;
  /** Webhook attempts that got no 2xx, as % of attempts, in periods with at least `minRequests` attempts. */
  readonly webhookFailureRatePercent: RateAlarm;
  /** Messages in the webhook queues' dead-letter queues (the sender or the fan-out kept failing). */
  readonly webhookDeadLetterMessages: ThresholdAlarm;
  /** CSAT across all surveys, %: alarm below the threshold. */
  readonly csatPercent: SatisfactionAlarm;
  /** Detractor share across all surveys, %: alarm above the threshold. */
  readonly detractorSharePercent: SatisfactionAlarm;
}

const perMinute = (threshold: number, evaluationPeriods = 5, datapointsToAlarm = 3): ThresholdAlarm => ({
  threshold,
  periodMinutes: 1,
  evaluationPeriods,
  datapointsToAlarm,
});

export const defaultAlarmConfig: AlarmConfig = {
  metricsNamespace: DEFAULT_METRICS_NAMESPACE,
  probeNamespace: DEFAULT_PROBE_NAMESPACE,
  probeTimeoutMs: 5000,
  latencyP99Ms: {
    // The widget waits on these: survey definition and submission.
    public: perMinute(1000),
    // Reports and imports do more work per request.
    admin: perMinute(3000),
  },
  serverErrorRatePercent: perMinute(1),
  // A few % of 4xx is normal (closed surveys, expired tokens, validation); a quarter of all requests
  // failing is a broken client release or someone probing. Fewer than 50 requests in 5 min: not judged.
  clientErrorRatePercent: {
    threshold: 25,
    minRequests: 50,
    periodMinutes: 5,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
  },
  // API Gateway only throttles when the whole stage or a public route is at its limit: everyone is affected.
  apiThrottled: { threshold: 0, periodMinutes: 5, evaluationPeriods: 1, datapointsToAlarm: 1 },
  // A person never meets the rate rules; a hundred refusals in 5 min is a script at work.
  wafRateLimited: { threshold: 100, periodMinutes: 5, evaluationPeriods: 1, datapointsToAlarm: 1 },
  // Scanners hit every public site all day; a hundred blocks in 5 min is a targeted attempt.
  wafBlocked: { threshold: 100, periodMinutes: 5, evaluationPeriods: 1, datapointsToAlarm: 1 },
  // Every poisoned record is a response or change missing from the aggregates until a rebuild.
  poisonedRecords: { threshold: 0, periodMinutes: 5, evaluationPeriods: 1, datapointsToAlarm: 1 },
  // The aggregator reports a surge with every batch while it lasts: one report is someone to look at.
  submissionSurge: { threshold: 0, periodMinutes: 5, evaluationPeriods: 1, datapointsToAlarm: 1 },
  // An unrecorded write or refused read means the audit trail has a hole or users are blocked.
  auditWriteFailed: { threshold: 0, periodMinutes: 5, evaluationPeriods: 1, datapointsToAlarm: 1 },
  // Each one is somebody not told of a drop, or a digest missing; the next run retries it.
  emailSendFailed: { threshold: 0, periodMinutes: 5, evaluationPeriods: 1, datapointsToAlarm: 1 },
  // A survey the job could not evaluate or digest is a survey whose owners hear nothing.
  notificationJobFailed: { threshold: 0, periodMinutes: 5, evaluationPeriods: 1, datapointsToAlarm: 1 },
  lambdaErrorRatePercent: perMinute(1),
  // One probe a minute: a 5-minute average below 99.9 % means at least one failed probe in it;
  // two such windows out of three is an outage, a single blip is not.
  availabilityPercent: { threshold: 99.9, periodMinutes: 5, evaluationPeriods: 3, datapointsToAlarm: 2 },
  lambdaThrottles: { threshold: 0, periodMinutes: 5, evaluationPeriods: 1, datapointsToAlarm: 1 },
  dynamoThrottleEvents: { threshold: 0, periodMinutes: 5, evaluationPeriods: 1, datapointsToAlarm: 1 },
  dynamoSystemErrors: { threshold: 0, periodMinutes: 5, evaluationPeriods: 1, datapointsToAlarm: 1 },
  iteratorAgeMs: perMinute(60_000, 5, 5),
  deadLetterMessages: { threshold: 0, periodMinutes: 1, evaluationPeriods: 1, datapointsToAlarm: 1 },
  // Each one is an event a subscriber did not get for more than a day (it can be replayed).
  webhookDeadLettered: { threshold: 0, periodMinutes: 5, evaluationPeriods: 1, datapointsToAlarm: 1 },
  // A receiver down for a while fails every attempt; half of all attempts failing for half an hour
  // is a receiver (or our network) that needs a person. Fewer than 20 attempts in 15 min: not judged.
  webhookFailureRatePercent: {
    threshold: 50,
    minRequests: 20,
    periodMinutes: 15,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
  },
  webhookDeadLetterMessages: { threshold: 0, periodMinutes: 5, evaluationPeriods: 1, datapointsToAlarm: 1 },
  csatPercent: { threshold: 70, minSample: 30, periodMinutes: 60, evaluationPeriods: 1, datapointsToAlarm: 1 },
  detractorSharePercent: {
    threshold: 30,
    minSample: 30,
    periodMinutes: 60,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
};

export class AlarmConfigError extends Error {
  override readonly name = 'AlarmConfigError';
}

/** Context keys that override single thresholds (value type and bounds in brackets). */
export const alarmContextKeys = {
  publicLatencyP99Ms: 'p99 SLO of the public routes, ms [integer 50–30000]',
  adminLatencyP99Ms: 'p99 SLO of the admin routes, ms [integer 50–30000]',
  serverErrorRatePercent: '5xx rate threshold, % [0–100]',
  lambdaErrorRatePercent: 'Lambda error-rate threshold, % [0–100]',
  availabilitySloPercent: 'availability SLO, % [50–100)',
  iteratorAgeMs: 'stream iterator-age threshold, ms [integer 1000–86400000]',
  csatThresholdPercent: 'CSAT alarm threshold, % [0–100]',
  detractorShareThresholdPercent: 'detractor-share alarm threshold, % [0–100]',
  satisfactionMinSample: 'minimum rated answers per window for the satisfaction alarms [integer 1–100000]',
  satisfactionWindowMinutes: 'satisfaction alarm window, minutes [60, 120, …, 1440: a multiple of 60]',
} as const;

type ContextReader = (key: string) => unknown;

/** The defaults with any context overrides applied; throws AlarmConfigError on a bad value. */
export function resolveAlarmConfig(read: ContextReader): AlarmConfig {
  const d = defaultAlarmConfig;
  const num = (
    key: keyof typeof alarmContextKeys,
    def: number,
    min: number,
    max: number,
    opts: { integer?: boolean; maxExclusive?: boolean } = {},
  ): number => {
    const raw = read(key);
    if (raw === undefined || raw === null || raw === '') return def;
    const value = typeof raw === 'number' ? raw : Number(String(raw).trim());
    const inRange = value >= min && (opts.maxExclusive ? value < max : value <= max);
    if (!Number.isFinite(value) || !inRange || (opts.integer && !Number.isInteger(value))) {
      throw new AlarmConfigError(`context ${key}=${JSON.stringify(raw)}: expected ${alarmContextKeys[key]}`);
    }
    return value;
  };
  const windowMinutes = num('satisfactionWindowMinutes', d.csatPercent.periodMinutes, 60, 1440, { integer: true });
  if (windowMinutes % 60 !== 0) {
    throw new AlarmConfigError(
      `context satisfactionWindowMinutes=${windowMinutes}: expected ${alarmContextKeys.satisfactionWindowMinutes}`,
    );
  }
  const minSample = num('satisfactionMinSample', d.csatPercent.minSample, 1, 100_000, { integer: true });
  return {
    ...d,
    latencyP99Ms: {
      public: {
        ...d.latencyP99Ms.public,
        threshold: num('publicLatencyP99Ms', d.latencyP99Ms.public.threshold, 50, 30_000, { integer: true }),
      },
      admin: {
        ...d.latencyP99Ms.admin,
        threshold: num('adminLatencyP99Ms', d.latencyP99Ms.admin.threshold, 50, 30_000, { integer: true }),
      },
    },
    serverErrorRatePercent: {
      ...d.serverErrorRatePercent,
      threshold: num('serverErrorRatePercent', d.serverErrorRatePercent.threshold, 0, 100),
    },
    lambdaErrorRatePercent: {
      ...d.lambdaErrorRatePercent,
      threshold: num('lambdaErrorRatePercent', d.lambdaErrorRatePercent.threshold, 0, 100),
    },
    availabilityPercent: {
      ...d.availabilityPercent,
      threshold: num('availabilitySloPercent', d.availabilityPercent.threshold, 50, 100, { maxExclusive: true }),
    },
    iteratorAgeMs: {
      ...d.iteratorAgeMs,
      threshold: num('iteratorAgeMs', d.iteratorAgeMs.threshold, 1000, 86_400_000, { integer: true }),
    },
    csatPercent: {
      ...d.csatPercent,
      threshold: num('csatThresholdPercent', d.csatPercent.threshold, 0, 100),
      minSample,
      periodMinutes: windowMinutes,
    },
    detractorSharePercent: {
      ...d.detractorSharePercent,
      threshold: num('detractorShareThresholdPercent', d.detractorSharePercent.threshold, 0, 100),
      minSample,
      periodMinutes: windowMinutes,
    },
  };
}
