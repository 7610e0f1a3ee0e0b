import { Stack } from 'aws-cdk-lib';
import type { Alarm, CompositeAlarm, Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AlarmConfig } from '../alarm-config';
import type { LogLevel } from '../config';
import type { RapportHttpApi } from './http-api';
import { createAbuseAlarms } from './observability/alarms/abuse-alarms';
import type { AlarmGroupProps } from './observability/alarms/alarm-specs';
import { createApiAlarms, createAvailabilityAlarm } from './observability/alarms/api-alarms';
import { createBusinessAlarms } from './observability/alarms/business-alarms';
import { createDataAlarms } from './observability/alarms/data-alarms';
import { createFunctionErrorAlarms, createFunctionThrottleAlarms } from './observability/alarms/function-alarms';
import { createNotificationAlarms } from './observability/alarms/notification-alarms';
import { createUnhealthyAlarm } from './observability/alarms/unhealthy-alarm';
import { createWebhookAlarms, createWebhookQueueAlarms } from './observability/alarms/webhook-alarms';
import { createApiThrottledFilter } from './observability/api-throttled-filter';
import { createOpsDashboard } from './observability/dashboard';
import { ObservabilityMetrics } from './observability/metrics';
import { createOpsTopic } from './observability/ops-topic';
import { ProbeFunction } from './observability/probe-function';
import type { FunctionName, RapportFunction } from './rapport-function';

// What the infra tests (and anyone reading the alarms) need, from where it is defined.
export { API_THROTTLED_METRIC } from './observability/api-throttled-filter';
export { functionOfRouteGroup, type RouteGroup, routeGroups } from './observability/route-groups';

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
  /** The webhook delivery queue and its dead-letter queues. */
  readonly webhooks: {
    readonly queue: IQueue;
    readonly deadLetterQueue: IQueue;
    readonly streamDeadLetterQueue: IQueue;
  };
}

/**
 * Everything ops sees (docs/design.md §10, runbook in docs/operations.md): a KMS-encrypted, TLS-only SNS topic with the e-mail
 * subscription (observability/ops-topic.ts); one alarm per failure mode (thresholds from
 * infra/alarm-config.ts), grouped by what they watch (observability/alarms/), each notifying the topic on
 * ALARM and OK and naming its runbook entry; a composite "unhealthy" over the technical ones; the
 * availability probe; and the dashboard (observability/dashboard.ts).
 *
 * Construct ids and creation order are the template's logical ids and resource order: the parts below
 * create their constructs directly in this one, in this order.
 */
export class Observability extends Construct {
  readonly topic: Topic;
  readonly topicKey: Key;
  readonly probe: ProbeFunction;
  /** Every metric alarm, by key (alarm name = `<stack>-<key>`). */
  readonly alarms: Record<string, Alarm> = {};
  /** The alarms the composite watches: everything but the abuse and satisfaction alarms. */
  readonly technicalAlarms: Alarm[] = [];
  readonly unhealthy: CompositeAlarm;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { config } = props;
    const { stackName } = Stack.of(this);

    const ops = createOpsTopic(this, {
      displayName: `${stackName} ops alarms`,
      alarmEmail: props.alarmEmail,
      acknowledgeNoAlarmEmail: props.acknowledgeNoAlarmEmail,
    });
    this.topic = ops.topic;
    this.topicKey = ops.key;
    const target = { prefix: stackName, action: new SnsAction(this.topic) };

    this.probe = new ProbeFunction(this, 'Probe', {
      healthUrl: props.healthUrl,
      namespace: config.probeNamespace,
      target: stackName,
      timeoutMs: config.probeTimeoutMs,
      logRetentionDays: props.logRetentionDays,
      logLevel: props.logLevel,
    });

    createApiThrottledFilter(this, props.httpApi.accessLogGroup, config.metricsNamespace);
    const metrics = new ObservabilityMetrics({ ...props, probeTarget: stackName });
    const group: AlarmGroupProps = { target, config, metrics };

    // The order of the groups is the order of the alarms in the template and on the dashboard.
    const technical = {
      ...createApiAlarms(this, group),
      ...createFunctionErrorAlarms(this, group),
      ...createAvailabilityAlarm(this, group),
      ...createFunctionThrottleAlarms(this, group),
      ...createDataAlarms(this, group),
      ...createWebhookQueueAlarms(this, group),
      ...createNotificationAlarms(this, group),
    };
    this.technicalAlarms.push(...Object.values(technical));
    Object.assign(
      this.alarms,
      technical,
      createAbuseAlarms(this, { ...group, webAclNameHere: props.waf?.alarmsHere ? props.waf.webAclName : undefined }),
      createBusinessAlarms(this, group),
      createWebhookAlarms(this, group),
    );
    this.unhealthy = createUnhealthyAlarm(this, target, this.technicalAlarms);

    this.dashboard = createOpsDashboard(this, {
      stackName,
      config,
      metrics,
      httpApi: props.httpApi,
      functions: props.functions,
      probe: this.probe.fn,
      unhealthy: this.unhealthy,
      alarms: Object.values(this.alarms),
      webAclName: props.waf?.webAclName,
    });
  }
}
