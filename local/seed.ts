/**
 * Seeds the demo data once per database. Records are created through the gateway with an admin
 * token — the same route, validation and handler a person would use — so the seed never depends on
 * how the domain lays out its items. A marker item records that seeding finished; it is written only
 * after every request succeeded, so a seed that failed (e.g. a handler not written yet) is retried
 * on the next start.
 */
import { ConditionalCheckFailedException, type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { routes } from '../functions/routes';
import { demoSeedRequests, type SeedRequest } from './demo-data';

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
  const marker = await options.client.send(new GetItemCommand({ TableName: options.tableName, Key: SEED_MARKER_KEY, ConsistentRead: true }));
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
    warn(`${request.method} ${request.path} (${request.label}) answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}; demo data is incomplete and will be retried on the next start`);
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
