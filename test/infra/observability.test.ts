import { readFileSync } from 'node:fs';
import { Alarm, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableFunctions } from '../../functions/contracts/data-access';
import { BUSINESS_SERVICE, metricNames } from '../../functions/contracts/metric-names';
import { routes } from '../../functions/contracts/routes';
import { type AlarmConfig, AlarmConfigError, resolveAlarmConfig, type ThresholdAlarm } from '../../infra/alarm-config';
import { webAclMetricNames } from '../../infra/constructs/front-door/web-acl';
import { API_THROTTLED_METRIC, functionOfRouteGroup } from '../../infra/constructs/observability';
import { fromRoot } from '../../infra/paths';
import { type CfnJson, NO_NAG, resourcesOf, type Synthesised, synthRapport } from './synth';

type Resource = { Properties: Record<string, CfnJson>; [k: string]: CfnJson };

interface ExpectedAlarm {
  readonly key: string;
  readonly config: ThresholdAlarm;
  readonly comparison: 'GreaterThanThreshold' | 'LessThanThreshold';
  readonly missing: 'breaching' | 'notBreaching';
  readonly technical: boolean;
}

/** Every alarm the issue asks for, its numbers read from the alarm config (never copied by hand). */
function expectedAlarms(c: AlarmConfig): ExpectedAlarm[] {
  const gt = 'GreaterThanThreshold' as const;
  const ok = 'notBreaching' as const;
  const fns = [...tableFunctions];
  return [
    { key: 'public-latency-p99', config: c.latencyP99Ms.public, comparison: gt, missing: ok, technical: true },
    { key: 'admin-latency-p99', config: c.latencyP99Ms.admin, comparison: gt, missing: ok, technical: true },
    { key: 'api-5xx-rate', config: c.serverErrorRatePercent, comparison: gt, missing: ok, technical: true },
    ...fns.map((f) => ({
      key: `${f}-error-rate`,
      config: c.lambdaErrorRatePercent,
      comparison: gt,
      missing: ok,
      technical: true,
    })),
    {
      key: 'availability',
      config: c.availabilityPercent,
      comparison: 'LessThanThreshold',
      missing: 'breaching',
      technical: true,
    },
    ...fns.map((f) => ({
      key: `${f}-throttles`,
      config: c.lambdaThrottles,
      comparison: gt,
      missing: ok,
      technical: true,
    })),
    { key: 'dynamodb-throttles', config: c.dynamoThrottleEvents, comparison: gt, missing: ok, technical: true },
    { key: 'dynamodb-system-errors', config: c.dynamoSystemErrors, comparison: gt, missing: ok, technical: true },
    { key: 'aggregator-iterator-age', config: c.iteratorAgeMs, comparison: gt, missing: ok, technical: true },
    { key: 'aggregator-dlq', config: c.deadLetterMessages, comparison: gt, missing: ok, technical: true },
    { key: 'aggregator-poisoned', config: c.poisonedRecords, comparison: gt, missing: ok, technical: true },
    { key: 'audit-write-failed', config: c.auditWriteFailed, comparison: gt, missing: ok, technical: true },
    { key: 'webhook-dlq', config: c.webhookDeadLetterMessages, comparison: gt, missing: ok, technical: true },
    { key: 'email-send-failed', config: c.emailSendFailed, comparison: gt, missing: ok, technical: true },
    { key: 'notification-job-failed', config: c.notificationJobFailed, comparison: gt, missing: ok, technical: true },
    { key: 'api-4xx-rate', config: c.clientErrorRatePercent, comparison: gt, missing: ok, technical: true },
    { key: 'api-throttled', config: c.apiThrottled, comparison: gt, missing: ok, technical: true },
    // Abuse, not ill health: outside the composite. Here because the WebACL is in this (region-agnostic) stack.
    { key: 'waf-rate-limited', config: c.wafRateLimited, comparison: gt, missing: ok, technical: false },
    { key: 'waf-blocked', config: c.wafBlocked, comparison: gt, missing: ok, technical: false },
    { key: 'submission-surge', config: c.submissionSurge, comparison: gt, missing: ok, technical: false },
    { key: 'csat', config: c.csatPercent, comparison: 'LessThanThreshold', missing: ok, technical: false },
    { key: 'detractor-share', config: c.detractorSharePercent, comparison: gt, missing: ok, technical: false },
    // A subscriber's receiver failing is not Rapport's ill health: outside the composite.
    { key: 'webhook-dead-lettered', config: c.webhookDeadLettered, comparison: gt, missing: ok, technical: false },
    { key: 'webhook-failure-rate', config: c.webhookFailureRatePercent, comparison: gt, missing: ok, technical: false },
  ];
}

/** The period(s) an alarm evaluates: its own, or those of the metrics inside its math expression. */
function periodsOf(alarm: Resource): number[] {
  if (alarm.Properties.Period !== undefined) return [alarm.Properties.Period as number];
  return (alarm.Properties.Metrics as { MetricStat?: { Period: number } }[])
    .filter((m) => m.MetricStat)
    .map((m) => m.MetricStat!.Period);
}

function metricStatsOf(
  alarm: Resource,
): { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: unknown }[] }[] {
  if (alarm.Properties.MetricName) return [alarm.Properties as CfnJson];
  return (alarm.Properties.Metrics as { MetricStat?: { Metric: CfnJson } }[])
    .filter((m) => m.MetricStat)
    .map((m) => m.MetricStat!.Metric);
}

function expressionOf(alarm: Resource): string {
  return (alarm.Properties.Metrics as { Expression?: string }[]).find((m) => m.Expression)!.Expression!;
}

/** Names of alarms (metric and composite) that do not notify the ops topic on both ALARM and OK. */
function alarmsWithoutOpsTopic(s: Synthesised): string[] {
  const topicId = resourcesOf(s.template, 'AWS::SNS::Topic')[0]![0];
  const notifies = (actions: unknown) =>
    Array.isArray(actions) && actions.some((a) => JSON.stringify(a) === JSON.stringify({ Ref: topicId }));
  return [
    ...resourcesOf(s.template, 'AWS::CloudWatch::Alarm'),
    ...resourcesOf(s.template, 'AWS::CloudWatch::CompositeAlarm'),
  ]
    .filter(
      ([, a]) =>
        !notifies(a.Properties.AlarmActions) ||
        !notifies(a.Properties.OKActions) ||
        a.Properties.ActionsEnabled === false,
    )
    .map(([id, a]) => (a.Properties.AlarmName ?? id) as string);
}

describe('observability', () => {
  let s: Synthesised;
  let alarmsByName: Map<string, [string, Resource]>;
  let config: AlarmConfig;
  let stackName: string;
  const alarm = (key: string): Resource => {
    const found = alarmsByName.get(`${stackName}-${key}`);
    expect(found, `alarm ${stackName}-${key}`).toBeDefined();
    return found![1];
  };
  const fnIdByService = (service: string): string =>
    resourcesOf(s.template, 'AWS::Lambda::Function').find(
      ([, f]) => f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === service,
    )![0];

  beforeAll(() => {
    s = synthRapport(NO_NAG);
    config = s.config.alarms;
    stackName = s.stack.stackName;
    alarmsByName = new Map(
      resourcesOf(s.template, 'AWS::CloudWatch::Alarm').map(([id, a]) => [a.Properties.AlarmName as string, [id, a]]),
    );
  });

  it('creates every alarm with the threshold, period and evaluation of the alarm config, and nothing else', () => {
    const expected = expectedAlarms(config);
    for (const e of expected) {
      const a = alarm(e.key);
      expect(a.Properties, e.key).toMatchObject({
        Threshold: e.config.threshold,
        EvaluationPeriods: e.config.evaluationPeriods,
        DatapointsToAlarm: e.config.datapointsToAlarm,
        ComparisonOperator: e.comparison,
        TreatMissingData: e.missing,
      });
      const periods = periodsOf(a);
      expect(periods.length, e.key).toBeGreaterThan(0);
      for (const p of periods) expect(p, e.key).toBe(e.config.periodMinutes * 60);
    }
    expect([...alarmsByName.keys()].sort()).toEqual(expected.map((e) => `${stackName}-${e.key}`).sort());
  });

  it('follows context overrides of the thresholds', () => {
    const o = synthRapport({
      ...NO_NAG,
      availabilitySloPercent: '99.5',
      csatThresholdPercent: '80',
      satisfactionWindowMinutes: '120',
      publicLatencyP99Ms: 700,
    });
    const find = (key: string) =>
      resourcesOf(o.template, 'AWS::CloudWatch::Alarm').find(
        ([, a]) => a.Properties.AlarmName === `Rapport-${key}`,
      )![1];
    expect(find('availability').Properties.Threshold).toBe(99.5);
    expect(find('csat').Properties.Threshold).toBe(80);
    expect(periodsOf(find('csat'))).toEqual([7200, 7200]);
    expect(find('public-latency-p99').Properties.Threshold).toBe(700);
    expect(() => resolveAlarmConfig((k) => ({ availabilitySloPercent: '100' })[k])).toThrow(AlarmConfigError);
    expect(() => resolveAlarmConfig((k) => ({ satisfactionWindowMinutes: '90' })[k])).toThrow(AlarmConfigError);
    expect(() => resolveAlarmConfig((k) => ({ csatThresholdPercent: 'high' })[k])).toThrow(AlarmConfigError);
  });

  it('sends every alarm, the composite included, to the ops topic on ALARM and on OK', () => {
    expect(resourcesOf(s.template, 'AWS::CloudWatch::Alarm').length).toBeGreaterThan(10);
    expect(resourcesOf(s.template, 'AWS::CloudWatch::CompositeAlarm')).toHaveLength(1);
    expect(alarmsWithoutOpsTopic(s)).toEqual([]);
  });

  it('can fail: an alarm without the ops topic is reported', () => {
    const broken = synthRapport(NO_NAG, ({ stack }) => {
      new Alarm(stack, 'SilentCanary', {
        metric: new Metric({ namespace: 'X', metricName: 'Y' }),
        threshold: 1,
        evaluationPeriods: 1,
        alarmName: 'silent-canary',
      });
    });
    expect(alarmsWithoutOpsTopic(broken)).toEqual(['silent-canary']);
  });

  it('points every alarm at its runbook entry, and the runbook has that entry', () => {
    const runbook = readFileSync(fromRoot('docs/operations.md'), 'utf8');
    for (const e of [...expectedAlarms(config).map((x) => x.key), 'unhealthy']) {
      expect(runbook, `docs/operations.md anchor ${e}`).toContain(`<a id="${e}"></a>`);
    }
    for (const e of expectedAlarms(config)) {
      expect(alarm(e.key).Properties.AlarmDescription).toContain(`docs/operations.md#${e.key}`);
    }
    const composite = resourcesOf(s.template, 'AWS::CloudWatch::CompositeAlarm')[0]![1];
    expect(composite.Properties.AlarmDescription).toContain('docs/operations.md#unhealthy');
  });

  it('has one composite "unhealthy" alarm over exactly the technical alarms', () => {
    const composite = resourcesOf(s.template, 'AWS::CloudWatch::CompositeAlarm')[0]![1];
    expect(composite.Properties.AlarmName).toBe(`${stackName}-unhealthy`);
    const rule = JSON.stringify(composite.Properties.AlarmRule);
    for (const e of expectedAlarms(config)) {
      const [id] = alarmsByName.get(`${stackName}-${e.key}`)!;
      expect(rule.includes(`"${id}"`), e.key).toBe(e.technical);
    }
    expect(rule).toContain('ALARM(');
    expect(rule).toContain(' OR ');
  });

  it('measures latency per route group on the one function that serves the group', () => {
    expect(functionOfRouteGroup('public')).toBe('public-api');
    expect(functionOfRouteGroup('admin')).toBe('admin-api');
    for (const r of routes) expect(r.function, r.operationId).toBe(r.access === 'public' ? 'public-api' : 'admin-api');
    for (const [group, service] of [
      ['public', 'rapport-public-api'],
      ['admin', 'rapport-admin-api'],
    ] as const) {
      const a = alarm(`${group}-latency-p99`);
      expect(a.Properties.Metrics).toHaveLength(1);
      expect(a.Properties.Metrics[0].MetricStat).toMatchObject({
        Stat: 'p99',
        Metric: {
          Namespace: 'AWS/Lambda',
          MetricName: 'Duration',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnIdByService(service) } }],
        },
      });
    }
  });

  it('computes rates with metric math: 5xx / requests and errors / invocations', () => {
    const api = alarm('api-5xx-rate');
    expect(
      metricStatsOf(api)
        .map((m) => m.MetricName)
        .sort(),
    ).toEqual(['5xx', 'Count']);
    expect(expressionOf(api)).toMatch(/100 \* FILL\(api_5xx, 0\) \/ api_requests/);
    for (const f of ['public-api', 'admin-api', 'aggregator']) {
      const a = alarm(`${f}-error-rate`);
      expect(
        metricStatsOf(a)
          .map((m) => m.MetricName)
          .sort(),
      ).toEqual(['Errors', 'Invocations']);
      for (const m of metricStatsOf(a))
        expect(m.Dimensions).toEqual([{ Name: 'FunctionName', Value: { Ref: fnIdByService(`rapport-${f}`) } }]);
    }
  });

  it('judges the 4xx rate only in periods with enough requests, and counts API Gateway 429s from its access log', () => {
    const rate = alarm('api-4xx-rate');
    expect(expressionOf(rate)).toBe(
      `IF(api_requests_4xx >= ${config.clientErrorRatePercent.minRequests}, 100 * FILL(api_4xx, 0) / api_requests_4xx, 0)`,
    );
    expect(
      metricStatsOf(rate)
        .map((m) => m.MetricName)
        .sort(),
    ).toEqual(['4xx', 'Count']);

    const [throttled] = metricStatsOf(alarm('api-throttled'));
    expect(throttled).toMatchObject({ Namespace: config.metricsNamespace, MetricName: API_THROTTLED_METRIC });
    const filters = resourcesOf(s.template, 'AWS::Logs::MetricFilter');
    expect(filters).toHaveLength(1);
    const filter = filters[0]![1].Properties;
    expect(filter.FilterPattern).toBe('{ $.status = "429" }');
    expect(filter.MetricTransformations).toEqual([
      { MetricNamespace: config.metricsNamespace, MetricName: API_THROTTLED_METRIC, MetricValue: '1' },
    ]);
    const stage = resourcesOf(s.template, 'AWS::ApiGatewayV2::Stage')[0]![1];
    const accessLogId = stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0] as string;
    expect(filter.LogGroupName).toEqual({ Ref: accessLogId });
  });

  it('counts poisoned stream records from the aggregator’s StreamRecordsPoisoned metric', () => {
    expect(alarm('aggregator-poisoned').Properties).toMatchObject({
      Namespace: config.metricsNamespace,
      MetricName: metricNames.streamRecordsPoisoned,
      Dimensions: [{ Name: 'service', Value: BUSINESS_SERVICE }],
      Statistic: 'Sum',
    });
  });

  it('watches WAF 429s of the rate rules and blocks of the managed rules, by the WebACL’s name', () => {
    const aclName = resourcesOf(s.template, 'AWS::WAFv2::WebACL')[0]![1].Properties.Name as string;
    const rulesOf = (key: string) =>
      metricStatsOf(alarm(key)).map((m) => {
        expect(m).toMatchObject({ Namespace: 'AWS/WAFV2', MetricName: 'BlockedRequests' });
        const dims = Object.fromEntries((m.Dimensions ?? []).map((d) => [d.Name, d.Value]));
        expect(dims.WebACL).toBe(aclName);
        return dims.Rule;
      });
    expect(rulesOf('waf-rate-limited').sort()).toEqual(
      [webAclMetricNames.api, webAclMetricNames.surveyResponses, webAclMetricNames.surveyDisplays].sort(),
    );
    expect(rulesOf('waf-blocked').sort()).toEqual(
      [webAclMetricNames.commonRuleSet, webAclMetricNames.knownBadInputs].sort(),
    );
  });

  it('watches the probe’s Availability of this stack, treating no data as down', () => {
    const a = alarm('availability');
    const [m] = metricStatsOf(a);
    expect(m).toMatchObject({
      Namespace: config.probeNamespace,
      MetricName: metricNames.availability,
      Dimensions: [{ Name: 'Target', Value: stackName }],
    });
    expect(a.Properties.TreatMissingData).toBe('breaching');
  });

  it('watches throttles, DynamoDB system errors, the stream iterator age and the dead-letter queue', () => {
    for (const f of ['public-api', 'admin-api', 'aggregator']) {
      expect(alarm(`${f}-throttles`).Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Throttles',
        Statistic: 'Sum',
      });
    }
    const throttles = metricStatsOf(alarm('dynamodb-throttles'));
    expect(new Set(throttles.map((m) => m.MetricName))).toEqual(new Set(['ReadThrottleEvents', 'WriteThrottleEvents']));
    expect(
      throttles.filter((m) => m.Dimensions!.some((d) => d.Name === 'GlobalSecondaryIndexName')).length,
    ).toBeGreaterThan(0);
    expect(metricStatsOf(alarm('dynamodb-system-errors')).every((m) => m.MetricName === 'SystemErrors')).toBe(true);
    expect(alarm('aggregator-iterator-age').Properties).toMatchObject({
      MetricName: 'IteratorAge',
      Statistic: 'Maximum',
    });
    expect(alarm('aggregator-dlq').Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
    });
    // CloudWatch rejects alarms whose math uses more than 10 metrics.
    for (const [, a] of alarmsByName.values()) expect(metricStatsOf(a).length).toBeLessThanOrEqual(10);
  });

  it('judges satisfaction across all surveys from the business metrics, only above the minimum sample', () => {
    const namespaces = new Set(
      resourcesOf(s.template, 'AWS::Lambda::Function')
        .map(([, f]) => f.Properties.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE)
        .filter(Boolean),
    );
    expect([...namespaces]).toEqual([config.metricsNamespace]);
    const csat = alarm('csat');
    expect(expressionOf(csat)).toBe(
      `IF(csat_rated >= ${config.csatPercent.minSample}, 100 * csat_satisfied / csat_rated, 100)`,
    );
    const detractors = alarm('detractor-share');
    expect(expressionOf(detractors)).toBe(
      `IF(ds_rated >= ${config.detractorSharePercent.minSample}, 100 * ds_detractors / ds_rated, 0)`,
    );
    for (const a of [csat, detractors]) {
      for (const m of metricStatsOf(a)) {
        expect(m.Namespace).toBe(config.metricsNamespace);
        // The all-surveys series: the `service` dimension alone, no SurveyId.
        expect(m.Dimensions).toEqual([{ Name: 'service', Value: BUSINESS_SERVICE }]);
      }
    }
    expect(
      metricStatsOf(csat)
        .map((m) => m.MetricName)
        .sort(),
    ).toEqual([metricNames.ratedAnswers, metricNames.satisfied].sort());
  });

  it('encrypts the ops topic with a rotating customer-managed key, TLS only, and lets CloudWatch alarms use both', () => {
    const [, topic] = resourcesOf(s.template, 'AWS::SNS::Topic')[0]!;
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0] as string;
    const resources = s.template.toJSON().Resources as Record<string, Resource>;
    expect(resources[keyId]!.Type).toBe('AWS::KMS::Key');
    expect(resources[keyId]!.Properties.EnableKeyRotation).toBe(true);
    const keyStatements = resources[keyId]!.Properties.KeyPolicy.Statement as CfnJson[];
    expect(keyStatements.find((st) => st.Principal?.Service === 'cloudwatch.amazonaws.com')?.Action).toEqual([
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    ]);

    const policies = resourcesOf(s.template, 'AWS::SNS::TopicPolicy');
    expect(policies).toHaveLength(1);
    const statements = policies[0]![1].Properties.PolicyDocument.Statement as CfnJson[];
    const tlsOnly = statements.find((st) => st.Effect === 'Deny');
    expect(tlsOnly).toMatchObject({
      Action: 'sns:Publish',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      Principal: '*',
    });
    const publish = statements.find((st) => st.Effect === 'Allow');
    expect(publish).toMatchObject({ Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' } });
    expect(publish.Condition.StringEquals).toHaveProperty('aws:SourceAccount');
  });

  it('fails the synth when the ops topic would have no subscriber, unless that is acknowledged', () => {
    // What the CLI reads after synth: error annotations fail `cdk synth` and `cdk deploy`.
    const messages = (x: Synthesised, type: 'aws:cdk:error' | 'aws:cdk:warning') =>
      x.app.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === type).map((m) => String(m.data)));
    const errors = (x: Synthesised) => messages(x, 'aws:cdk:error');
    const silent = synthRapport({ ...NO_NAG, acknowledgeNoAlarmEmail: undefined });
    expect(errors(silent)).toEqual([expect.stringContaining('No alarmEmail')]);
    expect(errors(s)).toEqual([]);
    expect(messages(s, 'aws:cdk:warning').filter((m) => m.includes('acknowledgeNoAlarmEmail=true'))).toHaveLength(1);
    expect(
      errors(synthRapport({ ...NO_NAG, acknowledgeNoAlarmEmail: undefined, alarmEmail: 'ops@example.com' })),
    ).toEqual([]);
  });

  it('subscribes the alarmEmail from the context, and no one otherwise', () => {
    expect(resourcesOf(s.template, 'AWS::SNS::Subscription')).toHaveLength(0);
    const withEmail = synthRapport({ ...NO_NAG, alarmEmail: 'ops@example.com' });
    const subs = resourcesOf(withEmail.template, 'AWS::SNS::Subscription');
    expect(subs).toHaveLength(1);
    expect(subs[0]![1].Properties).toMatchObject({ Protocol: 'email', Endpoint: 'ops@example.com' });
  });

  it('runs the probe every minute against /v1/health on the front door', () => {
    const probeId = fnIdByService('rapport-probe');
    const probe = (s.template.toJSON().Resources as Record<string, Resource>)[probeId]!;
    const env = probe.Properties.Environment.Variables;
    expect(env.METRICS_NAMESPACE).toBe(config.probeNamespace);
    expect(env.PROBE_TARGET).toBe(stackName);
    expect(env.PROBE_TIMEOUT_MS).toBe(String(config.probeTimeoutMs));
    // Through the front door (CloudFront and WAF): availability as users see it.
    const [distributionId] = resourcesOf(s.template, 'AWS::CloudFront::Distribution')[0]!;
    expect(env.HEALTH_URL).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/v1/health']],
    });
    const rules = resourcesOf(s.template, 'AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    expect(rules[0]![1].Properties).toMatchObject({ ScheduleExpression: 'rate(1 minute)', State: 'ENABLED' });
    expect(rules[0]![1].Properties.Targets).toEqual([
      expect.objectContaining({ Arn: { 'Fn::GetAtt': [probeId, 'Arn'] } }),
    ]);
  });

  it('lets the probe do nothing but write its logs and PutMetricData into its namespace', () => {
    const probeId = fnIdByService('rapport-probe');
    const resources = s.template.toJSON().Resources as Record<string, Resource>;
    const roleId = resources[probeId]!.Properties.Role['Fn::GetAtt'][0] as string;
    expect(resources[roleId]!.Properties.ManagedPolicyArns).toBeUndefined();
    expect(resources[roleId]!.Properties.Policies).toBeUndefined();
    const statements = resourcesOf(s.template, 'AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as CfnJson[]);
    const logGroupId = resources[probeId]!.Properties.LoggingConfig.LogGroup.Ref as string;
    const logs = statements.filter((st) => [st.Action].flat().every((a: string) => a.startsWith('logs:')));
    const metrics = statements.filter((st) => [st.Action].flat().includes('cloudwatch:PutMetricData'));
    expect(logs.length + metrics.length).toBe(statements.length);
    expect(metrics).toEqual([
      {
        Action: 'cloudwatch:PutMetricData',
        Effect: 'Allow',
        Resource: '*',
        Condition: { StringEquals: { 'cloudwatch:namespace': config.probeNamespace } },
      },
    ]);
    for (const st of logs) {
      expect([st.Action].flat().sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
      expect(st.Resource).toEqual({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
    }
    expect(config.probeNamespace).not.toBe(config.metricsNamespace);
  });

  it('has the operations dashboard with traffic, latency, errors, availability, throttles, stream and satisfaction', () => {
    const dashboards = resourcesOf(s.template, 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]![1].Properties.DashboardName).toBe(`${stackName}-operations`);
    const body = JSON.stringify(dashboards[0]![1].Properties.DashboardBody);
    for (const title of [
      'Traffic',
      'Submissions',
      'p50 / p90 / p99',
      'Errors',
      'Availability',
      'Throttles',
      'iterator age',
      'CSAT and detractor share',
      'Failed requests',
      'Front door: API 4xx rate',
      'Front door: WAF',
      'poisoned records',
    ]) {
      expect(body, title).toContain(title);
    }
    // WAF for CloudFront reports in us-east-1, wherever the stack is.
    const widgets = JSON.parse(
      JSON.stringify(
        dashboards[0]![1].Properties.DashboardBody['Fn::Join'][1]
          .filter((x: unknown) => typeof x === 'string')
          .join(''),
      ),
    ) as string;
    expect(widgets).toMatch(/"title":"Front door: WAF[^"]*","region":"us-east-1"/);
  });
});
