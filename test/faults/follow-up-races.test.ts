/**
 * The stream's follow-up racing an erasure, a rebuild and an exclusion, against real DynamoDB Local:
 * the stream opens a detractor's follow-up outside any transaction (a put by its deterministic id,
 * then a check of the response's `erasedAt`), and the erasure strips the follow-up and the response in
 * separate writes. Whichever of the erasure's writes the stream lands before, no follow-up may keep the
 * person's comment once the erasure has answered; and whichever of an exclusion's writes it lands
 * before (or after the exclusion, as a lagging stream does), the excluded answer's follow-up ends closed
 * as excluded. The fault proxy only picks the moment; every write is real.
 */

import { type AttributeValue, type DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followUpKeys } from '../../functions/adapters/dynamodb/keys';
import { LOCAL_TABLE_NAME } from '../../functions/contracts/table-schema';
import { followUpIdOf } from '../../functions/domain/followups/followup-id';
import { apiEvent, lambdaContext } from '../support/events';
import { type FaultHarness, type Handler, type StreamHandler, startFaultHarness } from '../support/fault-harness';
import { type FaultProxy, WRITE_COMMANDS } from '../support/fault-proxy';
import { responseId, SHOP, surveyDefinition } from '../support/route-fixtures';

let raw: DynamoDBClient;
let proxy: FaultProxy;
let admin: Handler;
let publicApi: Handler;
let aggregator: StreamHandler;
let harness: FaultHarness | undefined;
let surveyId: string;

beforeAll(async () => {
  harness = await startFaultHarness();
  ({ raw, proxy, aggregator } = harness);
  admin = harness.handlers['admin-api'];
  publicApi = harness.handlers['public-api'];
  // With a secret, a customer id the widget sends unsigned is kept as a claim (erased with the person).
  await call(admin, 'POST', '/v1/identity/secret', { body: {} });
  const survey = await call(admin, 'POST', '/v1/surveys', { body: surveyDefinition() });
  await call(admin, 'PUT', `/v1/surveys/${survey.id}`, {
    body: { ...surveyDefinition(), status: 'active' },
    headers: { 'if-match': `"${survey.revision}"` },
  });
  surveyId = String(survey.id);
});

afterAll(async () => {
  proxy?.before(undefined);
  await harness?.stop();
});

async function call(handler: Handler, method: string, path: string, options: Parameters<typeof apiEvent>[2] = {}) {
  const result = await handler(apiEvent(method, path, { groups: ['admin'], ...options }), lambdaContext);
  expect(result.statusCode, result.body).toBeLessThan(300);
  return result.body ? (JSON.parse(result.body) as Record<string, unknown>) : {};
}

/** A customer, and a detractor's answer with a comment that claims to be theirs: its stream record. */
async function detractorClaim(): Promise<{ customerId: string; followUpId: string; record: DynamoDBRecord }> {
  const customer = await call(admin, 'POST', '/v1/customers', {
    body: { name: 'Race Person', email: `r.${responseId().toLowerCase()}@example.cn` },
  });
  const id = responseId();
  await call(publicApi, 'POST', `/v1/surveys/${surveyId}/responses`, {
    body: {
      id,
      surveyVersion: 1,
      locale: 'en',
      answers: { overall: 1, nps: 0, comment: 'the person’s own words' },
      customerId: customer.id,
      customerSignature: '0'.repeat(64),
    },
    headers: { origin: SHOP },
  });
  const scan = await raw.send(
    new ScanCommand({
      TableName: LOCAL_TABLE_NAME,
      ConsistentRead: true,
      FilterExpression: 'begins_with(PK, :p) AND id = :id',
      ExpressionAttributeValues: { ':p': { S: `RESPONSES#${surveyId}#` }, ':id': { S: id } },
    }),
  );
  const item = scan.Items?.[0] as Record<string, AttributeValue>;
  expect(unmarshall(item).unverifiedCustomerId).toBe(customer.id);
  const record = {
    eventID: `evt-${id}`,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      SequenceNumber: '100000',
      Keys: { PK: item.PK, SK: item.SK },
      NewImage: item,
      StreamViewType: 'NEW_IMAGE',
    },
  } as unknown as DynamoDBRecord;
  return { customerId: String(customer.id), followUpId: followUpIdOf(surveyId, id), record };
}

/** The stream delivers the record until it is applied (as Lambda retries a failed batch). */
async function deliverUntilApplied(record: DynamoDBRecord) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const { batchItemFailures } = await aggregator({ Records: [record] }, lambdaContext);
    if (batchItemFailures.length === 0) return;
  }
  throw new Error('the record was never applied');
}

async function followUp(id: string) {
  const { Item } = await raw.send(
    new GetItemCommand({
      TableName: LOCAL_TABLE_NAME,
      Key: { PK: { S: followUpKeys.item(id).PK }, SK: { S: followUpKeys.item(id).SK } },
      ConsistentRead: true,
    }),
  );
  return Item ? unmarshall(Item) : undefined;
}

/** The erased person's follow-up: still there (the task stays for the team), with nothing of theirs in it. */
function expectStripped(task: Record<string, unknown> | undefined, when: string) {
  expect(task, when).toBeDefined();
  expect(task?.comment, when).toBeUndefined();
  expect(task?.customerId, when).toBeUndefined();
}

/**
 * Runs `operation` with `interloper` run just before its k-th write (writes `skip` names are not
 * counted); when the operation makes fewer writes, the interloper runs after it. True when it ran inside.
 */
async function raceAtWrite(
  k: number,
  interloper: () => Promise<unknown>,
  operation: () => Promise<unknown>,
  skip: (input: unknown) => boolean = () => false,
): Promise<boolean> {
  proxy.plan(undefined);
  let writes = 0;
  let ran = false;
  proxy.before(async (command, input) => {
    if (ran || !WRITE_COMMANDS.has(command) || skip(input) || ++writes < k) return;
    ran = true;
    await interloper();
  });
  try {
    await operation();
  } finally {
    proxy.before(undefined);
  }
  if (!ran) await interloper();
  return ran;
}

describe('the stream’s follow-up racing an erasure, a rebuild and an exclusion', () => {
  it('leaves no follow-up with the comment, whichever erasure write the stream lands before', async () => {
    let raced = 0;
    for (let k = 1; k <= 30; k++) {
      const { customerId, followUpId, record } = await detractorClaim();
      // Past the erasure's last write the stream comes after it (and a later run has nothing new).
      const inside = await raceAtWrite(
        k,
        () => deliverUntilApplied(record),
        () => call(admin, 'POST', `/v1/customers/${customerId}/erase`),
      );
      const task = await followUp(followUpId);
      expectStripped(task, `stream before erasure write ${k}`);
      if (!inside) break;
      raced++;
    }
    expect(raced).toBeGreaterThan(2);
  });

  it('a rebuild that read the response before the erasure opens no follow-up with the comment', async () => {
    let raced = 0;
    for (let k = 1; k <= 10; k++) {
      // The stream never opened this task (a dead-lettered record, say): the rebuild restores it.
      const { customerId, followUpId, record } = await detractorClaim();
      const day = unmarshall(record.dynamodb!.NewImage as Record<string, AttributeValue>).day as string;
      const inside = await raceAtWrite(
        k,
        () => call(admin, 'POST', `/v1/customers/${customerId}/erase`),
        () => call(admin, 'POST', `/v1/surveys/${surveyId}/aggregates/rebuild`, { body: { from: day, to: day } }),
        // Not before the rebuild's audit entry: this process's audit appends queue one after another,
        // so an erasure started there would wait for the very append it interrupts.
        (input) => JSON.stringify(input).includes('"AUDIT'),
      );
      const task = await followUp(followUpId);
      expectStripped(task, `erasure before rebuild write ${k}`);
      if (!inside) break;
      raced++;
    }
    expect(raced).toBeGreaterThan(0);
  });

  it('an exclusion leaves the excluded answer’s follow-up closed, whenever the stream opens it', async () => {
    let raced = 0;
    for (let k = 1; k <= 40; k++) {
      const { followUpId, record } = await detractorClaim();
      const receivedAt = unmarshall(record.dynamodb!.NewImage as Record<string, AttributeValue>).receivedAt as string;
      const from = new Date(Date.parse(receivedAt) - 1000).toISOString();
      const to = new Date(Date.parse(receivedAt) + 1000).toISOString();
      // Past the exclusion's last write the stream comes after it, as a lagging stream would.
      const inside = await raceAtWrite(
        k,
        () => deliverUntilApplied(record),
        () =>
          call(admin, 'POST', `/v1/surveys/${surveyId}/exclusions`, {
            body: { from, to, reason: `race at write ${k}` },
          }),
      );
      const task = await followUp(followUpId);
      expect(task?.status, `stream before exclusion write ${k}`).toBe('excluded');
      if (!inside) break;
      raced++;
    }
    expect(raced).toBeGreaterThan(2);
  });
});
