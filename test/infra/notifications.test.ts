/**
 * The notification job in the template: one EventBridge Scheduler schedule invoking the notifier (with
 * retries and a bounded event age, through a role that may invoke only it), SES send rights scoped to
 * the `mailFrom` identity and From address, none without `mailFrom` (and a synth warning), the
 * environment the job reads, and its alarms.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultAlarmConfig } from '../../infra/alarm-config';
import { NO_MAIL_FROM } from '../../infra/constructs/notification-schedule';
import { appFunctionsOf, type CfnJson, NO_NAG, resourcesOf, type Synthesised, synthRapport } from './synth';

const notifierOf = (s: Synthesised): [string, CfnJson] =>
  appFunctionsOf(s.template).find(
    ([, f]) => f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === 'rapport-notifier',
  )!;

function statementsOfFunction(s: Synthesised, fnId: string): CfnJson[] {
  const resources = s.template.toJSON().Resources;
  const roleId = resources[fnId].Properties.Role['Fn::GetAtt'][0] as string;
  return resourcesOf(s.template, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}

const sesStatements = (s: Synthesised, fnId: string) =>
  statementsOfFunction(s, fnId).filter((st) => [st.Action].flat().some((a: string) => a.startsWith('ses:')));

const warnings = (s: Synthesised) =>
  s.app.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data)));

describe('notifications in the stack', () => {
  let withMail: Synthesised;
  let without: Synthesised;

  beforeAll(() => {
    withMail = synthRapport({ ...NO_NAG, mailFrom: 'Rapport <alerts@mail.example.com>' });
    without = synthRapport(NO_NAG);
  });

  it('runs the notifier every hour from EventBridge Scheduler, retried twice, through a role that invokes only it', () => {
    const [fnId] = notifierOf(withMail);
    const schedules = resourcesOf(withMail.template, 'AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(1);
    const props = schedules[0]![1].Properties;
    expect(props.ScheduleExpression).toBe('rate(1 hour)');
    expect(props.State).toBe('ENABLED');
    expect(props.Target.Arn).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    expect(props.Target.RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 });
    const roleId = props.Target.RoleArn['Fn::GetAtt'][0] as string;
    const rolePolicies = resourcesOf(withMail.template, 'AWS::IAM::Policy').filter(([, p]) =>
      (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId),
    );
    const statements = rolePolicies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(statements.flatMap((st: CfnJson) => [st.Action].flat())).toEqual(['lambda:InvokeFunction']);
    expect(JSON.stringify(statements)).toContain(fnId);
    // Configurable.
    const every15 = synthRapport({ ...NO_NAG, notifierScheduleMinutes: '15' });
    expect(resourcesOf(every15.template, 'AWS::Scheduler::Schedule')[0]![1].Properties.ScheduleExpression).toBe(
      'rate(15 minutes)',
    );
  });

  it('lets the notifier and the webhook sender send e-mail only as the mailFrom identity and address', () => {
    const [fnId, fn] = notifierOf(withMail);
    const ses = sesStatements(withMail, fnId);
    expect(ses).toHaveLength(1);
    expect(ses[0].Action).toBe('ses:SendEmail');
    const resources = JSON.stringify(ses[0].Resource);
    expect(resources).toContain(':identity/alerts@mail.example.com');
    expect(resources).toContain(':identity/mail.example.com');
    expect(resources).not.toContain('*');
    expect(ses[0].Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'alerts@mail.example.com' } });
    expect(fn.Properties.Environment.Variables.MAIL_FROM).toBe('Rapport <alerts@mail.example.com>');
    expect(fn.Properties.Environment.Variables.PUBLIC_URL).toBeDefined();
    // The webhook sender (it tells a subscription's owner it was disabled) gets the same statement; no other function may send e-mail.
    for (const [otherId, other] of appFunctionsOf(withMail.template)) {
      if (otherId === fnId) continue;
      const service = other.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME;
      if (service === 'rapport-webhook-sender') {
        expect(sesStatements(withMail, otherId)).toEqual(ses);
        expect(other.Properties.Environment.Variables.MAIL_FROM).toBe('Rapport <alerts@mail.example.com>');
      } else {
        expect(sesStatements(withMail, otherId), service).toEqual([]);
      }
    }
    expect(warnings(withMail).filter((w) => w.includes('mailFrom'))).toEqual([]);
  });

  it('without mailFrom: no SES rights, no MAIL_FROM, and the synth warns', () => {
    const [fnId, fn] = notifierOf(without);
    expect(sesStatements(without, fnId)).toEqual([]);
    expect(fn.Properties.Environment.Variables.MAIL_FROM).toBeUndefined();
    expect(warnings(without).filter((w) => w.includes('No mailFrom'))).toHaveLength(1);
    expect(NO_MAIL_FROM).toBe('rapport:no-mail-from');
  });

  it('refuses a mailFrom that is not an address', () => {
    expect(() => synthRapport({ ...NO_NAG, mailFrom: 'not an address' })).toThrow(/mailFrom/);
  });

  it('alarms on failed e-mail sends, on surveys the job failed on, and on the job failing', () => {
    const names = resourcesOf(withMail.template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties.AlarmName);
    for (const key of ['email-send-failed', 'notification-job-failed', 'notifier-error-rate', 'notifier-throttles']) {
      expect(names).toContain(`Rapport-${key}`);
    }
    const sendFailed = resourcesOf(withMail.template, 'AWS::CloudWatch::Alarm').find(
      ([, a]) => a.Properties.AlarmName === 'Rapport-email-send-failed',
    )![1].Properties;
    expect(sendFailed).toMatchObject({
      MetricName: 'EmailSendFailed',
      Namespace: defaultAlarmConfig.metricsNamespace,
      Threshold: defaultAlarmConfig.emailSendFailed.threshold,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    const dashboard = JSON.stringify(resourcesOf(withMail.template, 'AWS::CloudWatch::Dashboard')[0]![1]);
    expect(dashboard).toContain('SatisfactionDropped');
    expect(dashboard).toContain('SatisfactionRecovered');
  });
});
