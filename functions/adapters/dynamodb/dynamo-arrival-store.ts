/** Hourly arrival counts per survey (`ARRIVALS#<survey>` / `<yyyy-mm-ddThh>`), one key-range Query. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ArrivalStore } from '../../domain/surveys/arrival-store';
import { arrivalKeys } from './keys';
import { queryAll } from './query-all';

export class DynamoArrivalStore implements ArrivalStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hourly(surveyId: string, fromHour: string, toHour: string): Promise<Map<string, number>> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': arrivalKeys.partition(surveyId), ':from': fromHour, ':to': toHour },
    });
    return new Map(items.map((i) => [String(i.SK), typeof i.n === 'number' ? i.n : 0]));
  }
}
