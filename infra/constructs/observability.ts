import { Duration, Stack } from 'aws-cdk-lib';
import {
  type Alarm,
  AlarmRule,
  AlarmState,
  AlarmStatusWidget,
  ComparisonOperator,
  CompositeAlarm,
  Dashboard,
  GraphWidget,
  type HorizontalAnnotation,
  type IMetric,
  LogQueryWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Key } from 'aws-cdk-lib/aws-kms';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BUSINESS_SERVICE, dimensionNames, metricNames } from '../../functions/contracts/metric-names';
import { type HttpFunctionName, routes } from '../../functions/contracts/routes';
import { tableSchema } from '../../functions/contracts/table-schema';
import type { AlarmConfig, SatisfactionAlarm, ThresholdAlarm } from '../alarm-config';
import type { LogLevel } from '../config';
import type { RapportHttpApi } from './http-api';
import { minutes, opsAlarm, RUNBOOK } from './observability/ops-alarm';
import { createOpsTopic } from './observability/ops-topic';
import { ProbeFunction } from './observability/probe-function';
import { createWafAlarms, MANAGED_RULES, RATE_RULES, wafBlocked } from './observability/waf-alarms';
import type { FunctionName, RapportFunction } from './rapport-function';

export interface ObservabilityProps {
  /** THE thresholds (infra/alarm-config.ts). */
  readonly config: AlarmConfig;
  /** Subscribed to the ops topic by e-mail; none = subscribe by hand (docs/operations.md). */
  readonly alarmEmail: string | undefined;
  /** Without alarmEmail the synth fails unless this is true. */
  readonly acknowledgeNoAlarmEmail: boolean;
  /** What the probe checks: the front door's `/v1/health`, availability as users see it. */
  readonly healthUrl: string;
  /**
   * The front door's WebACL: its name (for the dashboard, whose WAF graphs read us-east-1) and whether
   * its alarms belong here (the WebACL is in this stack) or in the edge stack. Undefined = no WAF.
   */
  readonly waf: { readonly webAclName: string; readonly alarmsHere: boolean } | undefined;
  readonly logRetentionDays: number;
  readonly logLevel: LogLevel;
  readonly functions: Readonly<Record<FunctionName, RapportFunction>>;
  readonly httpApi: RapportHttpApi;
  readonly table: Table;
  /** The aggregator's dead-letter queue (failed stream batches). */
  readonly deadLetterQueue: IQueue;
}

/** A route group is what a latency SLO is about: the public routes (widget) and the admin routes. */
export type RouteGroup = 'public' | 'admin';
export const routeGroups: readonly RouteGroup[] = ['public', 'admin'];

/**
 * The one function that serves a route group (every route of the group names it in functions/contracts/routes.ts).
 * Latency per group is that function's Lambda Duration p99: exact, and within CloudWatch's limit of 10
 * metrics per alarm however many routes there are. Throws if the route table ever mixes them.
 */
export function functionOfRouteGroup(group: RouteGroup): HttpFunctionName {
  const functions = new Set(
    routes.filter((r) => (r.access === 'public') === (group === 'public')).map((r) => r.function),
  );
  const [only, ...others] = [...functions];
  if (!only || others.length > 0) {
    throw new Error(
      `route group ${group} is served by ${functions.size} functions (${[...functions].join(', ')}); its latency alarm needs exactly one`,
    );
  }
  return only;
}

/** DynamoDB operations Rapport calls (SystemErrors is per operation; an alarm takes at most 10 metrics). */
const DYNAMO_OPERATIONS = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'BatchWriteItem',
  'TransactWriteItems',
  'TransactGetItems',
  'GetRecords',
];

/** Requests API Gateway refused with 429, counted by a metric filter on its access log. */
export const API_THROTTLED_METRIC = 'ApiThrottled';

/** WAF for CloudFront reports its metrics here, wherever the stack is. */
const WAF_METRICS_REGION = 'us-east-1';

/**
 * Everything ops sees (docs/design.md §10): a KMS-encrypted, TLS-only SNS topic with the e-mail subscription;
 * one alarm per failure mode (thresholds from infra/alarm-config.ts), each notifying the topic on
 * ALARM and OK and naming its runbook entry; a composite "unhealthy" over the technical ones; the
 * availability probe; and the dashboard.
 */
export class Observability extends Construct {
  readonly topic: Topic;
  readonly topicKey: Key;
  readonly probe: ProbeFunction;
  /** Every metric alarm, by key (alarm name = `<stack>-<key>`). */
  readonly alarms: Record<string, Alarm> = {};
  /** The alarms the composite watches: everything but the satisfaction alarms. */
  readonly technicalAlarms: Alarm[] = [];
  readonly unhealthy: CompositeAlarm;
  readonly dashboard: Dashboard;

  private readonly stackName: string;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { config, functions, httpApi, table } = props;
    const stack = Stack.of(this);
    this.stackName = stack.stackName;

    // --- The ops topic -----------------------------------------------------------------------------
    const ops = createOpsTopic(this, {
      displayName: `${this.stackName} ops alarms`,
      alarmEmail: props.alarmEmail,
      acknowledgeNoAlarmEmail: props.acknowledgeNoAlarmEmail,
    });
    this.topic = ops.topic;
    this.topicKey = ops.key;
    this.action = new SnsAction(this.topic);

    // --- The probe ---------------------------------------------------------------------------------
    this.probe = new ProbeFunction(this, 'Probe', {
      healthUrl: props.healthUrl,
      namespace: config.probeNamespace,
      target: this.stackName,
      timeoutMs: config.probeTimeoutMs,
      logRetentionDays: props.logRetentionDays,
      logLevel: props.logLevel,
    });

    // --- Metrics -----------------------------------------------------------------------------------
    const fn = (name: FunctionName) => functions[name].fn;

    const latency = (group: RouteGroup, period: Duration, statistic = 'p99') =>
      fn(functionOfRouteGroup(group)).metricDuration({
        statistic,
        period,
        label: `${group} routes (${functionOfRouteGroup(group)}) ${statistic}`,
      });

    const serverErrorRate = (period: Duration) =>
      new MathExpression({
        // Ids are unique per dashboard graph, hence the prefixes.
        expression: 'IF(api_requests > 0, 100 * FILL(api_5xx, 0) / api_requests, 0)',
        usingMetrics: {
          api_5xx: httpApi.stage.metricServerError({ statistic: 'Sum', period }),
          api_requests: httpApi.stage.metricCount({ statistic: 'Sum', period }),
        },
        period,
        label: 'API 5xx rate (%)',
      });

    const clientErrorRate = (period: Duration) =>
      new MathExpression({
        // Periods with few requests are not judged: two 404s out of three requests make no rate.
        expression: `IF(api_requests_4xx >= ${config.clientErrorRatePercent.minRequests}, 100 * FILL(api_4xx, 0) / api_requests_4xx, 0)`,
        usingMetrics: {
          api_4xx: httpApi.stage.metricClientError({ statistic: 'Sum', period }),
          api_requests_4xx: httpApi.stage.metricCount({ statistic: 'Sum', period }),
        },
        period,
        label: 'API 4xx rate (%)',
      });

    new MetricFilter(this, 'ApiThrottledFilter', {
      logGroup: httpApi.accessLogGroup,
      // Every field of the access-log line is a JSON string (see http-api.ts).
      filterPattern: FilterPattern.stringValue('$.status', '=', '429'),
      metricNamespace: config.metricsNamespace,
      metricName: API_THROTTLED_METRIC,
      metricValue: '1',
    });
    const apiThrottled = (period: Duration) =>
      new Metric({
        namespace: config.metricsNamespace,
        metricName: API_THROTTLED_METRIC,
        statistic: 'Sum',
        period,
        label: 'API Gateway 429s',
      });

    const lambdaErrorRate = (name: FunctionName, period: Duration) => {
      const id = name.replace(/-/g, '_');
      return new MathExpression({
        expression: `IF(${id}_invocations > 0, 100 * FILL(${id}_errors, 0) / ${id}_invocations, 0)`,
        usingMetrics: {
          [`${id}_errors`]: fn(name).metricErrors({ statistic: 'Sum', period }),
          [`${id}_invocations`]: fn(name).metricInvocations({ statistic: 'Sum', period }),
        },
        period,
        label: `${name} error rate (%)`,
      });
    };

    const probeMetric = (metricName: string, statistic: string, period: Duration) =>
      new Metric({
        namespace: config.probeNamespace,
        metricName,
        dimensionsMap: { [dimensionNames.target]: this.stackName },
        statistic,
        period,
      });
    const availability = (period: Duration) =>
      new MathExpression({
        expression: '100 * availability',
        usingMetrics: { availability: probeMetric(metricNames.availability, 'Average', period) },
        period,
        label: 'Availability (%)',
      });

    const dynamoThrottles = (period: Duration) => {
      const usingMetrics: Record<string, IMetric> = {};
      const indexes: (string | undefined)[] = [
        undefined,
        ...tableSchema.globalSecondaryIndexes.map((i) => i.indexName),
      ];
      indexes.forEach((index, i) => {
        for (const kind of ['Read', 'Write'] as const) {
          usingMetrics[`throttles_${kind.toLowerCase()}${i}`] = new Metric({
            namespace: 'AWS/DynamoDB',
            metricName: `${kind}ThrottleEvents`,
            dimensionsMap: { TableName: table.tableName, ...(index ? { GlobalSecondaryIndexName: index } : {}) },
            statistic: 'Sum',
            period,
          });
        }
      });
      return new MathExpression({
        expression: `SUM([${Object.keys(usingMetrics).join(', ')}])`,
        usingMetrics,
        period,
        label: 'DynamoDB throttle events (table + GSIs)',
      });
    };

    const dynamoSystemErrors = (period: Duration) => {
      const usingMetrics: Record<string, IMetric> = {};
      DYNAMO_OPERATIONS.forEach((operation, i) => {
        usingMetrics[`system_errors_${i}`] = new Metric({
          namespace: 'AWS/DynamoDB',
          metricName: 'SystemErrors',
          dimensionsMap: { TableName: table.tableName, Operation: operation },
          statistic: 'Sum',
          period,
        });
      });
      return new MathExpression({
        expression: `SUM([${Object.keys(usingMetrics).join(', ')}])`,
        usingMetrics,
        period,
        label: 'DynamoDB system errors',
      });
    };

    const business = (metricName: string, period: Duration) =>
      new Metric({
        namespace: config.metricsNamespace,
        metricName,
        dimensionsMap: { [dimensionNames.service]: BUSINESS_SERVICE },
        statistic: 'Sum',
        period,
      });
    const csat = (c: SatisfactionAlarm, period: Duration) =>
      new MathExpression({
        // Below the minimum sample the window is not judged: report a CSAT that cannot breach.
        expression: `IF(csat_rated >= ${c.minSample}, 100 * csat_satisfied / csat_rated, 100)`,
        usingMetrics: {
          csat_satisfied: business(metricNames.satisfied, period),
          csat_rated: business(metricNames.ratedAnswers, period),
        },
        period,
        label: 'CSAT, all surveys (%)',
      });
    const detractorShare = (c: SatisfactionAlarm, period: Duration) =>
      new MathExpression({
        expression: `IF(ds_rated >= ${c.minSample}, 100 * ds_detractors / ds_rated, 0)`,
        usingMetrics: {
          ds_detractors: business(metricNames.detractors, period),
          ds_rated: business(metricNames.ratedAnswers, period),
        },
        period,
        label: 'Detractor share, all surveys (%)',
      });

    // --- Alarms ------------------------------------------------------------------------------------
    const over = ComparisonOperator.GREATER_THAN_THRESHOLD;
    for (const group of routeGroups) {
      const c = config.latencyP99Ms[group];
      this.alarm(
        `${group}-latency-p99`,
        latency(group, minutes(c)),
        c,
        over,
        TreatMissingData.NOT_BREACHING,
        `p99 duration of ${functionOfRouteGroup(group)} (the ${group} routes) above its ${c.threshold} ms SLO.`,
      );
    }
    this.alarm(
      'api-5xx-rate',
      serverErrorRate(minutes(config.serverErrorRatePercent)),
      config.serverErrorRatePercent,
      over,
      TreatMissingData.NOT_BREACHING,
      `More than ${config.serverErrorRatePercent.threshold}% of API requests answered 5xx.`,
    );
    this.alarm(
      'api-4xx-rate',
      clientErrorRate(minutes(config.clientErrorRatePercent)),
      config.clientErrorRatePercent,
      over,
      TreatMissingData.NOT_BREACHING,
      `More than ${config.clientErrorRatePercent.threshold}% of API requests answered 4xx (periods with at least ${config.clientErrorRatePercent.minRequests} requests).`,
    );
    this.alarm(
      'api-throttled',
      apiThrottled(minutes(config.apiThrottled)),
      config.apiThrottled,
      over,
      TreatMissingData.NOT_BREACHING,
      'API Gateway answered 429: the stage or a public route is at its throttling limit, for everyone.',
    );
    const appFunctions: FunctionName[] = ['public-api', 'admin-api', 'aggregator'];
    for (const name of appFunctions) {
      this.alarm(
        `${name}-error-rate`,
        lambdaErrorRate(name, minutes(config.lambdaErrorRatePercent)),
        config.lambdaErrorRatePercent,
        over,
        TreatMissingData.NOT_BREACHING,
        `More than ${config.lambdaErrorRatePercent.threshold}% of ${name} invocations failed.`,
      );
    }
    this.alarm(
      'availability',
      availability(minutes(config.availabilityPercent)),
      config.availabilityPercent,
      ComparisonOperator.LESS_THAN_THRESHOLD,
      TreatMissingData.BREACHING,
      `The probe saw GET /v1/health available less than ${config.availabilityPercent.threshold}% of the time (no probe data counts as down).`,
    );
    for (const name of appFunctions) {
      this.alarm(
        `${name}-throttles`,
        fn(name).metricThrottles({ statistic: 'Sum', period: minutes(config.lambdaThrottles) }),
        config.lambdaThrottles,
        over,
        TreatMissingData.NOT_BREACHING,
        `Lambda throttled ${name} (concurrency limit reached).`,
      );
    }
    this.alarm(
      'dynamodb-throttles',
      dynamoThrottles(minutes(config.dynamoThrottleEvents)),
      config.dynamoThrottleEvents,
      over,
      TreatMissingData.NOT_BREACHING,
      'DynamoDB throttled reads or writes on the table or its GSIs.',
    );
    this.alarm(
      'dynamodb-system-errors',
      dynamoSystemErrors(minutes(config.dynamoSystemErrors)),
      config.dynamoSystemErrors,
      over,
      TreatMissingData.NOT_BREACHING,
      'DynamoDB answered with internal server errors.',
    );
    this.alarm(
      'aggregator-iterator-age',
      fn('aggregator').metric('IteratorAge', { statistic: 'Maximum', period: minutes(config.iteratorAgeMs) }),
      config.iteratorAgeMs,
      over,
      TreatMissingData.NOT_BREACHING,
      `The aggregator is more than ${config.iteratorAgeMs.threshold / 1000} s behind the table stream.`,
    );
    this.alarm(
      'aggregator-dlq',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: minutes(config.deadLetterMessages),
      }),
      config.deadLetterMessages,
      over,
      TreatMissingData.NOT_BREACHING,
      'Stream batches the aggregator gave up on are waiting in its dead-letter queue: aggregates are missing their counts.',
    );
    this.alarm(
      'aggregator-poisoned',
      new Metric({
        namespace: config.metricsNamespace,
        metricName: metricNames.streamRecordsPoisoned,
        dimensionsMap: { [dimensionNames.service]: BUSINESS_SERVICE },
        statistic: 'Sum',
        period: minutes(config.poisonedRecords),
      }),
      config.poisonedRecords,
      over,
      TreatMissingData.NOT_BREACHING,
      'The aggregator set stream records aside that can never be applied: their responses or changes are missing from the aggregates until a rebuild.',
    );
    this.alarm(
      'audit-write-failed',
      new Metric({
        namespace: config.metricsNamespace,
        metricName: metricNames.auditWriteFailed,
        dimensionsMap: { [dimensionNames.service]: BUSINESS_SERVICE },
        statistic: 'Sum',
        period: minutes(config.auditWriteFailed),
      }),
      config.auditWriteFailed,
      over,
      TreatMissingData.NOT_BREACHING,
      'Admin writes went through without an audit record, and reads of personal data were refused, because the audit log could not be written.',
    );

    this.technicalAlarms.push(...Object.values(this.alarms));

    // Abuse, not ill health: outside the composite (and, with the WebACL in the edge stack, over there).
    if (props.waf?.alarmsHere) {
      Object.assign(
        this.alarms,
        createWafAlarms(this, {
          prefix: this.stackName,
          webAclName: props.waf.webAclName,
          config,
          action: this.action,
        }),
      );
    }

    // Abuse too: a survey receiving answers ≥ 10× its own hourly baseline (functions/domain/surveys/surge.ts).
    this.alarm(
      'submission-surge',
      new Metric({
        namespace: config.metricsNamespace,
        metricName: metricNames.submissionSurge,
        dimensionsMap: { [dimensionNames.service]: BUSINESS_SERVICE },
        statistic: 'Sum',
        period: minutes(config.submissionSurge),
      }),
      config.submissionSurge,
      over,
      TreatMissingData.NOT_BREACHING,
      'A survey is receiving answers at least ten times faster than its own hourly average of the past week: a flood of scripted answers, or a campaign nobody announced.',
    );

    this.alarm(
      'csat',
      csat(config.csatPercent, minutes(config.csatPercent)),
      config.csatPercent,
      ComparisonOperator.LESS_THAN_THRESHOLD,
      TreatMissingData.NOT_BREACHING,
      `CSAT across all surveys below ${config.csatPercent.threshold}% over ${config.csatPercent.periodMinutes} min (windows with fewer than ${config.csatPercent.minSample} rated answers are not judged).`,
    );
    this.alarm(
      'detractor-share',
      detractorShare(config.detractorSharePercent, minutes(config.detractorSharePercent)),
      config.detractorSharePercent,
      over,
      TreatMissingData.NOT_BREACHING,
      `Detractor share across all surveys above ${config.detractorSharePercent.threshold}% over ${config.detractorSharePercent.periodMinutes} min (windows with fewer than ${config.detractorSharePercent.minSample} rated answers are not judged).`,
    );

    this.unhealthy = new CompositeAlarm(this, 'Unhealthy', {
      compositeAlarmName: `${this.stackName}-unhealthy`,
      alarmDescription: `Rapport unhealthy: at least one technical alarm (latency, errors, availability, throttling, stream) is in ALARM. Runbook: ${RUNBOOK}#unhealthy`,
      alarmRule: AlarmRule.anyOf(...this.technicalAlarms.map((a) => AlarmRule.fromAlarm(a, AlarmState.ALARM))),
    });
    this.unhealthy.addAlarmAction(this.action);
    this.unhealthy.addOkAction(this.action);

    // --- Dashboard ---------------------------------------------------------------------------------
    const minute = Duration.minutes(1);
    const fiveMinutes = Duration.minutes(5);
    const hour = Duration.hours(1);
    const sloLine = (value: number, label: string): HorizontalAnnotation => ({ value, label, color: '#d62728' });
    const apiLatency = (statistic: string) =>
      httpApi.stage.metricLatency({ statistic, period: minute, label: `API latency ${statistic}` });
    const search = (expression: string, label: string, period: Duration) =>
      new MathExpression({ expression, usingMetrics: {}, period, label });
    const ns = config.metricsNamespace;

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${this.stackName}-operations`,
      defaultInterval: Duration.hours(6),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        width: 24,
        height: 2,
        markdown: `# ${this.stackName} operations\nSLOs, every alarm and what to do: \`${RUNBOOK}\`. Red lines are alarm thresholds (infra/alarm-config.ts).`,
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({
        title: 'Alarms',
        width: 24,
        height: 4,
        alarms: [this.unhealthy, ...Object.values(this.alarms)],
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Traffic: API requests and errors per minute',
        width: 8,
        left: [
          httpApi.stage.metricCount({ statistic: 'Sum', period: minute, label: 'requests' }),
          httpApi.stage.metricClientError({ statistic: 'Sum', period: minute, label: '4xx' }),
          httpApi.stage.metricServerError({ statistic: 'Sum', period: minute, label: '5xx' }),
        ],
      }),
      new GraphWidget({
        title: 'Traffic: invocations per function',
        width: 8,
        left: [
          ...appFunctions.map((name) => fn(name).metricInvocations({ statistic: 'Sum', period: minute, label: name })),
          this.probe.fn.metricInvocations({ statistic: 'Sum', period: minute, label: 'probe' }),
        ],
      }),
      new GraphWidget({
        title: 'Submissions: responses accepted / rejected (by reason)',
        width: 8,
        left: [
          business(metricNames.responsesAccepted, fiveMinutes).with({ label: 'accepted' }),
          business(metricNames.responsesRejected, fiveMinutes).with({ label: 'rejected (all reasons)' }),
          search(
            `SEARCH('{${ns},${dimensionNames.reason},${dimensionNames.service}} MetricName="${metricNames.responsesRejected}"', 'Sum', 300)`,
            'rejected:',
            fiveMinutes,
          ),
        ],
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Latency: API p50 / p90 / p99 (all routes, ms)',
        width: 8,
        left: [apiLatency('p50'), apiLatency('p90'), apiLatency('p99')],
      }),
      new GraphWidget({
        title: 'Latency: p99 per route group vs SLO (Lambda duration, ms)',
        width: 8,
        left: routeGroups.map((g) => latency(g, minute)),
        leftAnnotations: routeGroups.map((g) => sloLine(config.latencyP99Ms[g].threshold, `${g} SLO`)),
      }),
      new GraphWidget({
        title: 'Latency: p99 per route (API Gateway, ms)',
        width: 8,
        left: [
          search(
            `SEARCH('{AWS/ApiGateway,ApiId,Route,Stage} MetricName="Latency" ApiId="${httpApi.api.apiId}"', 'p99', 60)`,
            '',
            minute,
          ),
        ],
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Errors: API 5xx rate and Lambda error rate (%)',
        width: 8,
        left: [serverErrorRate(minute), ...appFunctions.map((name) => lambdaErrorRate(name, minute))],
        leftAnnotations: [sloLine(config.serverErrorRatePercent.threshold, '5xx threshold')],
      }),
      new GraphWidget({
        title: 'Availability (probe, %) and probe latency (ms)',
        width: 8,
        left: [availability(fiveMinutes)],
        leftAnnotations: [sloLine(config.availabilityPercent.threshold, 'SLO')],
        leftYAxis: { min: 0, max: 100 },
        right: [probeMetric(metricNames.probeLatency, 'Average', minute).with({ label: 'probe latency' })],
      }),
      new GraphWidget({
        title: 'Throttles: Lambda and DynamoDB; DynamoDB system errors',
        width: 8,
        left: [
          ...appFunctions.map((name) =>
            fn(name).metricThrottles({ statistic: 'Sum', period: fiveMinutes, label: `${name} throttles` }),
          ),
          dynamoThrottles(fiveMinutes),
          dynamoSystemErrors(fiveMinutes),
        ],
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Stream: aggregator iterator age (ms) and dead-letter messages',
        width: 8,
        left: [
          fn('aggregator').metric('IteratorAge', { statistic: 'Maximum', period: minute, label: 'iterator age (max)' }),
        ],
        leftAnnotations: [sloLine(config.iteratorAgeMs.threshold, 'threshold')],
        right: [
          props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            statistic: 'Maximum',
            period: minute,
            label: 'DLQ messages',
          }),
          new Metric({
            namespace: config.metricsNamespace,
            metricName: metricNames.streamRecordsPoisoned,
            dimensionsMap: { [dimensionNames.service]: BUSINESS_SERVICE },
            statistic: 'Sum',
            period: minute,
            label: 'poisoned records',
          }),
        ],
      }),
      new GraphWidget({
        title: `Satisfaction: CSAT and detractor share, all surveys (%, ${config.csatPercent.periodMinutes} min windows)`,
        width: 8,
        left: [
          csat(config.csatPercent, minutes(config.csatPercent)),
          detractorShare(config.detractorSharePercent, minutes(config.detractorSharePercent)),
        ],
        leftAnnotations: [
          sloLine(config.csatPercent.threshold, 'CSAT threshold'),
          sloLine(config.detractorSharePercent.threshold, 'detractor threshold'),
        ],
        leftYAxis: { min: 0, max: 100 },
      }),
      new GraphWidget({
        title: 'Satisfaction: rated answers (n) per hour, and responses per survey',
        width: 8,
        left: [business(metricNames.ratedAnswers, hour).with({ label: 'rated answers (all surveys)' })],
        leftAnnotations: [{ value: config.csatPercent.minSample, label: 'minimum sample', color: '#7f7f7f' }],
        right: [
          search(
            `SEARCH('{${ns},${dimensionNames.service},${dimensionNames.surveyId}} MetricName="${metricNames.responsesAccepted}"', 'Sum', 3600)`,
            'survey',
            hour,
          ),
        ],
      }),
    );
    const frontDoor = [
      new GraphWidget({
        title: 'Front door: API 4xx rate (%) and API Gateway 429s',
        width: props.waf ? 12 : 24,
        left: [clientErrorRate(fiveMinutes)],
        leftAnnotations: [sloLine(config.clientErrorRatePercent.threshold, '4xx threshold')],
        right: [apiThrottled(minute)],
      }),
    ];
    if (props.waf) {
      frontDoor.push(
        new GraphWidget({
          title: `Front door: WAF 429s (rate rules) and blocks (managed rules), ${WAF_METRICS_REGION}`,
          width: 12,
          region: WAF_METRICS_REGION,
          left: [
            wafBlocked(props.waf.webAclName, RATE_RULES, minute, 'WAF 429s (rate rules)'),
            wafBlocked(props.waf.webAclName, MANAGED_RULES, minute, 'WAF blocks (managed rules)'),
          ],
        }),
      );
    }
    this.dashboard.addWidgets(...frontDoor);
    this.dashboard.addWidgets(
      new LogQueryWidget({
        title: 'Failed requests (5xx), newest first: correlationId = API Gateway request id',
        width: 24,
        height: 6,
        logGroupNames: [functions['public-api'].logGroup.logGroupName, functions['admin-api'].logGroup.logGroupName],
        queryLines: [
          'fields @timestamp, correlationId, route, status, latencyMs, error.name, error.message',
          'filter status >= 500',
          'sort @timestamp desc',
          'limit 50',
        ],
      }),
    );
  }

  private alarm(
    key: string,
    metric: IMetric,
    c: ThresholdAlarm,
    comparisonOperator: ComparisonOperator,
    treatMissingData: TreatMissingData,
    summary: string,
  ): Alarm {
    const alarm = opsAlarm(this, {
      prefix: this.stackName,
      key,
      metric,
      config: c,
      comparisonOperator,
      treatMissingData,
      summary,
      action: this.action,
    });
    this.alarms[key] = alarm;
    return alarm;
  }
}
