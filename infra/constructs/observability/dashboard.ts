/**
 * The operations dashboard: one row per question ops asks (is it up, how busy, how fast, what fails,
 * is the stream keeping up, are people satisfied, is someone attacking), red lines at the alarm
 * thresholds, and the newest failed requests from the logs.
 */
import { Duration } from 'aws-cdk-lib';
import {
  type Alarm,
  AlarmStatusWidget,
  type CompositeAlarm,
  Dashboard,
  GraphWidget,
  type HorizontalAnnotation,
  type IWidget,
  LogQueryWidget,
  MathExpression,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { tableFunctions } from '../../../functions/contracts/data-access';
import { dimensionNames, metricNames } from '../../../functions/contracts/metric-names';
import type { AlarmConfig } from '../../alarm-config';
import type { RapportHttpApi } from '../http-api';
import type { FunctionName, RapportFunction } from '../rapport-function';
import type { ObservabilityMetrics } from './metrics';
import { minutes, RUNBOOK } from './ops-alarm';
import { routeGroups } from './route-groups';
import { MANAGED_RULES, RATE_RULES, wafBlocked } from './waf-alarms';

/** WAF for CloudFront reports its metrics here, wherever the stack is. */
const WAF_METRICS_REGION = 'us-east-1';

const minute = Duration.minutes(1);
const fiveMinutes = Duration.minutes(5);
const hour = Duration.hours(1);

export interface OpsDashboardProps {
  /** The dashboard is `<stackName>-operations`. */
  readonly stackName: string;
  readonly config: AlarmConfig;
  readonly metrics: ObservabilityMetrics;
  readonly httpApi: RapportHttpApi;
  readonly functions: Readonly<Record<FunctionName, RapportFunction>>;
  readonly probe: IFunction;
  readonly unhealthy: CompositeAlarm;
  /** Every metric alarm, in the order the status widget lists them. */
  readonly alarms: readonly Alarm[];
  /** The front door's WebACL name; undefined = no WAF. */
  readonly webAclName: string | undefined;
}

/** Creates the dashboard (`Dashboard`) directly in `scope`, so its logical id stays stable. */
export function createOpsDashboard(scope: Construct, props: OpsDashboardProps): Dashboard {
  const dashboard = new Dashboard(scope, 'Dashboard', {
    dashboardName: `${props.stackName}-operations`,
    defaultInterval: Duration.hours(6),
  });
  for (const row of [
    headerRow(props),
    alarmsRow(props),
    trafficRow(props),
    latencyRow(props),
    errorsRow(props),
    streamAndSatisfactionRow(props),
    webhooksRow(props),
    notificationsRow(props),
    frontDoorRow(props),
    failedRequestsRow(props),
  ]) {
    dashboard.addWidgets(...row);
  }
  return dashboard;
}

const sloLine = (value: number, label: string): HorizontalAnnotation => ({ value, label, color: '#d62728' });
const search = (expression: string, label: string, period: Duration) =>
  new MathExpression({ expression, usingMetrics: {}, period, label });

function headerRow({ stackName }: OpsDashboardProps): IWidget[] {
  return [
    new TextWidget({
      width: 24,
      height: 2,
      markdown: `# ${stackName} operations\nSLOs, every alarm and what to do: \`${RUNBOOK}\`. Red lines are alarm thresholds (infra/alarm-config.ts).`,
    }),
  ];
}

function alarmsRow({ unhealthy, alarms }: OpsDashboardProps): IWidget[] {
  return [new AlarmStatusWidget({ title: 'Alarms', width: 24, height: 4, alarms: [unhealthy, ...alarms] })];
}

function trafficRow({ config, metrics, httpApi, probe }: OpsDashboardProps): IWidget[] {
  const { stage } = httpApi;
  const ns = config.metricsNamespace;
  return [
    new GraphWidget({
      title: 'Traffic: API requests and errors per minute',
      width: 8,
      left: [
        stage.metricCount({ statistic: 'Sum', period: minute, label: 'requests' }),
        stage.metricClientError({ statistic: 'Sum', period: minute, label: '4xx' }),
        stage.metricServerError({ statistic: 'Sum', period: minute, label: '5xx' }),
      ],
    }),
    new GraphWidget({
      title: 'Traffic: invocations per function',
      width: 8,
      left: [
        ...tableFunctions.map((name) =>
          metrics.fn(name).metricInvocations({ statistic: 'Sum', period: minute, label: name }),
        ),
        probe.metricInvocations({ statistic: 'Sum', period: minute, label: 'probe' }),
      ],
    }),
    new GraphWidget({
      title: 'Submissions: responses accepted / rejected (by reason)',
      width: 8,
      left: [
        metrics.business(metricNames.responsesAccepted, fiveMinutes).with({ label: 'accepted' }),
        metrics.business(metricNames.responsesRejected, fiveMinutes).with({ label: 'rejected (all reasons)' }),
        search(
          `SEARCH('{${ns},${dimensionNames.reason},${dimensionNames.service}} MetricName="${metricNames.responsesRejected}"', 'Sum', 300)`,
          'rejected:',
          fiveMinutes,
        ),
      ],
    }),
  ];
}

function latencyRow({ config, metrics, httpApi }: OpsDashboardProps): IWidget[] {
  const apiLatency = (statistic: string) =>
    httpApi.stage.metricLatency({ statistic, period: minute, label: `API latency ${statistic}` });
  return [
    new GraphWidget({
      title: 'Latency: API p50 / p90 / p99 (all routes, ms)',
      width: 8,
      left: [apiLatency('p50'), apiLatency('p90'), apiLatency('p99')],
    }),
    new GraphWidget({
      title: 'Latency: p99 per route group vs SLO (Lambda duration, ms)',
      width: 8,
      left: routeGroups.map((g) => metrics.latency(g, minute)),
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
  ];
}

function errorsRow({ config, metrics }: OpsDashboardProps): IWidget[] {
  return [
    new GraphWidget({
      title: 'Errors: API 5xx rate and Lambda error rate (%)',
      width: 8,
      left: [metrics.serverErrorRate(minute), ...tableFunctions.map((name) => metrics.lambdaErrorRate(name, minute))],
      leftAnnotations: [sloLine(config.serverErrorRatePercent.threshold, '5xx threshold')],
    }),
    new GraphWidget({
      title: 'Availability (probe, %) and probe latency (ms)',
      width: 8,
      left: [metrics.availability(fiveMinutes)],
      leftAnnotations: [sloLine(config.availabilityPercent.threshold, 'SLO')],
      leftYAxis: { min: 0, max: 100 },
      right: [metrics.probe(metricNames.probeLatency, 'Average', minute).with({ label: 'probe latency' })],
    }),
    new GraphWidget({
      title: 'Throttles: Lambda and DynamoDB; DynamoDB system errors',
      width: 8,
      left: [
        ...tableFunctions.map((name) => metrics.lambdaThrottles(name, fiveMinutes, `${name} throttles`)),
        metrics.dynamoThrottles(fiveMinutes),
        metrics.dynamoSystemErrors(fiveMinutes),
      ],
    }),
  ];
}

function webhooksRow({ config, metrics }: OpsDashboardProps): IWidget[] {
  const m = (name: string, label: string) => metrics.business(name, fiveMinutes).with({ label });
  return [
    new GraphWidget({
      title: 'Webhooks: attempts, failures, dead-lettered deliveries, subscriptions disabled (per 5 min)',
      width: 12,
      left: [m(metricNames.webhookAttempts, 'attempts'), m(metricNames.webhookAttemptFailures, 'failed attempts')],
      right: [
        m(metricNames.webhookDeadLettered, 'dead-lettered'),
        m(metricNames.webhookSubscriptionsDisabled, 'disabled'),
      ],
    }),
    new GraphWidget({
      title: 'Webhooks: failure rate (%) and dead-letter queue messages',
      width: 12,
      left: [metrics.webhookFailureRate(config.webhookFailureRatePercent, fiveMinutes)],
      leftAnnotations: [sloLine(config.webhookFailureRatePercent.threshold, 'threshold')],
      right: [metrics.webhookDeadLetterMessages(fiveMinutes)],
    }),
  ];
}

function streamAndSatisfactionRow({ config, metrics }: OpsDashboardProps): IWidget[] {
  const { csatPercent: csat, detractorSharePercent: detractors } = config;
  const ns = config.metricsNamespace;
  return [
    new GraphWidget({
      title: 'Stream: aggregator iterator age (ms) and dead-letter messages',
      width: 8,
      left: [metrics.iteratorAge(minute, 'iterator age (max)')],
      leftAnnotations: [sloLine(config.iteratorAgeMs.threshold, 'threshold')],
      right: [
        metrics.deadLetterMessages(minute, 'DLQ messages'),
        metrics.business(metricNames.streamRecordsPoisoned, minute).with({ label: 'poisoned records' }),
      ],
    }),
    new GraphWidget({
      title: `Satisfaction: CSAT and detractor share, all surveys (%, ${csat.periodMinutes} min windows)`,
      width: 8,
      left: [metrics.csat(csat, minutes(csat)), metrics.detractorShare(detractors, minutes(detractors))],
      leftAnnotations: [
        sloLine(csat.threshold, 'CSAT threshold'),
        sloLine(detractors.threshold, 'detractor threshold'),
      ],
      leftYAxis: { min: 0, max: 100 },
    }),
    new GraphWidget({
      title: 'Satisfaction: rated answers (n) per hour, and responses per survey',
      width: 8,
      left: [metrics.business(metricNames.ratedAnswers, hour).with({ label: 'rated answers (all surveys)' })],
      leftAnnotations: [{ value: csat.minSample, label: 'minimum sample', color: '#7f7f7f' }],
      right: [
        search(
          `SEARCH('{${ns},${dimensionNames.service},${dimensionNames.surveyId}} MetricName="${metricNames.responsesAccepted}"', 'Sum', 3600)`,
          'survey',
          hour,
        ),
      ],
    }),
  ];
}

/** Drop alerts and the e-mails that tell people: what fired, per survey, and whether mail goes out. */
function notificationsRow({ config, metrics }: OpsDashboardProps): IWidget[] {
  const ns = config.metricsNamespace;
  const perSurvey = (metric: string, label: string) =>
    search(
      `SEARCH('{${ns},${dimensionNames.service},${dimensionNames.surveyId}} MetricName="${metric}"', 'Sum', 3600)`,
      label,
      hour,
    );
  return [
    new GraphWidget({
      title: 'Alerts: satisfaction dropped / recovered, all surveys (per hour)',
      width: 8,
      left: [
        metrics.business(metricNames.satisfactionDropped, hour).with({ label: 'dropped' }),
        metrics.business(metricNames.satisfactionRecovered, hour).with({ label: 'recovered' }),
      ],
    }),
    new GraphWidget({
      title: 'Alerts by survey: satisfaction dropped (left) and recovered (right), per hour',
      width: 8,
      left: [perSurvey(metricNames.satisfactionDropped, 'dropped')],
      right: [perSurvey(metricNames.satisfactionRecovered, 'recovered')],
    }),
    new GraphWidget({
      title: 'Notifications: e-mails not sent and surveys the job failed on',
      width: 8,
      left: [
        metrics.business(metricNames.emailSendFailed, fiveMinutes).with({ label: 'e-mails not sent' }),
        metrics.business(metricNames.notificationJobFailed, fiveMinutes).with({ label: 'surveys failed' }),
      ],
    }),
  ];
}

function frontDoorRow({ config, metrics, webAclName }: OpsDashboardProps): IWidget[] {
  const api = new GraphWidget({
    title: 'Front door: API 4xx rate (%) and API Gateway 429s',
    width: webAclName === undefined ? 24 : 12,
    left: [metrics.clientErrorRate(fiveMinutes)],
    leftAnnotations: [sloLine(config.clientErrorRatePercent.threshold, '4xx threshold')],
    right: [metrics.apiThrottled(minute)],
  });
  if (webAclName === undefined) return [api];
  return [
    api,
    new GraphWidget({
      title: `Front door: WAF 429s (rate rules) and blocks (managed rules), ${WAF_METRICS_REGION}`,
      width: 12,
      region: WAF_METRICS_REGION,
      left: [
        wafBlocked(webAclName, RATE_RULES, minute, 'WAF 429s (rate rules)'),
        wafBlocked(webAclName, MANAGED_RULES, minute, 'WAF blocks (managed rules)'),
      ],
    }),
  ];
}

function failedRequestsRow({ functions }: OpsDashboardProps): IWidget[] {
  return [
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
  ];
}
