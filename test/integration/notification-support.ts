/** Shared pieces of the notification integration tests: surveys, dated answers, the table's items. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ulid } from 'ulid';
import { createLocalDynamoClient } from '../../local/local-env';
import type { TestRuntime } from './harness';

export const SHOP = 'https://shop.example.com';
export const text = (en: string, zh: string) => ({ en, 'zh-CN': zh });
// biome-ignore lint/suspicious/noExplicitAny: response bodies are JSON the tests walk by property.
export type Body = Record<string, any>;

export const tempMailDir = () => mkdtempSync(path.join(tmpdir(), 'rapport-mail-'));

export function dayShift(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export async function publish(rt: TestRuntime, definition: Record<string, unknown>): Promise<Body> {
  const created = await rt.request('POST', '/v1/surveys', { token: rt.tokens.admin, body: definition });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${created.text}`);
  const survey = created.body as Body;
  const published = await rt.request('PUT', `/v1/surveys/${survey.id}`, {
    token: rt.tokens.admin,
    body: { ...definition, status: 'active' },
    headers: { 'if-match': `"${survey.revision}"` },
  });
  if (published.status !== 200) throw new Error(`publish: ${published.status} ${published.text}`);
  return published.body as Body;
}

/** Answers dated on `day` (their ids carry the time), sent through the public API a few at a time. */
export async function answerOn(
  rt: TestRuntime,
  surveyId: string,
  day: string,
  answers: readonly { segment?: string; answers: Record<string, unknown> }[],
): Promise<void> {
  const base = Date.parse(`${day}T12:00:00Z`);
  const queue = answers.map((a, i) => ({ ...a, id: ulid(base + i * 1000) }));
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const response = await rt.request('POST', `/v1/surveys/${surveyId}/responses`, {
        body: {
          id: next.id,
          surveyVersion: 1,
          locale: 'en',
          answers: next.answers,
          ...(next.segment ? { segment: next.segment } : {}),
        },
        headers: { origin: SHOP },
      });
      if (response.status !== 201) throw new Error(`submit: ${response.status} ${response.text}`);
    }
  };
  await Promise.all(Array.from({ length: 12 }, worker));
}

/** Items of one partition, read straight from DynamoDB Local. */
export async function partitionItems(rt: TestRuntime, pk: string): Promise<Body[]> {
  const db = createLocalDynamoClient(rt.dynamoEndpoint);
  try {
    const out = await db.send(
      new QueryCommand({
        TableName: rt.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': { S: pk } },
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map((i) => unmarshall(i) as Body);
  } finally {
    db.destroy();
  }
}
