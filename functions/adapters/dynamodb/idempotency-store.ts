/** Idempotency records (`IDEMPOTENCY#<scope>#<key>`), kept 24 hours by TTL. */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Begin, IdempotencyStore, StoredOutcome } from '../../http/idempotency';
import { guarded, rethrow } from './errors';
import { idempotencyKeys } from './keys';
import { queryAll } from './query-all';

const KEEP_SECONDS = 24 * 3600;
/** A claim older than this is from a request that died: a retry may take it over. */
const LOCK_SECONDS = 60;

export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  private key(scope: string, key: string) {
    return idempotencyKeys.request(scope, key);
  }

  async begin(scope: string, key: string, fingerprint: string): Promise<Begin> {
    const now = this.now();
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...this.key(scope, key),
            entity: 'idempotency',
            fingerprint,
            state: 'in-progress',
            lockedUntil: now + LOCK_SECONDS,
            expiresAt: now + KEEP_SECONDS,
          },
          ConditionExpression:
            'attribute_not_exists(PK) OR (#state = :progress AND lockedUntil < :now AND fingerprint = :fp)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':progress': 'in-progress', ':now': now, ':fp': fingerprint },
        }),
      );
      return { state: 'new' };
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') rethrow(err);
    }
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: this.key(scope, key), ConsistentRead: true })),
    );
    if (!Item) return this.begin(scope, key, fingerprint);
    if (Item.fingerprint !== fingerprint) return { state: 'mismatch' };
    if (Item.state === 'complete') return { state: 'replay', outcome: Item.outcome as StoredOutcome };
    return { state: 'in-progress' };
  }

  async complete(scope: string, key: string, outcome: StoredOutcome, customerId?: string): Promise<void> {
    // Linked under the customer (GSI1), so erasing the customer finds and erases the kept outcome.
    const link = customerId ? ', GSI1PK = :customer, GSI1SK = :sk' : '';
    await guarded(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(scope, key),
          UpdateExpression: `SET #state = :complete, outcome = :outcome${link} REMOVE lockedUntil`,
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':complete': 'complete',
            ':outcome': outcome,
            ...(customerId ? { ':customer': `CUSTOMER#${customerId}`, ':sk': `IDEMPOTENCY#${scope}#${key}` } : {}),
          },
        }),
      ),
    );
  }

  /** Erasure: the kept outcomes that hold this customer's data. */
  async forgetCustomer(customerId: string): Promise<number> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
      ExpressionAttributeValues: { ':pk': `CUSTOMER#${customerId}`, ':prefix': 'IDEMPOTENCY#' },
    });
    for (const item of items) {
      await guarded(() =>
        this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { PK: item.PK, SK: item.SK } })),
      );
    }
    return items.length;
  }

  async abandon(scope: string, key: string): Promise<void> {
    await guarded(() => this.db.send(new DeleteCommand({ TableName: this.tableName, Key: this.key(scope, key) })));
  }
}
