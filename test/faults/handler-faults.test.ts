/**
 * Every route of THE route table under DynamoDB faults: throttling, timeouts, connection resets,
 * 500s and transaction conflicts, injected into the real DynamoDB Local traffic of the real handlers
 * at every call in turn. The answer must be a 503 problem with Retry-After (never a 500), and a
 * refused operation must not have made any write take effect (every call goes through the proxy,
 * so its log is exact): no customer without its guard, no half-merged pair. The few operations that
 * are resumable by design must instead finish on a clean retry.
 */

import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyStructuredResultV2, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteDefinition } from '../../functions/contracts/routes';
import { LOCAL_TABLE_NAME } from '../../functions/contracts/table-schema';
import { apiEvent, lambdaContext } from '../support/events';
import { type FaultHarness, type Handler, type StreamHandler, startFaultHarness } from '../support/fault-harness';
import { effectiveWrites, FAULTS, type FaultName, type FaultPlan, type FaultProxy } from '../support/fault-proxy';
import { signedIdentity } from '../support/identity';
import {
  allRoutes,
  type FixtureIds,
  label,
  responseId,
  SHOP,
  samples,
  surveyDefinition,
} from '../support/route-fixtures';

let raw: DynamoDBClient;
let proxy: FaultProxy;
const handlers: Partial<Record<RouteDefinition['function'], Handler>> = {};
let aggregator: StreamHandler;
let invocations = 0;
let phoneSeq = 10_000_000 + Math.floor(Math.random() * 80_000_000);
/** The identity secret the fixture's answer is signed with, so it links to its customer. */
let secret: string | undefined;

let harness: FaultHarness | undefined;

beforeAll(async () => {
  harness = await startFaultHarness();
  ({ raw, proxy, aggregator } = harness);
  Object.assign(handlers, harness.handlers);
});

afterAll(async () => {
  // eslint-disable-next-line no-console
  console.info(`[faults] handler-faults: ${invocations} faulted handler invocations`);
  await harness?.stop();
});

const json = (r: APIGatewayProxyStructuredResultV2) => (r.body ? (JSON.parse(r.body) as Record<string, unknown>) : {});

async function invoke(
  fn: RouteDefinition['function'],
  method: string,
  path: string,
  options: { body?: unknown; query?: Record<string, string>; headers?: Record<string, string> } = {},
) {
  const handler = handlers[fn]!;
  return handler(
    apiEvent(method, path, { ...options, groups: ['admin'] } as Parameters<typeof apiEvent>[2]),
    lambdaContext,
  );
}

async function ok(result: Promise<APIGatewayProxyStructuredResultV2>, status?: number) {
  const r = await result;
  if (status !== undefined) expect(r.statusCode, r.body).toBe(status);
  else expect(r.statusCode, r.body).toBeLessThan(300);
  return json(r);
}

/** Feeds every response item of a survey to the aggregator, as the stream would (follow-ups, counters). */
async function aggregateResponses(surveyId: string) {
  const result = await raw.send(
    new ScanCommand({
      TableName: LOCAL_TABLE_NAME,
      ConsistentRead: true,
      FilterExpression: 'begins_with(PK, :p)',
      ExpressionAttributeValues: { ':p': { S: `RESPONSES#${surveyId}#` } },
    }),
  );
  const records = (result.Items ?? []).map((item: Record<string, AttributeValue>, i) => ({
    eventID: `evt-${surveyId}-${i}`,
    eventName: 'INSERT' as const,
    eventSource: 'aws:dynamodb',
    dynamodb: { SequenceNumber: String(1000 + i), Keys: { PK: item.PK!, SK: item.SK! }, NewImage: item },
  }));
  const out = await aggregator({ Records: records } as unknown as DynamoDBStreamEvent, lambdaContext);
  expect(out.batchItemFailures).toEqual([]);
}

/** Fresh records for one run: two customers (duplicates), an active survey, a detractor's answer and its follow-up. */
async function fixture(): Promise<FixtureIds> {
  proxy.plan(undefined);
  const tag = responseId().toLowerCase();
  const a = await ok(
    invoke('admin-api', 'POST', '/v1/customers', {
      body: { name: 'Fault Tester', email: `a.${tag}@example.cn`, phone: `+86138${phoneSeq++}` },
    }),
    201,
  );
  const b = await ok(
    invoke('admin-api', 'POST', '/v1/customers', { body: { name: 'Fault Tester', email: `b.${tag}@example.cn` } }),
    201,
  );
  const s = await ok(invoke('admin-api', 'POST', '/v1/surveys', { body: surveyDefinition() }), 201);
  await ok(
    invoke('admin-api', 'PUT', `/v1/surveys/${s.id}`, {
      body: { ...surveyDefinition(), status: 'active' },
      headers: { 'if-match': `"${s.revision}"` },
    }),
    200,
  );
  secret ??= String((await ok(invoke('admin-api', 'POST', '/v1/identity/secret', { body: {} }), 201)).secret);
  const answer = {
    id: responseId(),
    surveyVersion: 1,
    locale: 'en',
    answers: { overall: 1, nps: 2, comment: 'slow' },
    ...signedIdentity(secret, String(a.id)),
  };
  await ok(
    invoke('public-api', 'POST', `/v1/surveys/${s.id}/responses`, { body: answer, headers: { origin: SHOP } }),
    201,
  );
  await aggregateResponses(s.id as string);
  return { customerId: a.id as string, duplicateId: b.id as string, surveyId: s.id as string, followUpId: answer.id };
}

/**
 * An import is many independent row upserts, not one transaction: on a fault it answers 200 with
 * `complete: false`, the rows it wrote, and the rows to send again (see the import tests at the end).
 */
const KNOWN_PARTIAL = new Set(['importCustomers']);

/** A fault's answer: 503 with Retry-After, or — for an import — an incomplete per-row report. */
function expectRefusedOrPartial(route: RouteDefinition, result: APIGatewayProxyStructuredResultV2, where: string) {
  if (KNOWN_PARTIAL.has(route.operationId) && result.statusCode === 200) {
    const report = JSON.parse(result.body ?? '{}') as { complete?: boolean; summary?: { notImported?: number } };
    expect(report.complete, where).toBe(false);
    expect(report.summary?.notImported, where).toBeGreaterThan(0);
    expect(result.headers?.['retry-after'], where).toMatch(/^\d+$/);
    return;
  }
  expectUnavailable(route, result, where);
}

/**
 * The audit log's append (after the outcome is known) is spared by these sweeps: what an unrecordable
 * audit entry does is its own test (test/faults/audit-faults.test.ts), not every route's.
 */
const notAudit = (_command: string, input: unknown) => !JSON.stringify(input ?? {}).includes('"AUDIT');

async function run(route: RouteDefinition, ids: FixtureIds, plan: FaultPlan | undefined) {
  const sample = samples[route.operationId as keyof typeof samples](ids);
  proxy.plan(plan ? { ...plan, only: notAudit } : undefined);
  invocations++;
  try {
    const result = await invoke(route.function, route.method, sample.path, {
      ...(sample.body !== undefined ? { body: sample.body } : {}),
      ...(sample.query ? { query: { ...sample.query } } : {}),
      // Every admin write carries a fresh Idempotency-Key, so the sweep also faults its bookkeeping.
      headers: {
        ...(route.function === 'admin-api' && route.access === 'write'
          ? { 'idempotency-key': `sweep-${responseId()}` }
          : {}),
        ...(sample.headers ?? {}),
      },
    });
    // Anything the operation left running after it answered is part of what it did.
    if (route.access === 'write') await proxy.settle(KNOWN_PARTIAL.has(route.operationId) ? 80 : 15);
    return { result, calls: [...proxy.calls] };
  } finally {
    proxy.plan(undefined);
  }
}

function expectUnavailable(route: RouteDefinition, result: APIGatewayProxyStructuredResultV2, where: string) {
  expect(result.statusCode, `${where}: ${result.body}`).toBe(503);
  expect(result.headers?.['retry-after'], where).toMatch(/^\d+$/);
  if (route.operationId !== 'getHealth') {
    expect(result.headers?.['content-type'], where).toBe('application/problem+json');
    expect(json(result)).toMatchObject({ status: 503, detail: expect.any(String) });
  }
}

const sweepFaults: FaultName[] = FAULTS.filter((f) => f !== 'TransactionConflict');

/** Fault points: every call up to 12, then further apart (reports and exports read one partition per day). */
const SWEEP = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 16, 24, 40, 64, 100, 160, 250];

/**
 * Operations that are not one transaction by design and resume on a retry: after a refused attempt,
 * a clean retry must finish the job. Everything else must write nothing when it answers 503.
 */
const RESUMABLE = new Set(['eraseCustomer', 'deleteCustomer', 'rebuildSurveyAggregates', 'createExclusion']);
/** Erasures (DELETE is one too): a clean retry must leave exactly what an uninterrupted erasure leaves. */
const ERASURES = new Set(['eraseCustomer', 'deleteCustomer']);

const describeWrites = (calls: readonly { command: string; succeeded?: boolean; failed?: string }[]) =>
  calls.map((c) => `${c.command}${c.failed ? '✗' : c.succeeded === false ? '(refused)' : ''}`).join(' ');

/** Items that still mention an id anywhere, as "PK-prefix/SK-prefix" kinds (what erasure must leave behind). */
async function kindsMentioning(id: string): Promise<string[]> {
  const kinds: string[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  for (let page = 0; page < 200; page++) {
    const result = await raw.send(
      new ScanCommand({ TableName: LOCAL_TABLE_NAME, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    for (const item of result.Items ?? []) {
      // (Idempotency records, which replay an outcome that names the id, are checked in test/security.)
      if (JSON.stringify(item).includes(id) && !item.PK?.S?.startsWith('IDEMPOTENCY#'))
        kinds.push(`${item.PK?.S?.split('#')[0]}/${item.SK?.S?.split('#')[0]}`);
    }
    startKey = result.LastEvaluatedKey;
    if (!startKey) break;
  }
  return kinds.sort();
}

/** What an uninterrupted erasure leaves mentioning the customer (measured once, on fresh records). */
let cleanEraseLeaves: Promise<string[]> | undefined;

/**
 * Writes that changed records. Bookkeeping is not one: the Idempotency-Key's claim (a claim left behind
 * when its release also failed only holds the key until its lock expires), a survey's per-minute
 * submission budget (an attempt spends one unit of it, as any attempt does; it expires within the
 * hour), the day's client-hash salt (created once a day, whatever happens to the request) and the
 * audit log's entry (refused requests are recorded too, on purpose).
 */
const BOOKKEEPING = ['IDEMPOTENCY#', 'LIMIT#', 'SALT#'];
function recordWrites(calls: Parameters<typeof effectiveWrites>[0]) {
  const pk = (input: { Key?: { PK?: unknown }; Item?: { PK?: unknown } }) =>
    String(input?.Key?.PK ?? input?.Item?.PK ?? '');
  return effectiveWrites(calls).filter(
    (c) => !BOOKKEEPING.some((prefix) => pk(c.input).startsWith(prefix)) && notAudit(c.command, c.input),
  );
}

async function expectNothingWrittenOrResumable(
  route: RouteDefinition,
  ids: FixtureIds,
  calls: Parameters<typeof effectiveWrites>[0],
  where: string,
) {
  const written = recordWrites(calls);
  if (written.length === 0) return;
  expect(
    RESUMABLE.has(route.operationId),
    `${where}: a refused operation made ${written.length} write(s) take effect: ${describeWrites(calls)}`,
  ).toBe(true);
  const retry = await run(route, ids, undefined);
  if (ERASURES.has(route.operationId)) {
    // A retried erasure must finish the job: afterwards nothing mentions the customer that an
    // uninterrupted erasure would have removed. (404 is fine when the first attempt had finished.)
    expect([200, 204, 404], `${where}, clean retry: ${retry.result.body}`).toContain(retry.result.statusCode);
    cleanEraseLeaves ??= (async () => {
      const fresh = await fixture();
      expect((await run(route, fresh, undefined)).result.statusCode).toBeLessThan(300);
      return kindsMentioning(fresh.customerId);
    })();
    expect(await kindsMentioning(ids.customerId), `${where}: left behind after the retried erasure`).toEqual(
      await cleanEraseLeaves,
    );
    return;
  }
  expect(retry.result.statusCode, `${where}, clean retry: ${retry.result.body}`).toBeLessThan(300);
}

/** Records for routes that cannot change them (reads) are shared by all of those routes. */
let readFixture: Promise<FixtureIds> | undefined;

describe.each(allRoutes.map((r) => [label(r), r] as const))('%s', (_name, route) => {
  const changesRecords = route.access === 'write' || route.method !== 'GET';
  const freshFixture = () => {
    if (changesRecords) return fixture();
    readFixture ??= fixture();
    return readFixture;
  };
  let shared: FixtureIds | undefined;
  const sharedFixture = async () => (shared ??= await freshFixture());

  it('a fault at any DynamoDB call is a 503 with Retry-After and writes nothing', async () => {
    let ids = await freshFixture();
    let completed = false;
    for (const [step, k] of SWEEP.entries()) {
      const fault = sweepFaults[step % sweepFaults.length]!;
      const { result, calls } = await run(route, ids, { fault, fromCall: k });
      const where = `${label(route)} with ${fault} from call ${k} (${describeWrites(calls)})`;
      expect(result.statusCode, `${where}: ${result.body}`).not.toBe(500);
      if (!calls.some((c) => c.failed)) {
        // The operation made fewer than k calls: it ran clean, and the sweep is over.
        expect(result.statusCode, `${where}: ${result.body}`).toBeLessThan(500);
        completed = true;
        break;
      }
      if (result.statusCode === 503) {
        expectUnavailable(route, result, where);
        if (!KNOWN_PARTIAL.has(route.operationId)) await expectNothingWrittenOrResumable(route, ids, calls, where);
        if (recordWrites(calls).length > 0) ids = await freshFixture();
      } else {
        // The fault hit a call the operation can do without, and it succeeded anyway: new records for the next step.
        expect(result.statusCode, `${where}: ${result.body}`).toBeLessThan(500);
        ids = await freshFixture();
      }
    }
    expect(completed, `${label(route)}: the sweep reached the end of the operation`).toBe(true);
  });

  it.each(FAULTS.map((f) => [f] as const))(
    '%s on every call, or on every write: 503 with Retry-After, nothing written',
    async (fault) => {
      // A transaction conflict can only hit transactions: "every call" is the same plan as "every write".
      // Reads are covered by "every call" (the sweep above also fails each of their calls in turn).
      const plans: FaultPlan[] =
        fault === 'TransactionConflict'
          ? [{ fault, writesOnly: true }]
          : changesRecords
            ? [
                { fault, writesOnly: true },
                { fault, fromCall: 1 },
              ]
            : [{ fault, fromCall: 1 }];
      for (const plan of plans) {
        const ids = await sharedFixture();
        const { result, calls } = await run(route, ids, plan);
        const where = `${label(route)} with ${fault}${plan.writesOnly ? ' on writes' : ' on every call'} (${describeWrites(calls)})`;
        if (!calls.some((c) => c.failed)) {
          // Nothing to fail (e.g. no writes): it ran clean and may have changed the records.
          expect(result.statusCode, `${where}: ${result.body}`).toBeLessThan(500);
          if (recordWrites(calls).length > 0) shared = undefined;
          continue;
        }
        expectRefusedOrPartial(route, result, where);
        if (!KNOWN_PARTIAL.has(route.operationId)) await expectNothingWrittenOrResumable(route, ids, calls, where);
        if (recordWrites(calls).length > 0) shared = undefined;
        if (fault === 'TransactionConflict') {
          // Conflicts are retried (a few times) before giving up.
          expect(calls.filter((c) => c.command === 'TransactWriteCommand').length, where).toBeGreaterThan(1);
        }
      }
    },
  );
});

describe('an import interrupted by a fault', () => {
  const nameOnly = (n: number, tag: string) =>
    Array.from({ length: n }, (_, i) => ({ name: `Only A Name ${tag} ${i}` }));

  it('is not still writing after it answered, and says which rows to send again', async () => {
    proxy.plan({ fault: 'Throttling', fromWrite: 3 });
    invocations++;
    const result = await invoke('admin-api', 'POST', '/v1/customers/import', { body: nameOnly(40, responseId()) });
    const atAnswer = proxy.calls.length;
    await proxy.settle(60);
    const later = proxy.calls.slice(atAnswer);
    proxy.plan(undefined);
    expect(result.statusCode).toBe(200);
    const report = JSON.parse(result.body ?? '{}') as {
      complete: boolean;
      summary: { created: number; notImported: number };
    };
    expect(report.complete).toBe(false);
    expect(report.summary.created + report.summary.notImported).toBe(40);
    expect(
      later.map((c) => c.command),
      'DynamoDB calls after the answer was returned',
    ).toEqual([]);
  });

  it('sending again only the rows reported not-imported creates no duplicates', async () => {
    const tag = responseId();
    const rows = nameOnly(6, tag);
    proxy.plan({ fault: 'Throttling', fromWrite: 3 });
    invocations++;
    const first = await invoke('admin-api', 'POST', '/v1/customers/import', { body: rows });
    await proxy.settle();
    proxy.plan(undefined);
    const report = JSON.parse(first.body ?? '{}') as { complete: boolean; rows: { row: number; status: string }[] };
    expect(report.complete).toBe(false);
    const again = report.rows.filter((r) => r.status === 'not-imported').map((r) => rows[r.row - 1]!);
    expect(again.length).toBeGreaterThan(0);
    await ok(invoke('admin-api', 'POST', '/v1/customers/import', { body: again }), 200);
    const names: (string | undefined)[] = [];
    let cursor: string | undefined;
    do {
      const page = (await ok(
        invoke('admin-api', 'GET', '/v1/customers', { query: { limit: '100', ...(cursor ? { cursor } : {}) } }),
        200,
      )) as {
        items: { name?: string }[];
        nextCursor?: string;
      };
      names.push(...page.items.map((c) => c.name));
      cursor = page.nextCursor;
    } while (cursor);
    for (const row of rows)
      expect(
        names.filter((n) => n === row.name),
        row.name,
      ).toHaveLength(1);
  });
});

describe('Idempotency-Key bookkeeping under faults', () => {
  // When recording the outcome of a committed write fails, the client must still hear the write's
  // outcome (a 503 would make it retry and, once the claim's lock expired, write again).
  it('a committed create is answered 201 even when recording its outcome fails', async () => {
    const key = `create-${responseId()}`;
    const body = { name: `Keyed ${key}` };
    // The claim (Put) and the create (TransactWrite) go through; recording the outcome (Update) fails.
    proxy.plan({ fault: 'Timeout', fromWrite: 3 });
    invocations++;
    const first = await invoke('admin-api', 'POST', '/v1/customers', { body, headers: { 'idempotency-key': key } });
    const calls = [...proxy.calls];
    proxy.plan(undefined);
    expect(
      recordWrites(calls).map((c) => c.command),
      'the customer was committed',
    ).toContain('TransactWriteCommand');
    expect(first.statusCode, first.body).toBe(201);
  });
});
