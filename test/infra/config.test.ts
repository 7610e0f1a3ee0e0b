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
  ])('rejects %s=%s', (key, value) => {
    expect(() => from({ [key]: value })).toThrow(ConfigError);
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
