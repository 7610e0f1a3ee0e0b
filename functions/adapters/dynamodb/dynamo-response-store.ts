/**
 * Survey responses in DynamoDB: one item per response in a per-survey, per-day partition
 * (`RESPONSES#<survey>#<day>` / `<id>`), written with one conditional put. Linked responses carry a
 * GSI1 key under their customer.
 */

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ValidationError } from '../../domain/errors';
import type { SurveyResponse } from '../../domain/surveys/response';
import type { DayRangeQuery, ResponsePage, ResponseStore } from '../../domain/surveys/response-store';
import { decodeCursor, encodeCursor } from './cursor';
import { guarded, rethrow } from './errors';
import { customerPartition, responseKeys } from './keys';

const DAY_MS = 86_400_000;
/** Queries per request: empty day partitions are cheap, but a request must end. */
const MAX_PAGES = 100;

export function fromResponseItem(item: Record<string, unknown>): SurveyResponse {
  const { PK: _pk, SK: _sk, GSI1PK: _a, GSI1SK: _b, entity: _e, ...rest } = item;
  return rest as unknown as SurveyResponse;
}

export function toResponseItem(r: SurveyResponse): Record<string, unknown> {
  return {
    ...responseKeys.response(r.surveyId, r.day, r.id),
    ...(r.customerId ? responseKeys.byCustomer(r.customerId, r.receivedAt, r.id) : {}),
    entity: 'response',
    ...r,
  };
}

interface RangeCursor {
  day: string;
  after?: string;
}

const isRangeCursor = (v: unknown): v is RangeCursor =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as RangeCursor).day === 'string' &&
  /^\d{4}-\d{2}-\d{2}$/.test((v as RangeCursor).day) &&
  ((v as RangeCursor).after === undefined ||
    (typeof (v as RangeCursor).after === 'string' && /^[A-Za-z0-9-]{1,64}$/.test((v as RangeCursor).after!)));

/** Where a customer's response list stopped: the response's table key and index sort key. */
interface CustomerCursor {
  pk: string;
  sk: string;
  after: string;
}
const isCustomerCursor = (v: unknown): v is CustomerCursor =>
  typeof v === 'object' &&
  v !== null &&
  responseKeys.partitionPattern.test(String((v as CustomerCursor).pk)) &&
  /^[A-Za-z0-9-]{1,64}$/.test(String((v as CustomerCursor).sk)) &&
  responseKeys.byCustomerSortPattern.test(String((v as CustomerCursor).after));

export function daysBetween(from: string, to: string, newestFirst: boolean): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return newestFirst ? days.reverse() : days;
}

export class DynamoResponseStore implements ResponseStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putOnce(response: SurveyResponse) {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toResponseItem(response),
          ConditionExpression: 'attribute_not_exists(PK)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { created: true as const };
    } catch (err) {
      const e = err as Error & { Item?: Record<string, AttributeValue> };
      if (e.name === 'ConditionalCheckFailedException') {
        if (!e.Item) throw new Error('conditional put failed without returning the stored item');
        return { created: false as const, existing: fromResponseItem(unmarshall(e.Item)) };
      }
      rethrow(err);
    }
  }

  async listRange(query: DayRangeQuery): Promise<ResponsePage> {
    const days = daysBetween(query.from, query.to, query.newestFirst);
    const start = query.cursor ? decodeCursor(query.cursor, isRangeCursor) : undefined;
    let index = start ? days.indexOf(start.day) : 0;
    if (index < 0) throw new ValidationError([{ path: 'query/cursor', message: 'does not belong to this date range' }]);
    let after = start?.after;
    const items: SurveyResponse[] = [];
    let pages = 0;
    while (index < days.length && pages < MAX_PAGES) {
      const day = days[index]!;
      const filters: string[] = [];
      const values: Record<string, unknown> = { ':pk': responseKeys.partition(query.surveyId, day) };
      if (query.withComments) {
        // Comments are read by people: an excluded (abusive) response's text is not shown among them.
        filters.push('facts.comments > :zero', 'attribute_not_exists(excluded)');
        values[':zero'] = 0;
      }
      if (query.maxScore !== undefined) {
        filters.push('facts.rated.#series <= :max');
        values[':max'] = query.maxScore.max;
      }
      const input: QueryCommandInput = {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: values,
        ScanIndexForward: !query.newestFirst,
        ...(query.consistent ? { ConsistentRead: true } : {}),
        Limit: Math.max(query.limit - items.length, 1) * (filters.length ? 4 : 1),
        ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
        ...(query.maxScore !== undefined ? { ExpressionAttributeNames: { '#series': query.maxScore.series } } : {}),
        ...(after ? { ExclusiveStartKey: { PK: values[':pk'], SK: after } } : {}),
      };
      const result = await guarded(() => this.db.send(new QueryCommand(input)));
      pages++;
      for (const item of result.Items ?? []) {
        items.push(fromResponseItem(item));
        if (items.length === query.limit) {
          return { items, nextCursor: encodeCursor({ day, after: String(item.SK) }) };
        }
      }
      if (result.LastEvaluatedKey) after = String(result.LastEvaluatedKey.SK);
      else {
        index++;
        after = undefined;
      }
    }
    return index < days.length
      ? { items, nextCursor: encodeCursor({ day: days[index]!, ...(after ? { after } : {}) }) }
      : { items };
  }

  async unlinkCustomer(response: SurveyResponse, customerId: string): Promise<void> {
    const contactIds = Object.entries(response.answers)
      .filter(([, a]) => typeof a === 'object' && a !== null)
      .map(([id]) => id);
    const names: Record<string, string> = { '#answers': 'answers' };
    contactIds.forEach((id, i) => {
      names[`#c${i}`] = id;
    });
    const removals = ['customerId', 'GSI1PK', 'GSI1SK', 'metadata', ...contactIds.map((_, i) => `#answers.#c${i}`)];
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: responseKeys.response(response.surveyId, response.day, response.id),
          UpdateExpression: `REMOVE ${removals.join(', ')}`,
          ConditionExpression: 'customerId = :customer',
          ExpressionAttributeValues: { ':customer': customerId },
          ...(contactIds.length ? { ExpressionAttributeNames: names } : {}),
        }),
      );
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return;
      rethrow(err);
    }
  }

  async relinkCustomer(response: SurveyResponse, fromId: string, toId: string): Promise<void> {
    const index = responseKeys.byCustomer(toId, response.receivedAt, response.id);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: responseKeys.response(response.surveyId, response.day, response.id),
          UpdateExpression: 'SET customerId = :to, GSI1PK = :pk, GSI1SK = :sk',
          ConditionExpression: 'customerId = :from',
          ExpressionAttributeValues: { ':to': toId, ':from': fromId, ':pk': index.GSI1PK, ':sk': index.GSI1SK },
        }),
      );
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return;
      rethrow(err);
    }
  }

  async markExcluded(response: SurveyResponse, excluded: NonNullable<SurveyResponse['excluded']>): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: responseKeys.response(response.surveyId, response.day, response.id),
          UpdateExpression: 'SET excluded = :excluded',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(excluded)',
          ExpressionAttributeValues: { ':excluded': excluded },
        }),
      );
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return;
      rethrow(err);
    }
  }

  async listByCustomer(customerId: string, limit: number, cursor?: string): Promise<ResponsePage> {
    const position = cursor ? decodeCursor(cursor, isCustomerCursor) : undefined;
    const start = position
      ? { PK: position.pk, SK: position.sk, GSI1PK: customerPartition(customerId), GSI1SK: position.after }
      : undefined;
    const result = await guarded(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
          ExpressionAttributeValues: { ':pk': customerPartition(customerId), ':prefix': responseKeys.customerPrefix },
          ScanIndexForward: false,
          Limit: limit,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ),
    );
    const items = (result.Items ?? []).map(fromResponseItem);
    const last = result.LastEvaluatedKey;
    return { items, ...(last ? { nextCursor: encodeCursor({ pk: last.PK, sk: last.SK, after: last.GSI1SK }) } : {}) };
  }
}
