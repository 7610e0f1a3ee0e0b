/**
 * The data-access contract and its local enforcer: the patterns come from the key builders, the
 * checker reads commands the way IAM authorises them (every key of a batch or transaction), and a
 * client built with a function name refuses before anything reaches the network.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../functions/adapters/dynamodb/client';
import { checkCommand, DataAccessDenied, requestsOf } from '../../../functions/adapters/dynamodb/data-access-guard';
import {
  CUSTOMERS_PARTITION,
  displayKeys,
  keys,
  responseKeys,
  surveyKeys,
} from '../../../functions/adapters/dynamodb/keys';
import {
  allows,
  dataAccess,
  indexesOf,
  indexPatterns,
  partitionPatterns,
  stringLike,
  tableFunctions,
} from '../../../functions/contracts/data-access';

const S = (s: string) => ({ S: s });

describe('data-access contract', () => {
  it('derives every pattern from the key builders', () => {
    expect(partitionPatterns).toMatchObject({
      customer: 'CUSTOMER#*',
      emailGuard: 'EMAIL#*',
      phoneGuard: 'PHONE#*',
      customerQuality: 'STATS#customers',
      duplicateGroup: 'DUPGROUP#*',
      streamMarker: 'APPLIED#*',
      survey: 'SURVEY#*',
      response: 'RESPONSES#*',
      display: 'DISPLAYS#*',
      aggregate: 'AGG#*',
      followUp: 'FOLLOWUP#*',
      idempotency: 'IDEMPOTENCY#*',
      health: 'HEALTH',
    });
    expect(indexPatterns).toMatchObject({
      customers: 'CUSTOMERS',
      byCustomer: 'CUSTOMER#*',
      followUpsByStatus: 'FOLLOWUPS#*',
      followUpsBySurvey: 'FOLLOWUPS#SURVEY#*',
    });
    // Every built key matches its pattern; a neighbouring shape does not.
    expect(stringLike(partitionPatterns.customer, keys.customer('01J').PK)).toBe(true);
    expect(stringLike(partitionPatterns.duplicateGroup, keys.duplicateGroup('ann|acme').PK)).toBe(true);
    expect(stringLike(partitionPatterns.customer, CUSTOMERS_PARTITION)).toBe(false);
    // A display's partition names its shard: every shard is still under the one pattern.
    expect(stringLike(partitionPatterns.display, displayKeys.item('01J', '2026-01-01', '01K', 'shown').PK)).toBe(true);
    expect(stringLike(partitionPatterns.display, displayKeys.partition('01J', '2026-01-01', 15))).toBe(true);
  });

  it('matches like IAM StringLike: * any run, ? one character, everything else literally', () => {
    expect(stringLike('CUSTOMER#*', 'CUSTOMER#')).toBe(true);
    expect(stringLike('CUSTOMER#*', 'CUSTOMERS')).toBe(false);
    expect(stringLike('A?C', 'ABC')).toBe(true);
    expect(stringLike('A.C', 'ABC')).toBe(false);
    expect(stringLike('HEALTH', 'HEALTH#x')).toBe(false);
    expect(stringLike('EMAIL#*', 'EMAIL#a+b(c)@x.y\nz')).toBe(true);
  });

  it('keeps public-api to survey reads, response puts, its budget, salts, identity secrets, contact pointers and the health check', () => {
    const get = (pk: string) => ({ action: 'GetItem', partitionKey: pk });
    expect(allows('public-api', get(surveyKeys.definition('s').PK))).toBe(true);
    expect(allows('public-api', { action: 'PutItem', partitionKey: responseKeys.response('s', 'd', 'r').PK })).toBe(
      true,
    );
    expect(allows('public-api', get('HEALTH'))).toBe(true);
    expect(allows('public-api', { action: 'PutItem', partitionKey: keys.customer('c').PK })).toBe(false);
    expect(allows('public-api', { action: 'PutItem', partitionKey: surveyKeys.definition('s').PK })).toBe(false);
    expect(allows('public-api', get(keys.phoneGuard('+86').PK))).toBe(false);
    // It never reads a customer: verified ids are linked by the aggregator.
    expect(allows('public-api', get(keys.customer('c').PK))).toBe(false);
    expect(allows('public-api', get(keys.emailGuard('a@b.c').PK))).toBe(false);
    expect(allows('public-api', get(keys.customerQuality().PK))).toBe(false);
    expect(allows('public-api', { action: 'Query', partitionKey: 'RESPONSES#s#d' })).toBe(false);
    expect(allows('public-api', { action: 'Query', index: 'GSI1', partitionKey: CUSTOMERS_PARTITION })).toBe(false);
    expect(indexesOf('public-api')).toEqual([]);
  });

  it('never grants Scan, BatchWriteItem or any action on an index but Query', () => {
    for (const fn of tableFunctions) {
      for (const grant of dataAccess[fn].grants) {
        expect(grant.actions).not.toContain('Scan');
        expect(grant.actions).not.toContain('BatchWriteItem');
        if (grant.index) expect(grant.actions).toEqual(['Query']);
        expect(grant.partitionKeys.length, grant.why).toBeGreaterThan(0);
        for (const pattern of grant.partitionKeys) expect(pattern).not.toBe('*');
      }
    }
    // The aggregator's one index read: what is indexed under a merged duplicate, to move it.
    expect(indexesOf('aggregator')).toEqual(['GSI1']);
    expect(dataAccess.aggregator.grants.flatMap((g) => g.actions)).not.toContain('GetItem');
  });
});

describe('reading commands as IAM does', () => {
  const table = 'rapport';

  it('names the index partition key of a Query, through attribute-name aliases', () => {
    const [r] = requestsOf('QueryCommand', {
      TableName: table,
      IndexName: 'GSI2',
      KeyConditionExpression: '#pk = :p AND #sk BETWEEN :a AND :b',
      ExpressionAttributeNames: { '#pk': 'GSI2PK', '#sk': 'GSI2SK' },
      ExpressionAttributeValues: { ':p': S('FOLLOWUPS#SURVEY#s1'), ':a': S('a'), ':b': S('b') },
    });
    expect(r).toMatchObject({ action: 'Query', index: 'GSI2', partitionKey: 'FOLLOWUPS#SURVEY#s1' });
    const [table1] = requestsOf('QueryCommand', {
      TableName: table,
      KeyConditionExpression: 'SK > :s AND PK = :p',
      ExpressionAttributeValues: { ':p': S('AGG#s1'), ':s': S('DAY#') },
    });
    expect(table1).toMatchObject({ action: 'Query', partitionKey: 'AGG#s1' });
    expect(table1?.index).toBeUndefined();
  });

  it('splits transactions and batches into one request per item, each with its own action', () => {
    const tx = requestsOf('TransactWriteItemsCommand', {
      TransactItems: [
        { Put: { TableName: table, Item: { PK: S('CUSTOMER#1'), SK: S('PROFILE') } } },
        { Delete: { TableName: table, Key: { PK: S('EMAIL#a@b.c'), SK: S('UNIQUE') } } },
        { Update: { TableName: table, Key: { PK: S('CUSTOMER#2'), SK: S('FEEDBACK') } } },
        { ConditionCheck: { TableName: 'other', Key: { PK: S('X'), SK: S('Y') } } },
      ],
    });
    expect(tx.map((r) => [r.action, r.tableName, r.partitionKey])).toEqual([
      ['PutItem', table, 'CUSTOMER#1'],
      ['DeleteItem', table, 'EMAIL#a@b.c'],
      ['UpdateItem', table, 'CUSTOMER#2'],
      ['ConditionCheckItem', 'other', 'X'],
    ]);
    const batch = requestsOf('BatchWriteItemCommand', {
      RequestItems: {
        [table]: [{ PutRequest: { Item: { PK: S('A#1') } } }, { DeleteRequest: { Key: { PK: S('B#2') } } }],
      },
    });
    expect(batch.map((r) => [r.action, r.partitionKey])).toEqual([
      ['BatchWriteItem', 'A#1'],
      ['BatchWriteItem', 'B#2'],
    ]);
  });

  it('refuses one forbidden item of an otherwise allowed transaction, another table, and unknown commands', () => {
    const tx = (pk: string) => ({
      TransactItems: [
        { Put: { TableName: table, Item: { PK: S('APPLIED#e1'), SK: S('MARKER') } } },
        { Update: { TableName: table, Key: { PK: S(pk), SK: S('T') } } },
      ],
    });
    expect(() => checkCommand('aggregator', table, 'TransactWriteItemsCommand', tx('AGG#s1'))).not.toThrow();
    expect(() => checkCommand('aggregator', table, 'TransactWriteItemsCommand', tx('SURVEY#s1'))).toThrow(
      DataAccessDenied,
    );
    expect(() =>
      checkCommand('public-api', table, 'GetItemCommand', { TableName: 'other', Key: { PK: S('SURVEY#1') } }),
    ).toThrow(/another table/);
    expect(() => checkCommand('admin-api', table, 'ScanCommand', { TableName: table })).toThrow(/dynamodb:Scan/);
    expect(() => checkCommand('admin-api', table, 'ExecuteStatementCommand', { Statement: 'SELECT' })).toThrow(
      DataAccessDenied,
    );
  });

  it('says what IAM would say, without the personal part of the key', () => {
    try {
      checkCommand('public-api', table, 'PutItemCommand', {
        TableName: table,
        Item: { PK: S('EMAIL#wang.fang@example.cn'), SK: S('UNIQUE') },
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DataAccessDenied);
      const e = error as DataAccessDenied;
      expect(e.name).toBe('AccessDeniedException');
      expect(e.$fault).toBe('client');
      expect(e.message).toContain('is not authorized to perform: dynamodb:PutItem on resource: table/rapport');
      expect(e.message).toContain('EMAIL#…');
      expect(e.message).not.toContain('wang.fang');
    }
  });
});

describe('a function’s client with enforcement on', () => {
  // Nothing listens on port 1: a request the guard lets through fails on the network instead.
  const env = { TABLE_NAME: 'rapport', DYNAMODB_ENDPOINT: 'http://127.0.0.1:1', RAPPORT_ENFORCE_DATA_ACCESS: '1' };

  it('refuses a forbidden document or low-level command before sending it', async () => {
    const db = createDocumentClient('public-api', env);
    const denied = (promise: Promise<unknown>) =>
      expect(promise).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await denied(db.send(new GetCommand({ TableName: 'rapport', Key: keys.customerQuality() })));
    await denied(db.send(new PutCommand({ TableName: 'rapport', Item: { ...keys.customer('c1'), name: 'x' } })));
    await denied(db.send(new ScanCommand({ TableName: 'rapport' })));
    await denied(
      db.send(
        new QueryCommand({
          TableName: 'rapport',
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': CUSTOMERS_PARTITION },
        }),
      ),
    );
    await denied(db.send(new BatchGetCommand({ RequestItems: { rapport: { Keys: [surveyKeys.definition('s')] } } })));
    await denied(
      db.send(new BatchWriteCommand({ RequestItems: { rapport: [{ DeleteRequest: { Key: keys.customer('c') } }] } })),
    );
    await denied(
      db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: 'rapport', Item: responseKeys.response('s', '2026-01-01', 'r') } },
            { Put: { TableName: 'rapport', Item: surveyKeys.definition('s') } },
          ],
        }),
      ),
    );
    await denied(db.send(new GetItemCommand({ TableName: 'rapport', Key: { PK: S('PHONE#+86'), SK: S('UNIQUE') } })));
  });

  it('lets an allowed command through to DynamoDB', async () => {
    const db = createDocumentClient('public-api', env);
    const error = await db.send(new GetCommand({ TableName: 'rapport', Key: surveyKeys.definition('s1') })).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toBeDefined();
    expect(error?.name).not.toBe('AccessDeniedException');
  });

  it('checks nothing without a function name or without the switch (Lambda, tools)', async () => {
    for (const db of [
      createDocumentClient(env),
      createDocumentClient('public-api', { ...env, RAPPORT_ENFORCE_DATA_ACCESS: undefined }),
    ]) {
      const error = await db.send(new GetCommand({ TableName: 'rapport', Key: keys.customerQuality() })).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.name).not.toBe('AccessDeniedException');
    }
  });
});
