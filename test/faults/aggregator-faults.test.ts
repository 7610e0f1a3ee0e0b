/**
 * The stream aggregator under DynamoDB faults, against real DynamoDB Local: a fault at any write of a
 * batch must make it report exactly one batch item failure — the first record not fully applied —
 * with every record before it applied; Lambda's retry from there (and any redelivery of the whole
 * batch) must then land on exactly the counts of the stored responses.
 */

import { type AttributeValue, type DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_TABLE_NAME } from '../../functions/contracts/table-schema';
import { apiEvent, lambdaContext } from '../support/events';
import { type FaultHarness, type Handler, type StreamHandler, startFaultHarness } from '../support/fault-harness';
import { FAULTS, type FaultProxy, tableSnapshot } from '../support/fault-proxy';
import { signedIdentity } from '../support/identity';
import { responseId, SHOP, surveyDefinition } from '../support/route-fixtures';

let raw: DynamoDBClient;
let proxy: FaultProxy;
let admin: Handler;
let publicApi: Handler;
let aggregator: StreamHandler;
let batches = 0;
/** The identity secret the answers' customer ids are signed with (only a verified id links). */
let secret: string;

let harness: FaultHarness | undefined;

beforeAll(async () => {
  harness = await startFaultHarness();
  ({ raw, proxy, aggregator } = harness);
  admin = harness.handlers['admin-api'];
  publicApi = harness.handlers['public-api'];
  secret = String((await call(admin, 'POST', '/v1/identity/secret', { body: {} })).secret);
});

afterAll(async () => {
  // eslint-disable-next-line no-console
  console.info(`[faults] aggregator-faults: ${batches} stream batches delivered`);
  await harness?.stop();
});

async function call(handler: Handler, method: string, path: string, options: Parameters<typeof apiEvent>[2] = {}) {
  const result = await handler(apiEvent(method, path, { groups: ['admin'], ...options }), lambdaContext);
  expect(result.statusCode, result.body).toBeLessThan(300);
  return result.body ? (JSON.parse(result.body) as Record<string, unknown>) : {};
}

interface Answer {
  nps: number;
  overall: number;
  comment?: string;
  customer: boolean;
}

/** Twelve answers, a third of them detractors linked to a customer (follow-ups, feedback), some with comments. */
const ANSWERS: Answer[] = Array.from({ length: 12 }, (_, i) => ({
  nps: [2, 9, 10, 5, 8, 0, 7, 10, 6, 9, 3, 10][i]!,
  overall: (i % 5) + 1,
  ...(i % 3 === 0 ? { comment: `comment ${i}` } : {}),
  customer: i % 2 === 0,
}));

/** A published survey with the answers stored, and the stream records (in stream order) they produce. */
async function fixture(): Promise<{ surveyId: string; records: DynamoDBRecord[] }> {
  proxy.plan(undefined);
  const survey = await call(admin, 'POST', '/v1/surveys', { body: surveyDefinition() });
  await call(admin, 'PUT', `/v1/surveys/${survey.id}`, {
    body: { ...surveyDefinition(), status: 'active' },
    headers: { 'if-match': `"${survey.revision}"` },
  });
  const customer = await call(admin, 'POST', '/v1/customers', {
    body: { name: 'Stream Person', email: `s.${responseId().toLowerCase()}@example.cn` },
  });
  for (const a of ANSWERS) {
    const body = {
      id: responseId(),
      surveyVersion: 1,
      locale: 'en',
      answers: { overall: a.overall, nps: a.nps, ...(a.comment ? { comment: a.comment } : {}) },
      ...(a.customer ? signedIdentity(secret, String(customer.id)) : {}),
    };
    await call(publicApi, 'POST', `/v1/surveys/${survey.id}/responses`, { body, headers: { origin: SHOP } });
  }
  const scan = await raw.send(
    new ScanCommand({
      TableName: LOCAL_TABLE_NAME,
      ConsistentRead: true,
      FilterExpression: 'begins_with(PK, :p)',
      ExpressionAttributeValues: { ':p': { S: `RESPONSES#${survey.id}#` } },
    }),
  );
  const items = (scan.Items ?? []).sort((x, y) => x.SK!.S!.localeCompare(y.SK!.S!));
  expect(items).toHaveLength(ANSWERS.length);
  const records = items.map((item: Record<string, AttributeValue>, i) => ({
    eventID: `evt-${survey.id}-${i}`,
    eventName: 'INSERT' as const,
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      SequenceNumber: String(100_000 + i * 100),
      Keys: { PK: item.PK!, SK: item.SK! },
      NewImage: item,
      StreamViewType: 'NEW_IMAGE' as const,
    },
  })) as unknown as DynamoDBRecord[];
  return { surveyId: survey.id as string, records };
}

async function deliver(records: DynamoDBRecord[]) {
  batches++;
  return aggregator({ Records: records }, lambdaContext);
}

const exists = async (key: { PK: string; SK: string }) =>
  (
    await raw.send(
      new GetItemCommand({
        TableName: LOCAL_TABLE_NAME,
        Key: { PK: { S: key.PK }, SK: { S: key.SK } },
        ConsistentRead: true,
      }),
    )
  ).Item !== undefined;

/** What the aggregator must have done for one response record: its counters (marker) and its follow-up. */
async function applied(surveyId: string, record: DynamoDBRecord): Promise<boolean> {
  const responseKey = record.dynamodb!.Keys!.SK!.S!;
  const marker = await exists({ PK: `APPLIED#RESP#${surveyId}#${responseKey}`, SK: 'MARKER' });
  const followUp = isDetractor(record) ? await exists({ PK: `FOLLOWUP#${responseKey}`, SK: 'FOLLOWUP' }) : true;
  return marker && followUp;
}

const factsOf = (record: DynamoDBRecord) =>
  (
    unmarshall(record.dynamodb!.NewImage as Record<string, AttributeValue>) as {
      facts: { detractor: boolean; textIds: string[] };
    }
  ).facts;
const isDetractor = (record: DynamoDBRecord) => factsOf(record).detractor;

/** The report's counts against a recount of the stored responses themselves. */
async function expectCountsEqualStoredResponses(surveyId: string, records: DynamoDBRecord[]) {
  const report = await call(admin, 'GET', `/v1/surveys/${surveyId}/report`);
  const detractors = records.filter(isDetractor).length;
  expect(detractors).toBeGreaterThan(0);
  expect(report.counts).toMatchObject({
    responses: records.length,
    detractors,
    comments: records.filter((r) => factsOf(r).textIds.length > 0).length,
  });
  const followUps = await call(admin, 'GET', '/v1/followups', { query: { surveyId, limit: '100' } });
  expect((followUps.items as unknown[]).length).toBe(detractors);
}

describe('aggregator batches under DynamoDB faults', () => {
  it('a fault at the k-th write reports the first unapplied record; retry and redelivery converge on exact counts', async () => {
    let sawFailure = 0;
    for (let k = 1; k <= 20; k++) {
      const { surveyId, records } = await fixture();
      const fault = FAULTS[k % FAULTS.length]!;
      proxy.plan({ fault, fromWrite: k });
      const out = await deliver(records);
      const failedCalls = proxy.calls.filter((c) => c.failed).length;
      proxy.plan(undefined);
      const where = `${fault} from write ${k}`;
      if (failedCalls === 0) {
        // The batch needed fewer than k writes: the sweep is complete.
        expect(out.batchItemFailures, where).toEqual([]);
        await expectCountsEqualStoredResponses(surveyId, records);
        break;
      }
      sawFailure++;
      expect(out.batchItemFailures, where).toHaveLength(1);
      const failedFrom = out.batchItemFailures[0]!.itemIdentifier;
      const j = records.findIndex((r) => r.dynamodb!.SequenceNumber === failedFrom);
      expect(j, `${where}: ${failedFrom} is a sequence number of the batch`).toBeGreaterThanOrEqual(0);
      for (const [i, record] of records.slice(0, j).entries())
        expect(await applied(surveyId, record), `${where}: record ${i} before the failure was applied`).toBe(true);
      // (Record j itself may be partly applied — its counters, say — which its retry skips as a duplicate.)

      // Lambda retries from the reported record, then the stream redelivers the whole batch (at least once).
      expect((await deliver(records.slice(j))).batchItemFailures, `${where}: retry`).toEqual([]);
      const settled = await tableSnapshot(raw, LOCAL_TABLE_NAME);
      expect((await deliver(records)).batchItemFailures, `${where}: redelivery`).toEqual([]);
      expect(await tableSnapshot(raw, LOCAL_TABLE_NAME), `${where}: a redelivered batch changed nothing`).toEqual(
        settled,
      );
      await expectCountsEqualStoredResponses(surveyId, records);
    }
    expect(sawFailure).toBeGreaterThan(3);
    // Follow-ups are opened in a transaction (unless their response was erased meanwhile), so a
    // transaction-conflict fault reaches further into the batch: more steps, each retried with backoff.
  }, 240_000);

  it('a batch whose every write is throttled reports its first record and changes nothing', async () => {
    const { records } = await fixture();
    const before = await tableSnapshot(raw, LOCAL_TABLE_NAME);
    proxy.plan({ fault: 'ProvisionedThroughputExceeded', writesOnly: true });
    const out = await deliver(records);
    proxy.plan(undefined);
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: records[0]!.dynamodb!.SequenceNumber }]);
    expect(await tableSnapshot(raw, LOCAL_TABLE_NAME)).toEqual(before);
  });
});
