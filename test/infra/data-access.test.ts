/**
 * Least privilege per function: each role's DynamoDB statements are exactly its data-access contract
 * (functions/contracts/data-access.ts), limited by partition key, on the table and only the indexes
 * it queries; KMS as DynamoDB needs it; nothing else touches the data.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  dataAccess,
  indexesOf,
  stringLike,
  type TableFunction,
  tableFunctions,
} from '../../functions/contracts/data-access';
import { appFunctionsOf, type CfnJson, NO_NAG, resourcesOf, type Synthesised, synthRapport } from './synth';

interface Statement {
  readonly Action: string | string[];
  readonly Resource: CfnJson;
  readonly Condition?: Record<string, Record<string, string[]>>;
}

describe('data access per function (IAM)', () => {
  let s: Synthesised;
  let tableId: string;
  let keyId: string;
  const statementsOf = (fn: TableFunction): Statement[] => {
    const [, f] = appFunctionsOf(s.template).find(
      ([, x]) => x.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === `rapport-${fn}`,
    )!;
    const roleId = f.Properties.Role['Fn::GetAtt'][0] as string;
    return resourcesOf(s.template, 'AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
  };
  const actions = (st: Statement) => [st.Action].flat();
  const onTableData = (st: Statement) =>
    JSON.stringify(st.Resource).includes(`"${tableId}"`) && !JSON.stringify(st.Resource).includes('StreamArn');
  const indexOf = (st: Statement): string | undefined =>
    /"\/index\/(\w+)"/.exec(JSON.stringify(st.Resource))?.[1] ?? undefined;
  /** Could this role, by its policy, do `action` on partition key `pk` (of `index`, if given)? */
  const may = (fn: TableFunction, action: string, pk: string, index?: string) =>
    statementsOf(fn)
      .filter(onTableData)
      .some(
        (st) =>
          actions(st).includes(`dynamodb:${action}`) &&
          indexOf(st) === index &&
          (st.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] ?? []).some((p) => stringLike(p, pk)),
      );

  beforeAll(() => {
    s = synthRapport(NO_NAG);
    tableId = resourcesOf(s.template, 'AWS::DynamoDB::Table')[0]![0];
    const table = resourcesOf(s.template, 'AWS::DynamoDB::Table')[0]![1];
    keyId = table.Properties.SSESpecification.KMSMasterKeyId['Fn::GetAtt'][0] as string;
  });

  it.each(tableFunctions)('%s: one statement per grant of its contract, each limited by dynamodb:LeadingKeys', (fn) => {
    const data = statementsOf(fn).filter(onTableData);
    const expected = dataAccess[fn].grants.map((g) => ({
      actions: g.actions.map((a) => `dynamodb:${a}`).sort(),
      index: g.index,
      keys: [...new Set(g.partitionKeys)],
    }));
    expect(
      data.map((st) => ({
        actions: actions(st).sort(),
        index: indexOf(st),
        keys: st.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'],
      })),
    ).toEqual(expected);
    for (const st of data) {
      expect(Object.keys(st.Condition ?? {}), JSON.stringify(st)).toEqual(['ForAllValues:StringLike']);
      expect(JSON.stringify(st.Resource)).not.toContain('*');
    }
  });

  it.each(tableFunctions)('%s: only the index ARNs it queries', (fn) => {
    const indexes = new Set(statementsOf(fn).filter(onTableData).map(indexOf).filter(Boolean));
    expect([...indexes].sort()).toEqual(indexesOf(fn).sort());
  });

  it('the notifier reads surveys, aggregates and follow-ups, writes only alerts, the mail ledger and the secret', () => {
    expect(may('notifier', 'Query', 'AGG#01J')).toBe(true);
    expect(may('notifier', 'PutItem', 'ALERTS#01J')).toBe(true);
    expect(may('notifier', 'PutItem', 'MAIL#alert:x')).toBe(true);
    expect(may('notifier', 'PutItem', 'SECRET#UNSUBSCRIBE')).toBe(true);
    expect(may('notifier', 'Query', 'NOTIFY#01J')).toBe(true);
    expect(may('notifier', 'PutItem', 'NOTIFY#01J')).toBe(false);
    expect(may('notifier', 'PutItem', 'SURVEY#01J')).toBe(false);
    expect(may('notifier', 'UpdateItem', 'AGG#01J')).toBe(false);
    for (const action of ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query']) {
      expect(may('notifier', action, 'CUSTOMER#01J'), action).toBe(false);
      expect(may('notifier', action, 'AUDIT#2026-01-01'), action).toBe(false);
    }
    expect(may('notifier', 'Query', 'FOLLOWUPS#open', 'GSI1')).toBe(true);
    expect(may('notifier', 'Query', 'CUSTOMERS', 'GSI1')).toBe(false);
  });

  it('public-api cannot touch customers at all, and never queries', () => {
    expect(may('public-api', 'GetItem', 'SURVEY#01J')).toBe(true);
    expect(may('public-api', 'PutItem', 'RESPONSES#01J#2026-01-01')).toBe(true);
    for (const action of ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']) {
      expect(may('public-api', action, 'CUSTOMER#01J'), action).toBe(false);
      expect(may('public-api', action, 'EMAIL#a@b.c'), action).toBe(false);
      if (action !== 'GetItem') expect(may('public-api', action, 'SURVEY#01J'), action).toBe(false);
    }
    expect(may('public-api', 'GetItem', 'PHONE#+8613812345678')).toBe(false);
    expect(may('public-api', 'GetItem', 'IDEMPOTENCY#u#k')).toBe(false);
    expect(may('public-api', 'GetItem', 'AGG#01J')).toBe(false);
    expect(may('public-api', 'Query', 'CUSTOMERS', 'GSI1')).toBe(false);
    expect(may('public-api', 'Query', 'RESPONSES#01J#2026-01-01')).toBe(false);
    // Beyond surveys and responses: the survey's per-minute budget and the day's client-hash salt only.
    expect(may('public-api', 'UpdateItem', 'LIMIT#01J#3')).toBe(true);
    expect(may('public-api', 'GetItem', 'SALT#2026-01-01')).toBe(true);
    expect(may('public-api', 'UpdateItem', 'AGG#01J')).toBe(false);
    expect(may('public-api', 'GetItem', 'AUDIT#2026-01-01')).toBe(false);
    expect(may('public-api', 'GetItem', 'IDENTITY#SECRET')).toBe(true);
    // The site settings the widget reads with each survey: read, never written, here.
    expect(may('public-api', 'GetItem', 'SITE#SETTINGS')).toBe(true);
    expect(may('public-api', 'PutItem', 'SITE#SETTINGS')).toBe(false);
    expect(may('public-api', 'PutItem', 'CONTACT#abc')).toBe(true);
    // The one-click unsubscribe: read the signing secret (never write it), put an opt-out, audit it.
    expect(may('public-api', 'GetItem', 'SECRET#UNSUBSCRIBE')).toBe(true);
    expect(may('public-api', 'PutItem', 'SECRET#UNSUBSCRIBE')).toBe(false);
    expect(may('public-api', 'PutItem', 'NOTIFY#01J')).toBe(true);
    expect(may('public-api', 'GetItem', 'NOTIFY#01J')).toBe(false);
    expect(may('public-api', 'PutItem', 'AUDIT#2026-01-01')).toBe(true);
    expect(may('public-api', 'Query', 'AUDIT#2026-01-01')).toBe(false);
    expect(may('public-api', 'GetItem', 'ALERTS#01J')).toBe(false);
    expect(may('public-api', 'PutItem', 'MAIL#x')).toBe(false);
    const all = statementsOf('public-api').flatMap(actions);
    expect(all.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:GetItem',
      'dynamodb:GetItem',
      'dynamodb:GetItem',
      'dynamodb:GetItem',
      'dynamodb:GetItem',
      'dynamodb:GetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:PutItem',
      'dynamodb:PutItem',
      'dynamodb:PutItem',
      'dynamodb:PutItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:UpdateItem',
    ]);
    // The funnel's display records: put, and read (a dismissal checks that its display is recorded), never changed.
    expect(may('public-api', 'PutItem', 'DISPLAYS#01J#2026-01-01#07')).toBe(true);
    expect(may('public-api', 'GetItem', 'DISPLAYS#01J#2026-01-01#07')).toBe(true);
    expect(may('public-api', 'UpdateItem', 'DISPLAYS#01J#2026-01-01#07')).toBe(false);
    expect(may('public-api', 'Query', 'DISPLAYS#01J#2026-01-01#07')).toBe(false);
  });

  it('admin-api: no Scan, no batch writes, no stream; the aggregator: no reads of customer data', () => {
    const admin = statementsOf('admin-api').flatMap(actions);
    for (const forbidden of ['dynamodb:Scan', 'dynamodb:BatchWriteItem', 'dynamodb:GetRecords', 'dynamodb:*']) {
      expect(admin).not.toContain(forbidden);
    }
    expect(may('admin-api', 'GetItem', 'CUSTOMER#01J')).toBe(true);
    expect(may('admin-api', 'Query', 'CUSTOMERS', 'GSI1')).toBe(true);
    expect(may('admin-api', 'Query', 'CUSTOMERS', 'GSI2')).toBe(true);
    expect(may('admin-api', 'DeleteItem', 'RESPONSES#01J#2026-01-01')).toBe(false);
    expect(may('admin-api', 'UpdateItem', 'DUPGROUP#abc')).toBe(false);

    const aggregator = statementsOf('aggregator').flatMap(actions);
    expect(aggregator).toEqual(
      expect.arrayContaining(['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream']),
    );
    for (const read of ['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:BatchGetItem']) {
      expect(aggregator).not.toContain(read);
    }
    // Its reads: a survey's hourly arrivals (the surge baseline)…
    expect(may('aggregator', 'Query', 'ARRIVALS#01J')).toBe(true);
    // …and a customer partition's keys and merge tombstone (which record an id stands for now).
    expect(may('aggregator', 'Query', 'CUSTOMER#01J')).toBe(true);
    for (const pk of ['RESPONSES#01J#2026-01-01', 'AGG#01J', 'FOLLOWUP#x'])
      expect(may('aggregator', 'Query', pk), pk).toBe(false);
    expect(may('aggregator', 'UpdateItem', 'AGG#01J')).toBe(true);
    expect(may('aggregator', 'PutItem', 'CUSTOMER#01J')).toBe(false);
    expect(may('aggregator', 'UpdateItem', 'EMAIL#a@b.c')).toBe(false);
  });

  it('only the aggregator reads the stream', () => {
    for (const fn of tableFunctions) {
      const streams = statementsOf(fn).filter((st) => actions(st).some((a) => /GetRecords|GetShardIterator/.test(a)));
      expect(streams.length > 0, fn).toBe(dataAccess[fn].readsStream);
    }
  });

  it('KMS: decrypt and describe for all, data keys only for writers, never kms:Encrypt or wildcards', () => {
    for (const fn of tableFunctions) {
      const kms = statementsOf(fn).filter((st) => actions(st).some((a) => a.startsWith('kms:')));
      expect(kms.length, fn).toBeGreaterThan(0);
      for (const st of kms) expect(st.Resource).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
      const granted = new Set(kms.flatMap(actions));
      expect(granted.has('kms:Decrypt'), fn).toBe(true);
      expect(granted.has('kms:Encrypt'), fn).toBe(false);
      expect(
        [...granted].some((a) => a.includes('*')),
        fn,
      ).toBe(false);
      expect(
        [...granted].every((a) => ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'].includes(a)),
        fn,
      ).toBe(true);
    }
  });

  it('can fail: a broad grant added by hand shows up as an extra statement', () => {
    const broken = synthRapport(NO_NAG, ({ stack }) => {
      stack.data.table.grantReadData(stack.functions['public-api'].fn);
    });
    const [, f] = appFunctionsOf(broken.template).find(
      ([, x]) => x.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === 'rapport-public-api',
    )!;
    const roleId = f.Properties.Role['Fn::GetAtt'][0] as string;
    const unconditioned = resourcesOf(broken.template, 'AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[])
      .filter((st) => actions(st).some((a) => a.startsWith('dynamodb:')) && !st.Condition);
    expect(unconditioned.length).toBeGreaterThan(0);
  });
});
