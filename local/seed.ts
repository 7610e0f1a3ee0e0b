/**
 * Seeds the demo data once per database. Records are created through the gateway with an admin
 * token — the same route, validation and handler a person would use — so the seed never depends on
 * how the domain lays out its items. A marker item records that seeding finished; it is written only
 * after every request succeeded, so a seed that failed (e.g. a handler not written yet) is retried
 * on the next start.
 */
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { routes } from '../functions/contracts/routes';
import { demoSeedRequests, demoSurvey, type SeedRequest } from './demo-data';
import { demoSubmissions } from './demo-responses';

export const SEED_MARKER_KEY = { PK: { S: 'SEED#demo' }, SK: { S: 'v1' } } as const;

export interface SeedOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly baseUrl: string;
  readonly adminToken: string;
  readonly requests?: readonly SeedRequest[];
  readonly log?: (message: string) => void;
  readonly warn?: (message: string) => void;
}

export type SeedOutcome = 'seeded' | 'already-seeded' | 'incomplete';

export async function seedDemoData(options: SeedOptions): Promise<SeedOutcome> {
  const log = options.log ?? (() => undefined);
  const warn = options.warn ?? ((message: string) => console.warn(`[seed] ${message}`));
  const marker = await options.client.send(
    new GetItemCommand({ TableName: options.tableName, Key: SEED_MARKER_KEY, ConsistentRead: true }),
  );
  if (marker.Item) return 'already-seeded';

  let complete = true;
  for (const request of options.requests ?? demoSeedRequests) {
    if (!routes.some((r) => r.method === request.method && r.path === request.path)) {
      warn(`skipped ${request.label}: the route table has no ${request.method} ${request.path}`);
      complete = false;
      continue;
    }
    const response = await fetch(`${options.baseUrl}${request.path}`, {
      method: request.method,
      headers: { authorization: `Bearer ${options.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(request.body),
    });
    const text = await response.text();
    // 409: created by an earlier, interrupted seed (e-mail and phone are unique).
    if (response.ok || response.status === 409) {
      log(`${request.label}: ${response.status}`);
      continue;
    }
    // One warning is enough: the other requests would fail the same way.
    warn(
      `${request.method} ${request.path} (${request.label}) answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}; demo data is incomplete and will be retried on the next start`,
    );
    complete = false;
    break;
  }
  if (!complete) return 'incomplete';

  try {
    await options.client.send(
      new PutItemCommand({
        TableName: options.tableName,
        Item: { ...SEED_MARKER_KEY, seededAt: { S: new Date().toISOString() } },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  return 'seeded';
}

export const DEMO_SURVEY_MARKER_KEY = { PK: { S: 'SEED#demo-survey' }, SK: { S: 'v1' } } as const;

/**
 * Creates and publishes the demo survey once and remembers its id, so the demo page can embed it
 * across restarts. Its allowed origins are the local runtime's own (the port it was first seeded on,
 * and 3000).
 */
export async function seedDemoSurvey(options: Omit<SeedOptions, 'requests'>): Promise<string | undefined> {
  const warn = options.warn ?? ((message: string) => console.warn(`[seed] ${message}`));
  const marker = await options.client.send(
    new GetItemCommand({ TableName: options.tableName, Key: DEMO_SURVEY_MARKER_KEY, ConsistentRead: true }),
  );
  const known = marker.Item?.surveyId?.S;
  const port = new URL(options.baseUrl).port;
  const origins = [...new Set([port, '3000'])].flatMap((p) => [`http://127.0.0.1:${p}`, `http://localhost:${p}`]);
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${options.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${options.adminToken}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 200)}`);
    return JSON.parse(text) as { id: string; revision: number; delivery: { allowedOrigins: string[] } } & Record<
      string,
      unknown
    >;
  };
  if (known) {
    // Started on another port than before: the demo page's origin must be allowed to answer.
    try {
      const survey = await call('GET', `/v1/surveys/${known}`);
      const missing = origins.filter((o) => !survey.delivery.allowedOrigins.includes(o));
      if (missing.length && survey.status === 'active') {
        const { name, locales, defaultLocale, title, thankYou, questions, delivery } = survey as unknown as Record<
          string,
          unknown
        > & { questions: Record<string, unknown>[] };
        await call('PUT', `/v1/surveys/${known}`, {
          name,
          locales,
          defaultLocale,
          title,
          thankYou,
          status: 'active',
          questions: questions.map(({ since: _since, ...q }) => q),
          delivery: {
            ...(delivery as object),
            allowedOrigins: [...survey.delivery.allowedOrigins, ...missing].slice(-20),
          },
        });
      }
    } catch (error) {
      warn(`the demo survey's allowed origins could not be updated: ${(error as Error).message}`);
    }
    return known;
  }
  try {
    const survey = demoSurvey(origins);
    const { id } = await call('POST', '/v1/surveys', survey);
    await call('PUT', `/v1/surveys/${id}`, { ...survey, status: 'active' });
    await options.client.send(
      new PutItemCommand({
        TableName: options.tableName,
        Item: { ...DEMO_SURVEY_MARKER_KEY, surveyId: { S: id }, seededAt: { S: new Date().toISOString() } },
      }),
    );
    return id;
  } catch (error) {
    warn(`the demo survey could not be created: ${(error as Error).message}`);
    return undefined;
  }
}

export const DEMO_RESPONSES_MARKER_KEY = { PK: { S: 'SEED#demo-responses' }, SK: { S: 'v1' } } as const;

/**
 * Four weeks of answers to the demo survey (see demo-responses.ts), once per database, through the
 * public submission route with the survey's own origin. Resent ids are stored once (submissions are
 * idempotent), so an interrupted seed simply runs again on the next start.
 */
export async function seedDemoResponses(
  options: Omit<SeedOptions, 'requests'>,
  surveyId: string,
): Promise<number | undefined> {
  const warn = options.warn ?? ((message: string) => console.warn(`[seed] ${message}`));
  const marker = await options.client.send(
    new GetItemCommand({ TableName: options.tableName, Key: DEMO_RESPONSES_MARKER_KEY, ConsistentRead: true }),
  );
  if (marker.Item) return undefined;
  const origin = new URL(options.baseUrl).origin;
  try {
    const view = await fetch(`${options.baseUrl}/v1/surveys/${surveyId}/widget`);
    const { version } = (await view.json()) as { version: number };
    const submissions = demoSubmissions(new Date());
    for (let i = 0; i < submissions.length; i += 8) {
      await Promise.all(
        submissions.slice(i, i + 8).map(async ({ body }) => {
          const response = await fetch(`${options.baseUrl}/v1/surveys/${surveyId}/responses`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin },
            body: JSON.stringify({ ...body, surveyVersion: version }),
          });
          if (response.status !== 201)
            throw new Error(`a demo answer was refused: ${response.status} ${await response.text()}`);
        }),
      );
    }
    await options.client.send(
      new PutItemCommand({
        TableName: options.tableName,
        Item: { ...DEMO_RESPONSES_MARKER_KEY, seededAt: { S: new Date().toISOString() } },
      }),
    );
    return submissions.length;
  } catch (error) {
    warn(`demo answers could not be sent: ${(error as Error).message}`);
    return undefined;
  }
}
