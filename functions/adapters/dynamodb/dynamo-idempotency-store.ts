/** Idempotency records (`IDEMPOTENCY#<scope>#<key>`), kept 24 hours by TTL. */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Begin, IdempotencyStore, StoredOutcome } from '../../ports/idempotency-store';
import { guarded, rethrow } from './errors';
import { customerPartition, idempotencyKeys } from './keys';
import { queryAll } from './query-all';

const KEEP_SECONDS = 24 * 3600;

export class DynamoIdempotencyStore implements IdempotencyStore {
  /**
   * @param lockSeconds how long a claim belongs to its attempt: longer than a request may run (its
   * deadline), so a live attempt is never taken over; after that a retry may take over a claim whose
   * attempt ended without an outcome.
   */
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly lockSeconds = 60,
    private readonly nowMs: () => number = () => Date.now(),
  ) {}

  async begin(scope: string, key: string, fingerprint: string): Promise<Begin> {
    const nowMs = this.nowMs();
    const now = Math.floor(nowMs / 1000);
    try {
      // A new claim, or the takeover of a stale one: either way the first attempt's time is kept.
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: idempotencyKeys.item(scope, key),
          UpdateExpression:
            'SET entity = :entity, fingerprint = :fp, #state = :progress, lockedUntil = :until, expiresAt = if_not_exists(expiresAt, :expires), claimedAt = if_not_exists(claimedAt, :nowMs)',
          ConditionExpression:
            'attribute_not_exists(PK) OR (#state = :progress AND lockedUntil < :now AND fingerprint = :fp)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':entity': 'idempotency',
            ':fp': fingerprint,
            ':progress': 'in-progress',
            ':until': now + this.lockSeconds,
            ':expires': now + KEEP_SECONDS,
            ':now': now,
            ':nowMs': nowMs,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { state: 'new', claimedAt: typeof Attributes?.claimedAt === 'number' ? Attributes.claimedAt : nowMs };
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') rethrow(err);
    }
    const { Item } = await guarded(() =>
      this.db.send(
        new GetCommand({ TableName: this.tableName, Key: idempotencyKeys.item(scope, key), ConsistentRead: true }),
      ),
    );
    if (!Item) return this.begin(scope, key, fingerprint);
    if (typeof Item.expiresAt === 'number' && Item.expiresAt < now) {
      // Past its expiry it counts as gone: DynamoDB's TTL deletes it only eventually (typically within
      // a couple of days), and a key is kept for 24 hours, not until then.
      await this.forgetExpired(scope, key, Item.expiresAt);
      return this.begin(scope, key, fingerprint);
    }
    if (Item.fingerprint !== fingerprint) return { state: 'mismatch' };
    if (Item.state === 'complete') return { state: 'replay', outcome: Item.outcome as StoredOutcome };
    const lockedUntil = typeof Item.lockedUntil === 'number' ? Item.lockedUntil : now;
    return { state: 'in-progress', retryAfterSeconds: Math.max(1, lockedUntil - now + 1) };
  }

  async complete(scope: string, key: string, outcome: StoredOutcome, customerId?: string): Promise<void> {
    // Linked under the customer (GSI1), so erasing the customer finds and erases the kept outcome; and
    // listed by time (GSI2), so erasure also finds outcomes that hold a person's values without being
    // about them (an import report naming their e-mail).
    const link = customerId ? idempotencyKeys.byCustomer(customerId, scope, key) : undefined;
    const byTime = idempotencyKeys.byTime(new Date(this.nowMs()).toISOString(), scope, key);
    await guarded(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: idempotencyKeys.item(scope, key),
          UpdateExpression: `SET #state = :complete, outcome = :outcome, GSI2PK = :outcomes, GSI2SK = :at${link ? ', GSI1PK = :customer, GSI1SK = :sk' : ''} REMOVE lockedUntil`,
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':complete': 'complete',
            ':outcome': outcome,
            ':outcomes': byTime.GSI2PK,
            ':at': byTime.GSI2SK,
            ...(link ? { ':customer': link.GSI1PK, ':sk': link.GSI1SK } : {}),
          },
        }),
      ),
    );
  }

  /**
   * Erasure: the kept outcomes about this customer (linked under them), and every other outcome still
   * kept (at most a day's) whose headers or body hold one of the person's values (id, e-mail, phone).
   */
  async forget(person: { customerId: string; values: readonly string[] }): Promise<number> {
    const linked = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': customerPartition(person.customerId),
        ':prefix': idempotencyKeys.customerPrefix,
      },
    });
    const since = new Date(this.nowMs() - (KEEP_SECONDS + 3600) * 1000).toISOString();
    const recent = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK >= :since',
      ExpressionAttributeValues: { ':pk': idempotencyKeys.outcomesPartition, ':since': since },
    });
    // Values appear in bodies as JSON strings (escaped) and in headers as they are.
    const needles = person.values.flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]);
    const holding = recent.filter((item) => {
      const outcome = (item.outcome ?? {}) as Partial<StoredOutcome>;
      const text = `${outcome.body ?? ''}\n${Object.values(outcome.headers ?? {}).join('\n')}`;
      return needles.some((n) => n !== '' && text.includes(n));
    });
    const keys = new Map([...linked, ...holding].map((item) => [`${item.PK}\u0000${item.SK}`, item]));
    for (const item of keys.values()) {
      await guarded(() =>
        this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { PK: item.PK, SK: item.SK } })),
      );
    }
    return keys.size;
  }

  private async forgetExpired(scope: string, key: string, expiresAt: number): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: idempotencyKeys.item(scope, key),
          ConditionExpression: 'expiresAt = :expiresAt',
          ExpressionAttributeValues: { ':expiresAt': expiresAt },
        }),
      );
    } catch (err) {
      // Someone else removed or renewed it meanwhile: the next attempt sees what is there now.
      if ((err as Error).name !== 'ConditionalCheckFailedException') rethrow(err);
    }
  }

  async abandon(scope: string, key: string): Promise<void> {
    await guarded(() =>
      this.db.send(new DeleteCommand({ TableName: this.tableName, Key: idempotencyKeys.item(scope, key) })),
    );
  }
}
