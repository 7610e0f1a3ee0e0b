import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { AGGREGATOR_STREAM_FILTERS } from '../../functions/contracts/stream-filters';
import { defaultConfig } from '../../infra/config';
import { appFunctionsOf, type CfnJson, NO_NAG, resourcesOf, type Synthesised, synthRapport } from './synth';

type Resource = { Properties: Record<string, CfnJson>; [k: string]: CfnJson };

describe('Lambda functions', () => {
  let s: Synthesised;
  let resources: Record<string, Resource>;
  const fnByService = (name: string): [string, Resource] =>
    appFunctionsOf(s.template).find(
      ([, f]) => f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === `rapport-${name}`,
    )!;
  const policyStatementsOf = (fnId: string): { Action: string | string[]; Resource: unknown }[] => {
    const roleId = resources[fnId]!.Properties.Role['Fn::GetAtt'][0] as string;
    return resourcesOf(s.template, 'AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
  };
  const actionsOf = (fnId: string): string[] => policyStatementsOf(fnId).flatMap((st) => [st.Action].flat());

  beforeAll(() => {
    s = synthRapport(NO_NAG);
    resources = s.template.toJSON().Resources;
  });

  it('builds the six functions on Node.js 22, arm64, with active tracing', () => {
    const fns = appFunctionsOf(s.template);
    expect(fns.map(([, f]) => f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).sort()).toEqual([
      'rapport-admin-api',
      'rapport-aggregator',
      'rapport-notifier',
      'rapport-public-api',
      'rapport-webhook-fanout',
      'rapport-webhook-sender',
    ]);
    for (const [, fn] of fns) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Properties.Handler).toBe('index.handler');
    }
  });

  it('sizes each function from the config', () => {
    for (const name of ['public-api', 'admin-api', 'aggregator', 'webhook-fanout', 'webhook-sender'] as const) {
      const [, fn] = fnByService(name);
      expect(fn.Properties.MemorySize).toBe(defaultConfig.functions[name].memoryMb);
      expect(fn.Properties.Timeout).toBe(defaultConfig.functions[name].timeoutSeconds);
    }
  });

  it('gives every function the Powertools environment and the default phone region, never a DynamoDB endpoint', () => {
    for (const [, fn] of appFunctionsOf(s.template)) {
      const vars = fn.Properties.Environment.Variables as Record<string, unknown>;
      expect(vars).toMatchObject({
        PHONE_REGION: defaultConfig.phoneRegion,
        POWERTOOLS_METRICS_NAMESPACE: 'Rapport',
        LOG_LEVEL: defaultConfig.logLevel,
      });
      expect(vars).not.toHaveProperty('DYNAMODB_ENDPOINT');
    }
  });

  it('logs each function to its own log group with the configured retention', () => {
    for (const [, fn] of appFunctionsOf(s.template)) {
      const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref as string;
      expect(resources[logGroupId]!.Type).toBe('AWS::Logs::LogGroup');
      expect(resources[logGroupId]!.Properties.RetentionInDays).toBe(defaultConfig.logRetentionDays);
    }
  });

  it('public-api may only get, put and update items (per key: test/infra/data-access.test.ts)', () => {
    const [fnId] = fnByService('public-api');
    const dynamo = new Set(actionsOf(fnId).filter((a) => a.startsWith('dynamodb:')));
    expect([...dynamo].sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(actionsOf(fnId).some((a) => a.includes('*'))).toBe(false);
  });

  it('admin-api reads and writes the data; the aggregator reads the stream and writes, but never scans', () => {
    const [adminId] = fnByService('admin-api');
    expect(actionsOf(adminId)).toEqual(
      expect.arrayContaining([
        'dynamodb:GetItem',
        'dynamodb:Query',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
      ]),
    );
    const [aggId] = fnByService('aggregator');
    const agg = actionsOf(aggId);
    expect(agg).toEqual(
      expect.arrayContaining([
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:DescribeStream',
        'dynamodb:UpdateItem',
      ]),
    );
    expect(agg).not.toContain('dynamodb:Scan');
    expect(agg).not.toContain('dynamodb:DeleteTable');
  });

  it('feeds the stream to the aggregator in partial-failure batches with a dead-letter queue', () => {
    const [aggId] = fnByService('aggregator');
    // The aggregator's; the webhook fan-out's and sender's are asserted in test/infra/webhooks.test.ts.
    const mappings = resourcesOf(s.template, 'AWS::Lambda::EventSourceMapping').filter(
      ([, m]) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: aggId }),
    );
    expect(mappings).toHaveLength(1);
    const mapping = mappings[0]![1];
    expect(mapping.Properties.FunctionName).toEqual({ Ref: aggId });
    expect(mapping.Properties.EventSourceArn['Fn::GetAtt'][1]).toBe('StreamArn');
    expect(mapping.Properties).toMatchObject({
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 5,
      StartingPosition: 'TRIM_HORIZON',
    });
    // The contract's filters, exactly (the local stream poller applies the same ones).
    expect(mapping.Properties.FilterCriteria).toEqual({
      Filters: AGGREGATOR_STREAM_FILTERS.map((p) => ({ Pattern: JSON.stringify(p) })),
    });
    const dlqId = mapping.Properties.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0] as string;
    expect(resources[dlqId]!.Type).toBe('AWS::SQS::Queue');
    expect(
      resources[dlqId]!.Properties.SqsManagedSseEnabled ?? resources[dlqId]!.Properties.KmsMasterKeyId,
    ).toBeTruthy();
    s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: dlqId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
    expect(actionsOf(aggId)).toContain('sqs:SendMessage');
  });
});
