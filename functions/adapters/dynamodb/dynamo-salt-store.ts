/**
 * Daily salts of the client hashes: created by the first submission of the day (a conditional put,
 * so concurrent first submissions agree on one), cached per container, and deleted by DynamoDB TTL
 * after `CLIENT_HASH_DAYS` — after which that day's hashes can no longer be recomputed from anything.
 */
import { randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { CLIENT_HASH_DAYS, type SaltStore } from '../../domain/surveys/client-fingerprint';
import { guarded, rethrow } from './errors';
import { saltKeys } from './keys';

export class DynamoSaltStore implements SaltStore {
  private cached: { day: string; salt: string } | undefined;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async saltFor(day: string): Promise<string> {
    if (this.cached?.day === day) return this.cached.salt;
    const key = saltKeys.item(day);
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    let salt = typeof Item?.salt === 'string' ? Item.salt : undefined;
    if (!salt) {
      const fresh = randomBytes(32).toString('base64url');
      const expiresAt = Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + (CLIENT_HASH_DAYS + 1) * 86_400;
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...key, entity: 'salt', salt: fresh, expiresAt },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
        salt = fresh;
      } catch (err) {
        if ((err as Error).name !== 'ConditionalCheckFailedException') rethrow(err);
        return this.saltFor(day);
      }
    }
    this.cached = { day, salt };
    return salt;
  }
}
