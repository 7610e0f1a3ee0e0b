/**
 * Erasure that erases (issue 9 §5). A person leaves traces everywhere: their record and guards, a
 * duplicate merged into them, answers linked to them (comments, a page URL with their e-mail in the
 * query, metadata, contact answers), answers never linked to them that hold their e-mail, an answer
 * that merely claims their id, follow-ups with staff notes and assignee text, a duplicate group built
 * from their name, kept Idempotency-Key outcomes (their creation, an import report naming them), and a
 * stream batch about them that was dead-lettered. After `POST /v1/customers/{id}/erase` — or `DELETE
 * /v1/customers/{id}`, the same erasure — a scan of the whole table and of every file the runtime
 * keeps finds none of their identifiers, while the survey's figures stay what they were.
 */

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDynamoClient } from '../../local/local-env';
import { startTestRuntime, type TestRuntime } from '../integration/harness';
import { createIdentitySecret, signedIdentity } from '../support/identity';
import { publishSurvey, SHOP, surveyDefinition } from '../support/route-fixtures';
import { scanItems } from '../support/table-scan';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are JSON the tests walk by property.
type Body = Record<string, any>;

/** A stream batch bringing in this marker makes the aggregator fail until the batch is dead-lettered. */
const POISON = `poison-${ulid()}`;

let rt: TestRuntime;
let dataDir: string;
let secret: string;
let surveyId: string;

const text = (en: string, zh: string) => ({ en, 'zh-CN': zh });
/** The fixtures' survey plus a contact question (an e-mail with consent). */
const definition = () => {
  const base = surveyDefinition();
  return {
    ...base,
    questions: [
      ...base.questions,
      {
        id: 'contact',
        type: 'contact',
        text: text('May we contact you?', '我们可以联系您吗？'),
        consentText: text('Yes', '可以'),
      },
    ],
  };
};

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'rapport-erasure-'));
  const real = async () => (await import('../../functions/handlers/aggregator')).handler;
  rt = await startTestRuntime({
    dataDir,
    handlers: {
      aggregator: async (event: DynamoDBStreamEvent, context: Context) => {
        // Only the change of their record that brings the marker in (its removal by the erasure goes through).
        const poisoned = event.Records.some(
          (r) =>
            r.dynamodb?.NewImage?.SK?.S === 'PROFILE' &&
            JSON.stringify(r.dynamodb.NewImage).includes(POISON) &&
            !JSON.stringify(r.dynamodb?.OldImage ?? {}).includes(POISON),
        );
        if (poisoned) throw new Error('poisoned batch');
        return (await real())(event, context);
      },
    },
  });
  secret = await createIdentitySecret(rt);
  surveyId = await publishSurvey(rt, definition());
});

afterAll(async () => {
  await rt?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const admin = () => rt.tokens.admin;
const key = () => ({ 'idempotency-key': `erasure-${ulid()}` });

async function call(method: string, p: string, body?: unknown, expected = [200, 201, 204]): Promise<Body> {
  const res = await rt.request(method, p, { token: admin(), headers: key(), ...(body ? { body } : {}) });
  expect(expected, `${method} ${p}: ${res.text}`).toContain(res.status);
  return res.body as Body;
}

async function answer(answers: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
  const id = ulid();
  const sent = await rt.request('POST', `/v1/surveys/${surveyId}/responses`, {
    body: { id, surveyVersion: 1, locale: 'en', answers, ...extra },
    headers: { origin: SHOP },
  });
  expect(sent.status, sent.text).toBe(201);
  return id;
}

/** Where each needle is still found: table items (by key) and runtime files (by path). */
async function tracesOf(needles: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const dynamo = createLocalDynamoClient(rt.dynamoEndpoint);
  try {
    for (const item of await scanItems(dynamo, rt.tableName)) {
      const json = JSON.stringify(item);
      for (const needle of needles) if (json.includes(needle)) found.push(`item ${item.PK}/${item.SK}: ${needle}`);
    }
  } finally {
    dynamo.destroy();
  }
  for (const file of runtimeFiles(dataDir)) {
    const content = readFileSync(file, 'utf8');
    for (const needle of needles) if (content.includes(needle)) found.push(`file ${file}: ${needle}`);
  }
  return found;
}

/**
 * Every file the runtime keeps, except DynamoDB Local's own database: its table is what the scan above
 * reads, and beside it DynamoDB Local keeps the table's stream (24 hours of change records, as
 * DynamoDB Streams does in AWS; docs/operations.md "Erasure").
 */
function runtimeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'dynamodb' ? [] : runtimeFiles(full);
    return [full];
  });
}

describe.each([
  ['POST /v1/customers/{id}/erase', 'POST', (id: string) => `/v1/customers/${id}/erase`],
  ['DELETE /v1/customers/{id}', 'DELETE', (id: string) => `/v1/customers/${id}`],
] as const)('after %s, nothing anywhere identifies the person', (_label, method, erasePath) => {
  it('finds none of their identifiers in the table or the runtime’s files; the figures stay', async () => {
    const tag = ulid();
    const name = `Erase Me ${tag}`;
    const email = `erase.me.${tag.toLowerCase()}@example.cn`;
    const otherEmail = `old.address.${tag.toLowerCase()}@example.cn`;
    const phone = `+86137${String(Date.now()).slice(-8)}`;
    const qualityBefore = (await call('GET', '/v1/customers/quality')).total as number;

    // The person, and a duplicate of them (same name and company: one duplicate group) merged in later.
    const person = (await call('POST', '/v1/customers', { name, email, phone, company: 'Gone Ltd' })).id as string;
    const duplicate = (await call('POST', '/v1/customers', { name, email: otherEmail, company: 'Gone Ltd' }))
      .id as string;
    await rt.drainStream();
    const groups = (await call('GET', '/v1/customers/quality')).duplicateCandidates as Body[];
    expect(groups.map((g) => g.customerIds)).toContainEqual([person, duplicate].sort());

    // Their answers: linked (signed), never linked (their e-mail as contact), merely claiming their id.
    const linked = await answer(
      { overall: 1, nps: 0, comment: `call me on ${phone}`, contact: { email, consent: true } },
      {
        ...signedIdentity(secret, person),
        page: `https://shop.example.com/account?email=${encodeURIComponent(email)}#${encodeURIComponent(name)}`,
        metadata: { account: email },
      },
    );
    await answer({ overall: 4, comment: `this is ${name}` }, signedIdentity(secret, duplicate));
    const unlinked = await answer({ overall: 2, nps: 3, comment: `${name} here`, contact: { email, consent: true } });
    await answer({ overall: 5, comment: 'old address' }, { email: otherEmail });
    await answer({ overall: 3, comment: 'claiming to be them' }, { customerId: person });
    await rt.drainStream();

    // Staff write about them on the follow-ups (the second note names them by name only).
    await call('PATCH', `/v1/followups/${surveyId}-${linked}`, {
      note: `Called ${name} on ${phone}`,
      assignee: `${name}'s manager`,
    });
    await call('PATCH', `/v1/followups/${surveyId}-${unlinked}`, {
      note: `Wrote back to ${name}`,
      status: 'contacted',
    });
    await call('POST', `/v1/customers/${person}/merge`, { duplicateId: duplicate });
    // An import whose kept report names them: a row updating them, and a row refused because it would
    // give their phone to someone else (the reason names the phone and its owner).
    const someoneElse = `someone.${tag.toLowerCase()}@example.cn`;
    await call('POST', '/v1/customers', { name: 'Someone Else', email: someoneElse });
    const imported = (await call('POST', '/v1/customers/import', [
      { email, segment: 'vip' },
      { email: someoneElse, phone },
    ])) as Body;
    expect(imported.summary).toMatchObject({ updated: 1, rejected: 1 });
    await rt.drainStream();
    // A change of their record whose stream batch fails until it is dead-lettered.
    const letteredBefore = rt.stats.deadLettered;
    await call('PATCH', `/v1/customers/${person}`, { attributes: { marker: POISON } });
    // The batch may be given up on before or during a drain: wait for the letter, then for the stream.
    for (const deadline = Date.now() + 30_000; rt.stats.deadLettered === letteredBefore; ) {
      if (Date.now() > deadline) throw new Error('the poisoned batch was never dead-lettered');
      await new Promise((r) => setTimeout(r, 50));
    }
    await rt.drainStream().catch(() => rt.drainStream());
    expect(readFileSync(path.join(dataDir, 'stream-dlq.jsonl'), 'utf8')).not.toBe('');

    const needles = [person, duplicate, email, otherEmail, phone, name];
    // Control: before the erasure, every one of them is found.
    const before = await tracesOf(needles);
    for (const needle of needles)
      expect(
        before.some((t) => t.endsWith(`: ${needle}`)),
        needle,
      ).toBe(true);
    const reportBefore = (await call('GET', `/v1/surveys/${surveyId}/report`)).counts as Body;

    const erased = await rt.request(method, erasePath(person), { token: admin(), headers: key() });
    expect(erased.status, erased.text).toBe(method === 'DELETE' ? 204 : 200);
    await rt.drainStream();

    expect(await tracesOf(needles)).toEqual([]);
    expect((await call('GET', `/v1/surveys/${surveyId}/report`)).counts).toEqual(reportBefore);
    expect((await call('GET', '/v1/customers/quality')).total).toBe(qualityBefore + 1);
    expect((await rt.request(method, erasePath(person), { token: admin() })).status).toBe(404);
  }, 120_000);
});

describe('page URLs', () => {
  it('are stored without query string and fragment unless the survey keeps them', async () => {
    const page = 'https://shop.example.com/orders/42?email=someone%40example.cn&t=secret#details';
    const stripped = await answer({ overall: 4 }, { page });
    const keeping = await publishSurvey(rt, {
      ...definition(),
      delivery: { ...definition().delivery, keepPageQuery: true },
    });
    const keptId = ulid();
    const kept = await rt.request('POST', `/v1/surveys/${keeping}/responses`, {
      body: { id: keptId, surveyVersion: 1, locale: 'en', answers: { overall: 4 }, page },
      headers: { origin: SHOP },
    });
    expect(kept.status, kept.text).toBe(201);
    const dynamo = createLocalDynamoClient(rt.dynamoEndpoint);
    try {
      const items = await scanItems(dynamo, rt.tableName);
      expect(items.find((i) => i.SK === stripped)?.page).toBe('https://shop.example.com/orders/42');
      expect(items.find((i) => i.SK === keptId)?.page).toBe(page);
    } finally {
      dynamo.destroy();
    }
  });
});
