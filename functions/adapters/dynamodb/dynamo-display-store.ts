/**
 * Funnel events in the table: one conditional put per (display id, event), removed by TTL later; a
 * dismissal reads whether its display is recorded (a read, so the common case costs no second write).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DISPLAY_RETENTION_DAYS, type DisplayStore, type SurveyDisplay } from '../../domain/surveys/display';
import { rethrow } from './errors';
import { displayKeys } from './keys';

export function toDisplayItem(d: SurveyDisplay): Record<string, unknown> {
  return {
    ...displayKeys.item(d.surveyId, d.day, d.id, d.event),
    entity: 'display',
    ...d,
    expiresAt: Math.floor(Date.parse(`${d.day}T00:00:00Z`) / 1000) + DISPLAY_RETENTION_DAYS * 86_400,
  };
}

export function fromDisplayItem(item: Record<string, unknown>): SurveyDisplay {
  const { PK: _pk, SK: _sk, entity: _e, expiresAt: _x, ...rest } = item;
  return rest as unknown as SurveyDisplay;
}

export class DynamoDisplayStore implements DisplayStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putOnce(display: SurveyDisplay) {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toDisplayItem(display),
          ConditionExpression: 'attribute_not_exists(PK)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { created: true as const };
    } catch (err) {
      const e = err as Error & { Item?: Record<string, AttributeValue> };
      if (e.name === 'ConditionalCheckFailedException' && e.Item) {
        return { created: false as const, existing: fromDisplayItem(unmarshall(e.Item)) };
      }
      return rethrow(err);
    }
  }

  async find(display: Pick<SurveyDisplay, 'surveyId' | 'day' | 'id' | 'event'>) {
    try {
      const { Item } = await this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: displayKeys.item(display.surveyId, display.day, display.id, display.event),
          // A `shown` put a moment ago must be seen, or the dismissal would put it again (a wasted write).
          ConsistentRead: true,
        }),
      );
      return Item ? fromDisplayItem(Item) : undefined;
    } catch (err) {
      return rethrow(err);
    }
  }
}
