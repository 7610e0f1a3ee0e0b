/**
 * The per-survey submission budget in DynamoDB: a counter per survey, minute and shard (the response
 * id picks the shard), incremented only while under the shard's share of the budget. The counters
 * expire after an hour.
 */
import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SubmissionLimiter, Take } from '../../domain/surveys/submission-limiter';
import { rethrow } from './errors';
import { LIMIT_SHARDS, limitKeys } from './keys';

export class DynamoSubmissionLimiter implements SubmissionLimiter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async take(surveyId: string, perMinute: number, spreadKey: string): Promise<Take> {
    const now = this.now();
    const minute = now.toISOString().slice(0, 16);
    const shard = (createHash('sha256').update(spreadKey).digest()[0] ?? 0) % LIMIT_SHARDS;
    const retryAfterSeconds = 60 - now.getUTCSeconds();
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: limitKeys.item(surveyId, shard, minute),
          UpdateExpression: 'ADD n :one SET entity = :entity, expiresAt = if_not_exists(expiresAt, :expires)',
          ConditionExpression: 'attribute_not_exists(n) OR n < :cap',
          ExpressionAttributeValues: {
            ':one': 1,
            ':entity': 'limit',
            ':expires': Math.floor(now.getTime() / 1000) + 3600,
            ':cap': Math.ceil(perMinute / LIMIT_SHARDS),
          },
        }),
      );
      return { allowed: true };
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return { allowed: false, retryAfterSeconds };
      rethrow(err);
    }
  }
}
