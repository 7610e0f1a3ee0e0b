/**
 * DynamoDB Local killed (SIGKILL, no warning) and restarted in the middle of a run of submissions,
 * with the data on disk. Clients retry like the widget does — the same id and body until a 201 is
 * acknowledged, with capped exponential backoff — and afterwards every acknowledged answer is stored
 * exactly once, and the report's counts equal a recount of what is stored.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AttributeValue, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb-local';
import { findFreePort } from '../../local/free-port';
import { createLocalDynamoClient } from '../../local/local-env';
import { startTestRuntime, type TestRuntime } from '../integration/harness';
import { publishSurvey, responseId, SHOP } from '../support/route-fixtures';

let rt: TestRuntime;
let dataDir: string;
let dynamoPort: number;
let restarted: DynamoDbLocal | undefined;
let surveyId: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-restart-'));
  dynamoPort = await findFreePort();
  rt = await startTestRuntime({
    dataDir,
    dynamoPort,
    stream: { pollIntervalMs: 50, retryBaseMs: 50, maxAttempts: 10 },
  });
  surveyId = await publishSurvey(rt);
});

afterAll(async () => {
  await rt?.stop();
  await restarted?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** The pid of the DynamoDB Local JVM serving this test's data directory (and only that one). */
function dynamoPid(): number {
  const mine: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (
        cmdline.some((a) => a.includes('DynamoDBLocal')) &&
        cmdline.includes(String(dynamoPort)) &&
        cmdline.some((a) => a.startsWith(dataDir))
      )
        mine.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  expect(mine, 'exactly one DynamoDB Local serves this data directory').toHaveLength(1);
  return mine[0]!;
}

interface Outcome {
  readonly id: string;
  readonly acknowledged: boolean;
  readonly attempts: number;
  readonly statuses: number[];
}

/** The widget's delivery loop: same id and body until a 201, backoff 100 ms × 2^n capped at 1.6 s, with jitter; bounded. */
async function deliver(body: Record<string, unknown>): Promise<Outcome> {
  const statuses: number[] = [];
  const deadline = Date.now() + 40_000;
  for (let attempt = 1; attempt <= 25 && Date.now() < deadline; attempt++) {
    let status = 0;
    try {
      const response = await rt.request('POST', `/v1/surveys/${surveyId}/responses`, {
        body,
        headers: { origin: SHOP },
      });
      status = response.status;
    } catch {
      status = -1; // the connection itself failed
    }
    statuses.push(status);
    if (status === 201) return { id: body.id as string, acknowledged: true, attempts: attempt, statuses };
    // Anything but "try again later" would be a bug for a valid answer (and is asserted below).
    if (status !== 503 && status !== -1) break;
    await sleep(Math.min(1600, 100 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2));
  }
  return { id: body.id as string, acknowledged: false, attempts: statuses.length, statuses };
}

describe('DynamoDB Local killed and restarted mid-run', () => {
  it('every acknowledged answer is stored exactly once, and the report equals a recount', async () => {
    const TOTAL = 36;
    const bodies = Array.from({ length: TOTAL }, (_, i) => ({
      id: responseId(),
      surveyVersion: 1,
      locale: 'en',
      answers: { overall: (i % 5) + 1, nps: i % 11, ...(i % 4 === 0 ? { comment: `restart comment ${i}` } : {}) },
    }));
    let killedAt = 0;
    let downFor = 0;
    const chaos = (async () => {
      // Let some answers through, then pull the plug without warning, and bring it back on the same files.
      await sleep(400);
      const pid = dynamoPid();
      killedAt = Date.now();
      process.kill(pid, 'SIGKILL');
      await sleep(1500);
      restarted = await startDynamoDbLocal({ port: dynamoPort, dbPath: path.join(dataDir, 'dynamodb') });
      downFor = Date.now() - killedAt;
    })();
    // Four clients at a time, each sending its answers one after another.
    const clients = Array.from({ length: 4 }, async (_, c) => {
      const mine: Outcome[] = [];
      for (let i = c; i < TOTAL; i += 4) {
        mine.push(await deliver(bodies[i]!));
        await sleep(30);
      }
      return mine;
    });
    const results = (await Promise.all(clients)).flat();
    await chaos;
    expect(killedAt).toBeGreaterThan(0);
    expect(downFor).toBeGreaterThan(1000);

    // Some answers had to be retried across the outage; all of them got through in the end.
    const retried = results.filter((r) => r.attempts > 1);
    expect(retried.length, 'answers retried across the outage').toBeGreaterThan(0);
    for (const r of results) {
      expect(
        r.statuses.every((s) => s === 201 || s === 503 || s === -1),
        `${r.id}: ${r.statuses.join(',')}`,
      ).toBe(true);
    }
    const acknowledged = results
      .filter((r) => r.acknowledged)
      .map((r) => r.id)
      .sort();
    expect(acknowledged).toHaveLength(TOTAL);

    // Stored exactly once: the response items of this survey are exactly the acknowledged ids.
    const dynamo = createLocalDynamoClient(rt.dynamoEndpoint);
    try {
      const stored: Record<string, unknown>[] = [];
      let startKey: Record<string, AttributeValue> | undefined;
      for (let page = 0; page < 100; page++) {
        const scan = await dynamo.send(
          new ScanCommand({
            TableName: rt.tableName,
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
            FilterExpression: 'begins_with(PK, :p)',
            ExpressionAttributeValues: { ':p': { S: `RESPONSES#${surveyId}#` } },
          }),
        );
        stored.push(...(scan.Items ?? []).map((i) => unmarshall(i)));
        startKey = scan.LastEvaluatedKey;
        if (!startKey) break;
      }
      expect(stored.map((s) => s.SK as string).sort()).toEqual(acknowledged);

      // The stream has delivered everything (including what was written around the outage).
      await rt.drainStream({ timeoutMs: 30_000 });
      const recount = {
        responses: stored.length,
        detractors: stored.filter((s) => (s.facts as { detractor: boolean }).detractor).length,
        comments: stored.filter((s) => (s.facts as { textIds: string[] }).textIds.length > 0).length,
      };
      const report = await rt.request('GET', `/v1/surveys/${surveyId}/report`, { token: rt.tokens.analyst });
      expect(report.status, report.text).toBe(200);
      expect((report.body as { counts: unknown }).counts).toMatchObject(recount);
      // And each response's effects were applied exactly once: one applied-marker per stored response.
      let markers = 0;
      for (const s of stored) {
        const marker = await dynamo.send(
          new QueryCommand({
            TableName: rt.tableName,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': { S: `APPLIED#RESP#${surveyId}#${s.SK as string}` } },
            ConsistentRead: true,
          }),
        );
        markers += marker.Count ?? 0;
      }
      expect(markers).toBe(stored.length);
      // eslint-disable-next-line no-console
      console.info(
        `[faults] dynamodb-restart: ${TOTAL} answers, ${retried.length} retried across a ${downFor} ms outage (${results.reduce((n, r) => n + r.attempts, 0)} attempts)`,
      );
    } finally {
      dynamo.destroy();
    }
  }, 90_000);
});
