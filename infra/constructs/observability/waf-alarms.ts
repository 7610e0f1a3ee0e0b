/**
 * Alarms on the front door's WAF. WAF for CloudFront reports its metrics in us-east-1 only, and an
 * alarm can only watch metrics of its own region, so these alarms live next to the WebACL: in the
 * main stack when that is in us-east-1 (or region-agnostic), else in the `-edge` stack with an ops
 * topic of its own.
 */

import type { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { ComparisonOperator, MathExpression, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Construct } from 'constructs';
import type { AlarmConfig } from '../../alarm-config';
import { webAclMetricNames } from '../front-door/web-acl';
import { minutes, opsAlarm } from './ops-alarm';

type WafRule = keyof typeof webAclMetricNames;

/** `BlockedRequests` of some rules of the WebACL, summed (math ids are prefixed: unique per graph). */
export function wafBlocked(webAclName: string, rules: readonly WafRule[], period: Duration, label: string) {
  const usingMetrics = Object.fromEntries(
    rules.map((rule) => [
      `waf_${rule}`,
      new Metric({
        namespace: 'AWS/WAFV2',
        metricName: 'BlockedRequests',
        dimensionsMap: { WebACL: webAclName, Rule: webAclMetricNames[rule] },
        statistic: 'Sum',
        period,
      }),
    ]),
  );
  return new MathExpression({
    expression: `SUM([${Object.keys(usingMetrics)
      .map((id) => `FILL(${id}, 0)`)
      .join(', ')}])`,
    usingMetrics,
    period,
    label,
  });
}

export const RATE_RULES: readonly WafRule[] = ['surveyResponses', 'surveyDisplays', 'api'];
export const MANAGED_RULES: readonly WafRule[] = ['commonRuleSet', 'knownBadInputs'];

export interface WafAlarmsProps {
  readonly prefix: string;
  readonly webAclName: string;
  readonly config: AlarmConfig;
  readonly action: SnsAction;
}

export function createWafAlarms(
  scope: Construct,
  props: WafAlarmsProps,
): Record<'waf-rate-limited' | 'waf-blocked', Alarm> {
  const { config } = props;
  const common = {
    prefix: props.prefix,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    action: props.action,
  };
  return {
    'waf-rate-limited': opsAlarm(scope, {
      ...common,
      key: 'waf-rate-limited',
      config: config.wafRateLimited,
      metric: wafBlocked(props.webAclName, RATE_RULES, minutes(config.wafRateLimited), 'WAF 429s (rate rules)'),
      summary: `WAF answered more than ${config.wafRateLimited.threshold} requests with 429 in ${config.wafRateLimited.periodMinutes} min: someone is flooding submissions, displays or the API.`,
    }),
    'waf-blocked': opsAlarm(scope, {
      ...common,
      key: 'waf-blocked',
      config: config.wafBlocked,
      metric: wafBlocked(props.webAclName, MANAGED_RULES, minutes(config.wafBlocked), 'WAF blocks (managed rules)'),
      summary: `The WAF managed rules blocked more than ${config.wafBlocked.threshold} requests in ${config.wafBlocked.periodMinutes} min: a targeted scan or attack.`,
    }),
  };
}
