/**
 * GDPR erasure leaves no personal data behind anywhere in the table — not in the customer's record,
 * its guards, its responses' links, its follow-ups, nor in the bookkeeping around writes (the
 * Idempotency-Key records that replay a write's response for 24 hours).
 */
import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDynamoClient } from '../../local/local-env';
import { startTestRuntime, type TestRuntime } from '../integration/harness';
import { responseId, SHOP, surveyDefinition, validSubmission } from '../support/route-fixtures';

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
});

afterAll(async () => {
  await rt?.stop();
});

async function itemsContaining(needles: readonly string[]): Promise<string[]> {
  const dynamo = createLocalDynamoClient(rt.dynamoEndpoint);
  const found: string[] = [];
  try {
    let startKey: Record<string, AttributeValue> | undefined;
    for (let page = 0; page < 200; page++) {
      const result = await dynamo.send(
        new ScanCommand({ TableName: rt.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
      );
      for (const item of result.Items ?? []) {
        const text = JSON.stringify(item);
        for (const needle of needles)
          if (text.includes(needle)) found.push(`${item.PK?.S}/${item.SK?.S} contains ${needle}`);
      }
      startKey = result.LastEvaluatedKey;
      if (!startKey) break;
    }
  } finally {
    dynamo.destroy();
  }
  return found;
}

describe('after erasing a customer', () => {
  const tag = responseId().toLowerCase();
  const email = `erase.me.${tag}@example.cn`;
  const phone = '+8613700137999';
  const name = `Erase Me ${tag}`;

  async function customerWithHistory(idempotencyKey?: string) {
    const created = await rt.request('POST', '/v1/customers', {
      token: rt.tokens.admin,
      body: { name, email, phone, company: 'Gone Ltd' },
      ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey } } : {}),
    });
    expect(created.status, created.text).toBe(201);
    const id = (created.body as { id: string }).id;
    const survey = await rt.request('POST', '/v1/surveys', { token: rt.tokens.admin, body: surveyDefinition() });
    const surveyId = (survey.body as { id: string }).id;
    await rt.request('PUT', `/v1/surveys/${surveyId}`, {
      token: rt.tokens.admin,
      body: { ...surveyDefinition(), status: 'active' },
      headers: { 'if-match': `"${(survey.body as { revision: number }).revision}"` },
    });
    const answer = await rt.request('POST', `/v1/surveys/${surveyId}/responses`, {
      body: validSubmission({ answers: { overall: 1, nps: 1 }, customerId: id }),
      headers: { origin: SHOP },
    });
    expect(answer.status, answer.text).toBe(201);
    await rt.drainStream();
    return id;
  }

  it('no item holds its e-mail, phone or name (control: before erasure, they are found)', async () => {
    const id = await customerWithHistory();
    expect((await itemsContaining([email, phone, name])).length).toBeGreaterThan(0);
    const erased = await rt.request('POST', `/v1/customers/${id}/erase`, { token: rt.tokens.admin });
    expect(erased.status, erased.text).toBe(200);
    await rt.drainStream();
    expect(await itemsContaining([email, phone, name, id])).toEqual([]);
  });

  // The Idempotency-Key record of the create keeps the 201 body (name, e-mail, phone): erasure finds
  // it under the customer and removes it.
  it('not even the Idempotency-Key record of its creation', async () => {
    const key = `create-${tag}`;
    const id = await customerWithHistory(key);
    const erased = await rt.request('POST', `/v1/customers/${id}/erase`, { token: rt.tokens.admin });
    expect(erased.status, erased.text).toBe(200);
    await rt.drainStream();
    expect(await itemsContaining([email, phone, name])).toEqual([]);
  });
});
