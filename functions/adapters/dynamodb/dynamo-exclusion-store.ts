/** Abuse exclusions of a survey (`EXCLUSION#<survey>` / `<exclusion id>`): the record of who excluded what. */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Exclusion, ExclusionStore } from '../../domain/surveys/exclusion';
import { guarded, rethrow } from './errors';
import { exclusionKeys } from './keys';
import { queryAll } from './query-all';

function fromItem(item: Record<string, unknown>): Exclusion {
  const { PK: _p, SK: _s, entity: _e, ...rest } = item;
  return rest as unknown as Exclusion;
}

export class DynamoExclusionStore implements ExclusionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putOnce(exclusion: Exclusion): Promise<Exclusion> {
    const key = exclusionKeys.item(exclusion.surveyId, exclusion.id);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, entity: 'exclusion', ...exclusion },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return exclusion;
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') rethrow(err);
    }
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    return Item ? fromItem(Item) : exclusion;
  }

  async update(exclusion: Exclusion): Promise<void> {
    await guarded(() =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...exclusionKeys.item(exclusion.surveyId, exclusion.id), entity: 'exclusion', ...exclusion },
        }),
      ),
    );
  }

  async list(surveyId: string): Promise<Exclusion[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': exclusionKeys.partition(surveyId) },
      ScanIndexForward: false,
    });
    return items.map(fromItem);
  }
}
