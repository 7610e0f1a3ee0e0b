/**
 * AWS WAF on the front door: the rules, their order, limits from the config, the 429 answer, and
 * where the WebACL lives in each layout (it must be created in us-east-1).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { displaysPerClient, ruleApplies, submissionsPerClient } from '../../functions/contracts/edge-limits';
import {
  commonRuleSetCounts,
  DISPLAY_PATH_REGEX,
  SUBMISSION_PATH_REGEX,
  webAclMetricNames,
} from '../../infra/constructs/front-door/web-acl';
import { type CfnJson, NO_NAG, resourcesOf, type Synthesised, synthRapport } from './synth';

type Rule = Record<string, CfnJson>;

const webAclOf = (s: Synthesised, template = s.template) => {
  const acls = resourcesOf(template, 'AWS::WAFv2::WebACL');
  expect(acls).toHaveLength(1);
  return acls[0]!;
};
const distributionOf = (s: Synthesised) =>
  resourcesOf(s.template, 'AWS::CloudFront::Distribution')[0]![1].Properties.DistributionConfig;
const alarmNames = (template: Synthesised['template']) =>
  resourcesOf(template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties.AlarmName as string);

describe('WAF rules', () => {
  let s: Synthesised;
  let acl: Record<string, CfnJson>;
  let rules: Record<string, Rule>;

  beforeAll(() => {
    s = synthRapport(NO_NAG);
    acl = webAclOf(s)[1].Properties;
    rules = Object.fromEntries((acl.Rules as Rule[]).map((r) => [r.Name as string, r]));
  });

  it('is a CLOUDFRONT WebACL on the distribution: rate rules first, then the AWS managed rule sets', () => {
    expect(acl.Scope).toBe('CLOUDFRONT');
    expect(acl.DefaultAction).toEqual({ Allow: {} });
    expect((acl.Rules as Rule[]).sort((a, b) => a.Priority - b.Priority).map((r) => r.Name)).toEqual([
      'rate-survey-responses',
      'rate-survey-displays',
      'rate-api-per-ip',
      'aws-common-rule-set',
      'aws-known-bad-inputs',
    ]);
    const [aclId] = webAclOf(s);
    expect(distributionOf(s).WebACLId).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
  });

  it('limits submissions per client IP and survey path, from the config, POST on the submission route only', () => {
    const limits = s.config.rateLimits.surveyResponses;
    const rate = rules['rate-survey-responses']!.Statement.RateBasedStatement;
    expect(rate.Limit).toBe(limits.limit);
    expect(rate.EvaluationWindowSec).toBe(limits.windowSeconds);
    expect(rate.AggregateKeyType).toBe('CUSTOM_KEYS');
    expect(rate.CustomKeys).toEqual([
      { IP: {} },
      {
        UriPath: {
          TextTransformations: [
            { Priority: 0, Type: 'URL_DECODE' },
            { Priority: 1, Type: 'LOWERCASE' },
          ],
        },
      },
    ]);
    const [method, route] = rate.ScopeDownStatement.AndStatement.Statements as CfnJson[];
    expect(method.ByteMatchStatement).toMatchObject({
      FieldToMatch: { Method: {} },
      PositionalConstraint: 'EXACTLY',
      SearchString: 'POST',
    });
    expect(route.RegexMatchStatement).toMatchObject({
      FieldToMatch: { UriPath: {} },
      RegexString: SUBMISSION_PATH_REGEX,
    });
    const regex = new RegExp(SUBMISSION_PATH_REGEX);
    expect(regex.test('/v1/surveys/01J8Z3QW5V6K0A2B4C6D8E0F1G/responses')).toBe(true);
    for (const other of [
      '/v1/surveys/01J8/widget',
      '/v1/surveys/01J8/responses/01K',
      '/v1/surveys/a/b/responses',
      '/v1/customers',
    ]) {
      expect(regex.test(other), other).toBe(false);
    }
    // A person never gets there: one answer, a few retries; a script does.
    expect(limits.limit).toBeLessThanOrEqual(20);
    expect(limits.limit).toBeGreaterThanOrEqual(5);
  });

  it('limits displays per client IP and survey path with their own limit, from the config, POST on the displays route only', () => {
    const limits = s.config.rateLimits.surveyDisplays;
    // The defaults are the edge limit the local gateway enforces too (functions/contracts/edge-limits.ts).
    expect(limits).toEqual({ limit: displaysPerClient.limit, windowSeconds: displaysPerClient.windowSeconds });
    const rate = rules['rate-survey-displays']!.Statement.RateBasedStatement;
    expect(rate).toMatchObject({ Limit: limits.limit, EvaluationWindowSec: limits.windowSeconds });
    // Keyed like the submissions rule: per address and survey path, decoded and lower-cased.
    expect(rate.AggregateKeyType).toBe('CUSTOM_KEYS');
    expect(rate.CustomKeys).toEqual(rules['rate-survey-responses']!.Statement.RateBasedStatement.CustomKeys);
    const [method, route] = rate.ScopeDownStatement.AndStatement.Statements as CfnJson[];
    expect(method.ByteMatchStatement).toMatchObject({ FieldToMatch: { Method: {} }, SearchString: 'POST' });
    expect(route.RegexMatchStatement).toMatchObject({ FieldToMatch: { UriPath: {} }, RegexString: DISPLAY_PATH_REGEX });
    expect(DISPLAY_PATH_REGEX).toBe('^/v1/surveys/[^/]+/displays$');
    const regex = new RegExp(DISPLAY_PATH_REGEX);
    expect(regex.test('/v1/surveys/01J8Z3QW5V6K0A2B4C6D8E0F1G/displays')).toBe(true);
    for (const other of ['/v1/surveys/01J8/responses', '/v1/surveys/01J8/displays/x', '/v1/surveys/a/b/displays']) {
      expect(regex.test(other), other).toBe(false);
    }
    // The WAF and the local gateway match the same requests: one pattern, one method.
    expect(ruleApplies(displaysPerClient, 'POST', '/v1/surveys/01J8/displays')).toBe(true);
    expect(ruleApplies(displaysPerClient, 'OPTIONS', '/v1/surveys/01J8/displays')).toBe(false);
    expect(SUBMISSION_PATH_REGEX).toBe('^/v1/surveys/[^/]+/responses$');
    // One display (and at most one drop-off) per page view: looser than answers, tighter than the whole API.
    const perSecond = (l: { limit: number; windowSeconds: number }) => l.limit / l.windowSeconds;
    expect(perSecond(limits)).toBeGreaterThan(perSecond(s.config.rateLimits.surveyResponses));
    expect(perSecond(limits)).toBeLessThan(perSecond(s.config.rateLimits.api));
    expect(limits.limit).toBeGreaterThan(submissionsPerClient.limit);
  });

  it('has a looser per-IP ceiling for the whole API', () => {
    const rate = rules['rate-api-per-ip']!.Statement.RateBasedStatement;
    expect(rate).toMatchObject({
      Limit: s.config.rateLimits.api.limit,
      EvaluationWindowSec: s.config.rateLimits.api.windowSeconds,
      AggregateKeyType: 'IP',
    });
    expect(rate.ScopeDownStatement.ByteMatchStatement).toMatchObject({
      FieldToMatch: { UriPath: {} },
      PositionalConstraint: 'STARTS_WITH',
      SearchString: '/v1/',
    });
    const perSecond = (l: { limit: number; windowSeconds: number }) => l.limit / l.windowSeconds;
    expect(perSecond(s.config.rateLimits.api)).toBeGreaterThan(perSecond(s.config.rateLimits.surveyResponses));
  });

  it('answers the rate rules with 429, Retry-After and a short problem+json body', () => {
    for (const name of ['rate-survey-responses', 'rate-survey-displays', 'rate-api-per-ip']) {
      const response = rules[name]!.Action.Block.CustomResponse;
      expect(response.ResponseCode, name).toBe(429);
      const headers = Object.fromEntries(
        (response.ResponseHeaders as { Name: string; Value: string }[]).map((h) => [h.Name, h.Value]),
      );
      expect(Number(headers['retry-after'])).toBeGreaterThan(0);
      const body = acl.CustomResponseBodies[response.CustomResponseBodyKey];
      expect(body.ContentType).toBe('APPLICATION_JSON');
      const problem = JSON.parse(body.Content as string);
      expect(problem).toMatchObject({ status: 429, title: 'Too many requests' });
      expect(problem.type).toMatch(/^https:\/\/.+\/rate-limited$/);
      expect(problem.detail.length).toBeGreaterThan(10);
    }
  });

  it('runs AWSManagedRulesCommonRuleSet with exactly the sub-rules that would refuse Rapport traffic set to Count', () => {
    const crs = rules['aws-common-rule-set']!;
    expect(crs.OverrideAction).toEqual({ None: {} });
    const group = crs.Statement.ManagedRuleGroupStatement;
    expect(group).toMatchObject({ VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' });
    const counted = (group.RuleActionOverrides as { Name: string; ActionToUse: CfnJson }[]).map((o) => {
      expect(o.ActionToUse).toEqual({ Count: {} });
      return o.Name;
    });
    expect(counted.sort()).toEqual(Object.keys(commonRuleSetCounts).sort());
    // The 2 MB CSV import and the 64 KB survey bodies would be over its 8 KB body limit.
    expect(counted).toContain('SizeRestrictions_BODY');
    for (const reason of Object.values(commonRuleSetCounts)) expect(reason.length).toBeGreaterThan(40);
  });

  it('runs AWSManagedRulesKnownBadInputsRuleSet as it comes', () => {
    const group = rules['aws-known-bad-inputs']!.Statement.ManagedRuleGroupStatement;
    expect(group).toEqual({ VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' });
    expect(rules['aws-known-bad-inputs']!.OverrideAction).toEqual({ None: {} });
  });

  it('publishes CloudWatch metrics and sampled requests for every rule and the WebACL', () => {
    const names = new Set<string>();
    for (const rule of acl.Rules as Rule[]) {
      expect(rule.VisibilityConfig).toMatchObject({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true });
      names.add(rule.VisibilityConfig.MetricName);
    }
    expect([...names].sort()).toEqual(Object.values(webAclMetricNames).sort());
    // The WebACL's metric name is its name: its AWS/WAFV2 `WebACL` dimension either way.
    expect(acl.VisibilityConfig).toMatchObject({ CloudWatchMetricsEnabled: true, MetricName: acl.Name });
  });

  it('follows the context: limits and windows', () => {
    const tuned = synthRapport({
      ...NO_NAG,
      wafResponseRateLimit: '20',
      wafResponseRateWindowSeconds: '120',
      wafDisplayRateLimit: '200',
      wafDisplayRateWindowSeconds: '300',
      wafApiRateLimit: 1000,
    });
    const r = Object.fromEntries(
      (webAclOf(tuned)[1].Properties.Rules as Rule[]).map((x) => [x.Name, x.Statement.RateBasedStatement]),
    );
    expect(r['rate-survey-responses']).toMatchObject({ Limit: 20, EvaluationWindowSec: 120 });
    expect(r['rate-survey-displays']).toMatchObject({ Limit: 200, EvaluationWindowSec: 300 });
    expect(r['rate-api-per-ip']).toMatchObject({ Limit: 1000, EvaluationWindowSec: 60 });
    const retryAfter = (webAclOf(tuned)[1].Properties.Rules as Rule[])[0]!.Action.Block.CustomResponse
      .ResponseHeaders[0];
    expect(retryAfter).toEqual({ Name: 'retry-after', Value: '120' });
  });
});

describe('where the WebACL lives', () => {
  it('region-agnostic (no region): in the stack, with a template rule that refuses any region but us-east-1', () => {
    const s = synthRapport(NO_NAG);
    expect(s.edge).toBeUndefined();
    webAclOf(s);
    const rule = s.template.toJSON().Rules.WafNeedsUsEast1;
    expect(rule.Assertions).toEqual([
      expect.objectContaining({
        Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
        AssertDescription: expect.stringContaining('-c region='),
      }),
    ]);
    expect(alarmNames(s.template)).toEqual(expect.arrayContaining(['Rapport-waf-rate-limited', 'Rapport-waf-blocked']));
  });

  it('us-east-1: in the stack, no edge stack, no rule needed', () => {
    const s = synthRapport({ ...NO_NAG, region: 'us-east-1' });
    expect(s.edge).toBeUndefined();
    expect(s.stack.region).toBe('us-east-1');
    webAclOf(s);
    expect(s.template.toJSON().Rules?.WafNeedsUsEast1).toBeUndefined();
  });

  it('another region: a -edge stack in us-east-1 holds it and its alarms; the distribution reads its ARN across regions', () => {
    const s = synthRapport({ ...NO_NAG, region: 'eu-west-1', alarmEmail: 'ops@example.com' });
    expect(s.stack.region).toBe('eu-west-1');
    expect(s.edge?.region).toBe('us-east-1');
    expect(s.edge?.stackName).toBe('Rapport-edge');
    s.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    const [aclId, acl] = webAclOf(s, s.edgeTemplate);
    expect(acl.Properties.Scope).toBe('CLOUDFRONT');
    // CDK's cross-region reference: written to SSM by the edge stack, read back by the main stack.
    s.edgeTemplate!.resourceCountIs('Custom::CrossRegionExportWriter', 1);
    const webAclId = JSON.stringify(distributionOf(s).WebACLId);
    expect(webAclId).toMatch(/ExportsReader/);
    expect(webAclId).toContain(aclId);
    expect(s.stack.dependencies.map((d) => d.stackName)).toContain('Rapport-edge');
    // WAF metrics exist only in us-east-1: its alarms and an ops topic with the same subscriber live there.
    expect(alarmNames(s.edgeTemplate!).sort()).toEqual(['Rapport-waf-blocked', 'Rapport-waf-rate-limited']);
    expect(alarmNames(s.template).filter((n) => n.includes('waf'))).toEqual([]);
    expect(resourcesOf(s.edgeTemplate!, 'AWS::SNS::Subscription')[0]![1].Properties).toMatchObject({
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });

  it('takes the region from CDK_DEFAULT_REGION when the context has none', () => {
    const s = synthRapport(NO_NAG, undefined, { CDK_DEFAULT_REGION: 'ap-southeast-1' });
    expect(s.stack.region).toBe('ap-southeast-1');
    expect(s.edge?.region).toBe('us-east-1');
  });

  it('waf=false: no WebACL anywhere, no edge stack, no WAF alarms', () => {
    const s = synthRapport({ ...NO_NAG, waf: 'false', region: 'eu-west-1' });
    expect(s.edge).toBeUndefined();
    s.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    expect(distributionOf(s).WebACLId).toBeUndefined();
    expect(alarmNames(s.template).filter((n) => n.includes('waf'))).toEqual([]);
  });
});
