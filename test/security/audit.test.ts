/**
 * The audit log: every admin write and every read of personal data is recorded — who, what, when,
 * outcome — without the personal values themselves; the record is a hash chain, and changing,
 * replacing or removing an entry is found by the verify route.
 */
import { DeleteItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDynamoClient } from '../../local/local-env';
import { startTestRuntime, type TestRuntime } from '../integration/harness';

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
});

afterAll(async () => {
  await rt?.stop();
});

interface Entry {
  seq: number;
  at: string;
  actor: string;
  operation: string;
  status: number;
  kind: string;
  ids: Record<string, string>;
  queryNames: string[];
  replayed: boolean;
  hash: string;
}

const auditPage = async (query = '') => {
  const result = await rt.request('GET', `/v1/audit${query}`, { token: rt.tokens.admin });
  expect(result.status, result.text).toBe(200);
  return result.body as { items: Entry[]; nextCursor?: string };
};

describe('audit log', () => {
  it('records writes and personal-data reads as who/what/when/outcome, never the personal values', async () => {
    const name = 'Audit Person Zhao';
    const email = 'audit.zhao@example.cn';
    const created = await rt.request('POST', '/v1/customers', {
      token: rt.tokens.admin,
      body: { name, email, phone: '+8613800001111' },
      headers: { 'idempotency-key': 'audit-create-zhao' },
    });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    const replay = await rt.request('POST', '/v1/customers', {
      token: rt.tokens.admin,
      body: { name, email, phone: '+8613800001111' },
      headers: { 'idempotency-key': 'audit-create-zhao' },
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await rt.request('GET', `/v1/customers/${id}`, { token: rt.tokens.analyst })).status).toBe(200);
    expect(
      (await rt.request('GET', `/v1/customers/lookup?email=${encodeURIComponent(email)}`, { token: rt.tokens.analyst }))
        .status,
    ).toBe(200);
    // A refused write is on record too.
    const refused = await rt.request('PATCH', `/v1/customers/${id}`, {
      token: rt.tokens.analyst,
      body: { company: 'Not allowed' },
    });
    expect(refused.status).toBe(403);
    // Reads that are not about people are not.
    expect((await rt.request('GET', '/v1/surveys', { token: rt.tokens.analyst })).status).toBe(200);

    const { items } = await auditPage();
    // The customer's id is recorded as its hash (erasure must leave no id behind); ?customer= finds it.
    expect(JSON.stringify(items)).not.toContain(id);
    const about = await auditPage(`?customer=${id}`);
    expect(about.items.map((e) => e.operation).sort()).toEqual(['getCustomer', 'updateCustomer']);
    const mine = items.filter(
      (e) =>
        about.items.some((x) => x.seq === e.seq) ||
        e.operation === 'lookupCustomer' ||
        e.operation === 'createCustomer',
    );
    const byOperation = (op: string) => mine.filter((e) => e.operation === op);
    expect(byOperation('createCustomer').map((e) => [e.status, e.replayed, e.actor, e.kind])).toEqual([
      [201, true, 'local-admin', 'write'],
      [201, false, 'local-admin', 'write'],
    ]);
    expect(byOperation('getCustomer')[0]).toMatchObject({ actor: 'local-analyst', kind: 'personal-data', status: 200 });
    expect(byOperation('lookupCustomer')[0]).toMatchObject({ kind: 'personal-data', queryNames: ['email'] });
    expect(byOperation('updateCustomer')[0]).toMatchObject({ actor: 'local-analyst', status: 403, kind: 'write' });
    expect(items.some((e) => e.operation === 'listSurveys')).toBe(false);
    // Newest first.
    expect(items.map((e) => e.seq)).toEqual([...items.map((e) => e.seq)].sort((a, b) => b - a));
    // No personal value anywhere in the log.
    const text = JSON.stringify(items);
    for (const value of [name, email, '13800001111', 'Not allowed']) expect(text).not.toContain(value);
  });

  it('filters by operation, actor and outcome, pages by cursor, and is for admins only', async () => {
    for (let i = 0; i < 5; i++) {
      await rt.request('POST', '/v1/customers', { token: rt.tokens.admin, body: { name: `Paged ${i}` } });
    }
    const creates = await auditPage('?operation=createCustomer&limit=2');
    expect(creates.items).toHaveLength(2);
    expect(creates.items.every((e) => e.operation === 'createCustomer')).toBe(true);
    const next = await auditPage(
      `?operation=createCustomer&limit=2&cursor=${encodeURIComponent(creates.nextCursor ?? '')}`,
    );
    expect(next.items.every((e) => e.seq < (creates.items.at(-1)?.seq ?? 0))).toBe(true);
    const refusals = await auditPage('?outcome=refused');
    expect(refusals.items.length).toBeGreaterThan(0);
    expect(refusals.items.every((e) => e.status >= 400 && e.status < 500)).toBe(true);
    const analyst = await auditPage('?actor=local-analyst');
    expect(analyst.items.every((e) => e.actor === 'local-analyst')).toBe(true);
    expect((await rt.request('GET', '/v1/audit', { token: rt.tokens.analyst })).status).toBe(403);
    expect((await rt.request('GET', '/v1/audit?limit=0', { token: rt.tokens.admin })).status).toBe(400);
    expect((await rt.request('GET', '/v1/audit?from=yesterday', { token: rt.tokens.admin })).status).toBe(400);
  });

  it('keeps one unbroken chain under concurrent writes, and finds a changed or removed entry', async () => {
    const created = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        rt.request('POST', '/v1/customers', { token: rt.tokens.admin, body: { name: `Concurrent ${i}` } }),
      ),
    );
    // Nobody is turned away because the others were being recorded at the same moment…
    expect(created.map((r) => r.status)).toEqual(created.map(() => 201));
    // …nor are concurrent reads of personal data (each is an audited access).
    const reads = await Promise.all(
      created.map((r) =>
        rt.request('GET', `/v1/customers/${(r.body as { id: string }).id}`, { token: rt.tokens.analyst }),
      ),
    );
    expect(reads.map((r) => r.status)).toEqual(reads.map(() => 200));
    const verify = async () =>
      (await rt.request('GET', '/v1/audit/verify', { token: rt.tokens.admin })).body as {
        checked: number;
        lastSeq: number;
        broken?: { seq: number; reason: string };
      };
    const intact = await verify();
    expect(intact.broken).toBeUndefined();
    expect(intact.checked).toBe(intact.lastSeq);

    // Someone with table access edits an entry's outcome (to one no request had)…
    const { items } = await auditPage('?limit=3');
    const target = items[1] as Entry;
    const dynamo = createLocalDynamoClient(rt.dynamoEndpoint);
    const key = { PK: { S: `AUDIT#${target.at.slice(0, 10)}` }, SK: { S: String(target.seq).padStart(12, '0') } };
    await dynamo.send(
      new UpdateItemCommand({
        TableName: rt.tableName,
        Key: key,
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { N: '418' } },
      }),
    );
    const changed = await verify();
    expect(changed.broken).toMatchObject({ seq: target.seq, reason: expect.stringMatching(/changed/) });
    // …or deletes it.
    await dynamo.send(new DeleteItemCommand({ TableName: rt.tableName, Key: key }));
    const removed = await verify();
    expect(removed.broken).toMatchObject({ seq: target.seq + 1, reason: expect.stringMatching(/missing/) });
    dynamo.destroy();
  });
});
