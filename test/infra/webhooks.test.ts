/**
 * Webhook delivery in the template (docs/webhooks.md): the fan-out on the table's stream with its own
 * dead-letter queue, the encrypted TLS-only delivery queue with its redrive to a dead-letter queue,
 * the sender on that queue with partial batch failures, the queue URL in both functions, the IAM
 * each needs (send for both, receive for the sender only), and the alarms on dead letters.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_FANOUT_STREAM_FILTERS } from '../../functions/contracts/stream-filters';
import { defaultConfig } from '../../infra/config';
import { WEBHOOK_MAX_RECEIVES } from '../../infra/constructs/webhook-delivery';
import { appFunctionsOf, type CfnJson, NO_NAG, resourcesOf, type Synthesised, synthRapport } from './synth';

type Resource = { Type: string; Properties: Record<string, CfnJson> };

describe('webhook delivery', () => {
  let s: Synthesised;
  let resources: Record<string, Resource>;
  const fnId = (name: string) =>
    appFunctionsOf(s.template).find(
      ([, f]) => f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === `rapport-${name}`,
    )![0];
  const mappingOf = (name: string) =>
    resourcesOf(s.template, 'AWS::Lambda::EventSourceMapping').find(
      ([, m]) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: fnId(name) }),
    )?.[1];
  const queueIdOfArn = (arn: CfnJson): string => arn['Fn::GetAtt'][0] as string;
  const statementsOf = (name: string): { Action: string | string[]; Resource: CfnJson }[] => {
    const roleId = resources[fnId(name)]!.Properties.Role['Fn::GetAtt'][0] as string;
    return resourcesOf(s.template, 'AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
  };

  beforeAll(() => {
    s = synthRapport(NO_NAG);
    resources = s.template.toJSON().Resources;
  });

  it('feeds the sender from an encrypted, TLS-only queue that redrives to an encrypted dead-letter queue', () => {
    const mapping = mappingOf('webhook-sender');
    expect(mapping?.Properties).toMatchObject({
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 20 },
    });
    const queueId = queueIdOfArn(mapping?.Properties.EventSourceArn);
    const queue = resources[queueId]!;
    expect(queue.Type).toBe('AWS::SQS::Queue');
    expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    expect(queue.Properties.VisibilityTimeout).toBe(defaultConfig.functions['webhook-sender'].timeoutSeconds * 6);
    expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(WEBHOOK_MAX_RECEIVES);
    const dlqId = queueIdOfArn(queue.Properties.RedrivePolicy.deadLetterTargetArn);
    expect(resources[dlqId]!.Properties.SqsManagedSseEnabled).toBe(true);
    for (const id of [queueId, dlqId]) {
      s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
    // Both functions know the queue; both may send to it; only the sender receives from it.
    for (const name of ['webhook-fanout', 'webhook-sender']) {
      const vars = resources[fnId(name)]!.Properties.Environment.Variables;
      expect(vars.WEBHOOK_QUEUE_URL).toEqual({ Ref: queueId });
      const send = statementsOf(name).filter((st) => [st.Action].flat().includes('sqs:SendMessage'));
      // (The fan-out may also send to its stream dead-letter queue: Lambda's on-failure destination.)
      expect(send.map((st) => st.Resource)).toContainEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    }
    const receives = (name: string) =>
      statementsOf(name).some((st) => [st.Action].flat().includes('sqs:ReceiveMessage'));
    expect(receives('webhook-sender')).toBe(true);
    expect(receives('webhook-fanout')).toBe(false);
  });

  it('feeds the table stream to the fan-out in partial-failure batches with its own encrypted dead-letter queue', () => {
    const mapping = mappingOf('webhook-fanout');
    expect(mapping?.Properties.EventSourceArn['Fn::GetAtt'][1]).toBe('StreamArn');
    expect(mapping?.Properties).toMatchObject({
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: 'TRIM_HORIZON',
    });
    expect(mapping?.Properties.FilterCriteria).toEqual({
      Filters: WEBHOOK_FANOUT_STREAM_FILTERS.map((p) => ({ Pattern: JSON.stringify(p) })),
    });
    const dlqId = queueIdOfArn(mapping?.Properties.DestinationConfig.OnFailure.Destination);
    expect(resources[dlqId]!.Properties.SqsManagedSseEnabled).toBe(true);
  });

  it('alarms on dead-lettered deliveries, the failure rate and the webhook dead-letter queues', () => {
    const names = resourcesOf(s.template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties.AlarmName as string);
    for (const key of ['webhook-dead-lettered', 'webhook-failure-rate', 'webhook-dlq']) {
      expect(names).toContain(`Rapport-${key}`);
    }
  });

  it('tells the sender where the console is, for the e-mail about a disabled webhook', () => {
    expect(resources[fnId('webhook-sender')]!.Properties.Environment.Variables.CONSOLE_URL).toBeDefined();
  });
});
