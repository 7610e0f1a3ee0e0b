/**
 * Survey responses in DynamoDB: one item per response in a per-survey, per-day partition
 * (`RESPONSES#<survey>#<day>` / `<id>`), written with one conditional put. Linked responses carry a
 * GSI1 key under their customer, unverified claims one under the claimed id (`CLAIM#…`, never listed
 * as the customer's); a response with contact e-mails is written in one transaction with a pointer
 * per e-mail (`CONTACT#<hash>`), so erasure finds it without a scan.
 */

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ValidationError } from '../../domain/errors';
import { contactEmailsOf, type SurveyResponse } from '../../domain/surveys/response';
import { erasedAnswers, PERSONAL_RESPONSE_FIELDS } from '../../domain/surveys/response-erasure';
import type { DayRangeQuery, ResponsePage, ResponseStore } from '../../domain/surveys/response-store';
import { decodeCursor, encodeCursor } from './cursor';
import { guarded, rethrow } from './errors';
import { contactKeys, customerIndexPrefixes, customerPartition, responseKeys } from './keys';
import { queryAll } from './query-all';
import { TransactionCancelled, transactWrite } from './transactions';

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
    ...(r.customerId
      ? responseKeys.byCustomer(r.customerId, r.receivedAt, r.id)
      : r.unverifiedCustomerId
        ? responseKeys.byClaim(r.unverifiedCustomerId, r.receivedAt, r.id)
        : {}),
    entity: 'response',
    ...r,
  };
}

/** The contact pointers of a response: one per distinct e-mail it holds. */
export function contactPointersOf(r: SurveyResponse): Record<string, unknown>[] {
  return contactEmailsOf(r).map((email) => ({
    ...contactKeys.pointer(email, r),
    entity: 'contact-pointer',
  }));
}

interface RangeCursor {
  day: string;
  after?: string;
}

const isRangeCursor = (v: unknown): v is RangeCursor => {
  if (typeof v !== 'object' || v === null) return false;
  const { day, after } = v as Partial<Record<keyof RangeCursor, unknown>>;
  return (
    typeof day === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(day) &&
    (after === undefined || (typeof after === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(after)))
  );
};

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
    const item = toResponseItem(response);
    const pointers = contactPointersOf(response);
    if (pointers.length === 0) return this.putAlone(item);
    try {
      // The response and its pointers land together or not at all; the response's condition decides.
      await transactWrite(this.db, [
        {
          Put: {
            TableName: this.tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(PK)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        ...pointers.map((pointer) => ({ Put: { TableName: this.tableName, Item: pointer } })),
      ]);
      return { created: true as const };
    } catch (err) {
      const stored = err instanceof TransactionCancelled ? err.failed(0)?.old : undefined;
      if (!stored) throw err;
      return {
        created: false as const,
        existing: fromResponseItem(unmarshall(stored as Record<string, AttributeValue>)),
      };
    }
  }

  private async putAlone(item: Record<string, unknown>) {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
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
    for (let day = days[index]; day !== undefined && pages < MAX_PAGES; day = days[index]) {
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
    const stoppedAt = days[index];
    return stoppedAt === undefined
      ? { items }
      : { items, nextCursor: encodeCursor({ day: stoppedAt, ...(after ? { after } : {}) }) };
  }

  async get(key: { surveyId: string; day: string; id: string }): Promise<SurveyResponse | undefined> {
    const { Item } = await guarded(() =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: responseKeys.response(key.surveyId, key.day, key.id),
          ConsistentRead: true,
        }),
      ),
    );
    return Item ? fromResponseItem(Item) : undefined;
  }

  async listClaims(customerId: string): Promise<SurveyResponse[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
      ExpressionAttributeValues: { ':pk': customerPartition(customerId), ':prefix': customerIndexPrefixes.claim },
    });
    return items.map(fromResponseItem);
  }

  async listByContact(email: string): Promise<SurveyResponse[]> {
    const pointers = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': contactKeys.partition(email) },
      ConsistentRead: true,
    });
    const found: SurveyResponse[] = [];
    for (const pointer of pointers) {
      const target = contactKeys.parse(String(pointer.SK));
      const response = target ? await this.get(target) : undefined;
      // A pointer whose response no longer holds the e-mail is left over from an interrupted erasure.
      if (response && contactEmailsOf(response).includes(email)) found.push(response);
    }
    return found;
  }

  async forgetContact(email: string): Promise<void> {
    const pointers = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': contactKeys.partition(email) },
      ConsistentRead: true,
    });
    for (const pointer of pointers) await this.deletePointer({ PK: String(pointer.PK), SK: String(pointer.SK) });
  }

  async redact(response: SurveyResponse): Promise<void> {
    const names: Record<string, string> = { '#answers': 'answers', '#erasedAt': 'erasedAt' };
    const removals = [...PERSONAL_RESPONSE_FIELDS, 'GSI1PK', 'GSI1SK'].map((field, i) => {
      names[`#r${i}`] = field;
      return `#r${i}`;
    });
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: responseKeys.response(response.surveyId, response.day, response.id),
          UpdateExpression: `SET #answers = :answers, #erasedAt = if_not_exists(#erasedAt, :now) REMOVE ${removals.join(', ')}`,
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':answers': erasedAnswers(response), ':now': new Date().toISOString() },
        }),
      );
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') rethrow(err);
    }
    // Pointers last: they are how a retried erasure finds a response it has not finished.
    for (const email of contactEmailsOf(response)) await this.deletePointer(contactKeys.pointer(email, response));
  }

  async markErased(response: SurveyResponse): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: responseKeys.response(response.surveyId, response.day, response.id),
          UpdateExpression: 'SET #erasedAt = :now',
          // Once: a retried erasure keeps the first time (and writes nothing).
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#erasedAt)',
          ExpressionAttributeNames: { '#erasedAt': 'erasedAt' },
          ExpressionAttributeValues: { ':now': new Date().toISOString() },
        }),
      );
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') rethrow(err);
    }
  }

  private async deletePointer(key: { PK: string; SK: string }) {
    await guarded(() => this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key })));
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
