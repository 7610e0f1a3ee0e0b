import { describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, resolveConfig } from '../../infra/config';
import { appFunctionsOf, resourcesOf, synthRapport } from './synth';

const from = (context: Record<string, unknown>) => resolveConfig((key) => context[key]);

describe('config', () => {
  it('defaults to REQUIRED MFA, CN phone region and cdk-nag on', () => {
    expect(from({})).toEqual(defaultConfig);
    expect(defaultConfig).toMatchObject({ adminMfa: 'REQUIRED', phoneRegion: 'CN', nag: true, stackName: 'Rapport' });
  });

  it('parses command-line context (strings) and cdk.json context (typed values)', () => {
    const c = from({
      phoneRegion: 'US',
      adminMfa: 'OPTIONAL',
      throttleRateLimit: '20',
      throttleBurstLimit: 40,
      publicRouteRateLimit: '10',
      publicRouteBurstLimit: '20',
      logRetentionDays: '30',
      adminApiMemoryMb: '2048',
      nag: 'false',
      alarmEmail: 'ops@example.com',
    });
    expect(c).toMatchObject({
      phoneRegion: 'US',
      adminMfa: 'OPTIONAL',
      throttleRateLimit: 20,
      throttleBurstLimit: 40,
      logRetentionDays: 30,
      nag: false,
      alarmEmail: 'ops@example.com',
    });
    expect(c.functions['admin-api']).toEqual({
      memoryMb: 2048,
      timeoutSeconds: defaultConfig.functions['admin-api'].timeoutSeconds,
    });
  });

  it.each([
    ['phoneRegion', 'usa'],
    ['adminMfa', 'SMS'],
    ['logRetentionDays', '10'],
    ['throttleRateLimit', '-1'],
    ['throttleRateLimit', '1.5'],
    ['nag', 'no'],
    ['publicApiTimeoutSeconds', '901'],
    ['publicRouteRateLimit', '1000'],
    ['waf', 'off'],
    ['wafResponseRateLimit', '5'],
    ['wafResponseRateWindowSeconds', '90'],
    ['wafApiRateLimit', '0'],
    ['wafApiRateWindowSeconds', '3600'],
    ['region', 'Europe'],
    ['consoleDomainPrefix', 'Rapport'],
    ['consoleDomainPrefix', 'my-cognito-login'],
    ['consoleDomainPrefix', '-rapport'],
    ['acknowledgeNoAlarmEmail', 'yes'],
  ])('rejects %s=%s', (key, value) => {
    expect(() => from({ [key]: value })).toThrow(ConfigError);
  });

  it('has WAF on with per-survey and per-IP rate limits, region-agnostic, no acknowledged missing alarm e-mail', () => {
    expect(defaultConfig).toMatchObject({
      waf: true,
      region: undefined,
      acknowledgeNoAlarmEmail: false,
      consoleDomainPrefix: undefined,
      rateLimits: { surveyResponses: { limit: 10, windowSeconds: 60 }, api: { limit: 600, windowSeconds: 60 } },
    });
    expect(
      from({
        waf: 'false',
        region: 'eu-central-1',
        wafResponseRateLimit: '30',
        wafResponseRateWindowSeconds: '300',
        consoleDomainPrefix: 'acme-feedback',
        acknowledgeNoAlarmEmail: 'true',
      }),
    ).toMatchObject({
      waf: false,
      region: 'eu-central-1',
      rateLimits: { surveyResponses: { limit: 30, windowSeconds: 300 } },
      consoleDomainPrefix: 'acme-feedback',
      acknowledgeNoAlarmEmail: true,
    });
  });

  it('takes the region from CDK_DEFAULT_REGION unless the context names one', () => {
    expect(resolveConfig(() => undefined, { CDK_DEFAULT_REGION: 'cn-north-1' }).region).toBe('cn-north-1');
    expect(resolveConfig((k) => ({ region: 'eu-west-1' })[k], { CDK_DEFAULT_REGION: 'cn-north-1' }).region).toBe(
      'eu-west-1',
    );
    expect(resolveConfig(() => undefined, {}).region).toBeUndefined();
  });

  it('flows into the stack: phone region, retention, throttling, stack name; nag=false skips cdk-nag', () => {
    const s = synthRapport({
      phoneRegion: 'US',
      logRetentionDays: '14',
      throttleRateLimit: '25',
      throttleBurstLimit: '50',
      publicRouteRateLimit: '5',
      publicRouteBurstLimit: '10',
      stackName: 'Rapport-Staging',
      nag: 'false',
    });
    expect(s.stack.stackName).toBe('Rapport-Staging');
    expect(s.report?.pluginReports.find((r) => r.pluginName === 'AwsSolutions')).toBeUndefined();
    for (const [, fn] of appFunctionsOf(s.template)) {
      expect(fn.Properties.Environment.Variables.PHONE_REGION).toBe('US');
    }
    for (const [, lg] of resourcesOf(s.template, 'AWS::Logs::LogGroup')) expect(lg.Properties.RetentionInDays).toBe(14);
    const stage = resourcesOf(s.template, 'AWS::ApiGatewayV2::Stage')[0]![1];
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 });
  });
});
