/**
 * Load (loopback only, bounded): public submissions at a fixed concurrency for a fixed time with
 * admin reads in parallel, then submissions alone (the stream still running), through the local runtime. Then the books must balance: stored responses
 * = acknowledged responses, and the report's count = a recount. Baseline: raw DynamoDB Local PutItem
 * from one process at the same concurrency — the floor any submission path on this machine pays.
 */

import { type AttributeValue, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import autocannon from 'autocannon';
import { ulid } from 'ulid';
import { createLocalDynamoClient } from '../local/local-env';
import type { Runtime } from '../local/runtime';
import { type LatencySummary, measure } from './stats';

export interface LoadResult {
  submissions: { requests: number; perSecond: number; p50: number; p99: number; non2xx: number; errors: number };
  /** Submissions with nothing else but the stream running: what the ≥ 0.7× target compares with the baseline. */
  submissionsOnly: { requests: number; perSecond: number; p50: number; p99: number; non2xx: number; errors: number };
  adminReads: { requests: number; perSecond: number; p50: number; p99: number; non2xx: number };
  acknowledged: number;
  stored: number;
  /** Stored but not acknowledged: requests in flight when a phase stopped (at most one per connection and phase). */
  inFlightAtStop: number;
  /** Every acknowledged answer stored exactly once, nothing stored that was never sent. */
  balanced: boolean;
  reported: number;
  baseline: LatencySummary;
}

const CONNECTIONS = 16;
const SECONDS = 15;
const SUBMISSIONS_ONLY_SECONDS = 10;
/** The survey fields a PUT takes (the rest of a GET is the server's: id, revision, version, dates). */
const DEFINITION_FIELDS = [
  'name',
  'locales',
  'defaultLocale',
  'title',
  'thankYou',
  'questions',
  'delivery',
  'notifications',
  'targeting',
];

/**
 * The demo survey's budget (600 answers a minute) would refuse most of this load with 429s, which are
 * cheaper than real submissions: the load is measured against the largest budget a survey may have.
 */
async function raiseBudget(runtime: Runtime, surveyId: string): Promise<void> {
  const url = `${runtime.url}/v1/surveys/${surveyId}`;
  const current = await fetch(url, { headers: { authorization: `Bearer ${runtime.tokens.admin}` } });
  const survey = (await current.json()) as Record<string, unknown> & { delivery: Record<string, unknown> };
  const body = Object.fromEntries(Object.entries(survey).filter(([k]) => DEFINITION_FIELDS.includes(k)));
  // `since` (the version a question's series starts at) is the server's too.
  body.questions = (survey.questions as Record<string, unknown>[]).map(({ since: _since, ...question }) => question);
  const res = await fetch(url, {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${runtime.tokens.admin}`,
      'content-type': 'application/json',
      'if-match': current.headers.get('etag') ?? '',
    },
    body: JSON.stringify({
      ...body,
      status: 'active',
      delivery: { ...survey.delivery, maxResponsesPerMinute: 100_000 },
    }),
  });
  if (res.status !== 200) throw new Error(`raising the demo survey's budget failed: ${res.status} ${await res.text()}`);
  // The public function caches a survey for 5 s.
  await new Promise((resolve) => setTimeout(resolve, 6000));
}

export async function benchLoad(runtime: Runtime): Promise<LoadResult> {
  const surveyId = runtime.demoSurveyId;
  if (!surveyId) throw new Error('the load bench needs the seeded demo survey (startRuntime({ seed: true }))');
  const origin = new URL(runtime.url).origin;
  await raiseBudget(runtime, surveyId);
  const widget = (await (await fetch(`${runtime.url}/v1/surveys/${surveyId}/widget`)).json()) as { version: number };
  const acknowledged = new Set<string>();
  const sent = new Set<string>();

  const submit = (duration: number) =>
    autocannon({
      url: runtime.url,
      connections: CONNECTIONS,
      duration,
      requests: [
        {
          method: 'POST',
          path: `/v1/surveys/${surveyId}/responses`,
          headers: { 'content-type': 'application/json', origin },
          setupRequest: (request) => {
            const score = 1 + Math.floor(Math.random() * 5);
            const id = ulid();
            sent.add(id);
            return {
              ...request,
              body: JSON.stringify({
                id,
                surveyVersion: widget.version,
                locale: 'en',
                answers: { overall: score, nps: score * 2, channel: 'web' },
              }),
            };
          },
          onResponse: (status, body) => {
            if (status === 201) acknowledged.add((JSON.parse(body) as { id: string }).id);
          },
        },
      ],
    });
  const submissions = submit(SECONDS);
  const reads = autocannon({
    url: runtime.url,
    connections: 4,
    duration: SECONDS,
    headers: { authorization: `Bearer ${runtime.tokens.analyst}` },
    requests: [
      { method: 'GET', path: `/v1/surveys/${surveyId}/report` },
      { method: 'GET', path: '/v1/customers?limit=50' },
    ],
  });
  const [s, r] = await Promise.all([submissions, reads]);
  await runtime.drainStream({ timeoutMs: 120_000 });
  // The target's numerator: submissions alone, the stream's aggregation and fan-out running (the
  // baseline has no admin reads beside it either).
  const alone = await submit(SUBMISSIONS_ONLY_SECONDS);
  await runtime.drainStream({ timeoutMs: 120_000 });
  const dynamo = createLocalDynamoClient(runtime.dynamoEndpoint);
  const storedIds: string[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({
        TableName: runtime.tableName,
        FilterExpression: 'begins_with(PK, :p)',
        ExpressionAttributeValues: { ':p': { S: `RESPONSES#${surveyId}#` } },
        ProjectionExpression: 'SK',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) storedIds.push(item.SK!.S!);
    start = page.LastEvaluatedKey;
  } while (start);
  const stored = new Set(storedIds);
  const notStored = [...acknowledged].filter((id) => !stored.has(id));
  const neverSent = storedIds.filter((id) => !sent.has(id));
  const inFlightAtStop = storedIds.filter((id) => !acknowledged.has(id)).length;
  const balanced =
    storedIds.length === stored.size &&
    notStored.length === 0 &&
    neverSent.length === 0 &&
    inFlightAtStop <= 2 * CONNECTIONS;
  const report = (await (
    await fetch(`${runtime.url}/v1/surveys/${surveyId}/report`, {
      headers: { authorization: `Bearer ${runtime.tokens.analyst}` },
    })
  ).json()) as { counts: { responses: number } };

  const baseline = await measure(Math.max(1000, Math.round(alone.requests.average * 5)), CONNECTIONS, async () => {
    await dynamo.send(
      new PutItemCommand({
        TableName: runtime.tableName,
        Item: { PK: { S: `BENCH#raw#${ulid()}` }, SK: { S: 'x' }, n: { N: '1' } },
      }),
    );
  });
  dynamo.destroy();

  return {
    submissions: {
      requests: s.requests.total,
      perSecond: s.requests.average,
      p50: s.latency.p50,
      p99: s.latency.p99,
      non2xx: s.non2xx,
      errors: s.errors,
    },
    submissionsOnly: {
      requests: alone.requests.total,
      perSecond: alone.requests.average,
      p50: alone.latency.p50,
      p99: alone.latency.p99,
      non2xx: alone.non2xx,
      errors: alone.errors,
    },
    adminReads: {
      requests: r.requests.total,
      perSecond: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      non2xx: r.non2xx,
    },
    acknowledged: acknowledged.size,
    stored: storedIds.length,
    inFlightAtStop,
    balanced,
    reported: report.counts.responses,
    baseline,
  };
}
