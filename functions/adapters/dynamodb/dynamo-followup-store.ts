/** Follow-up tasks in DynamoDB: listed by status (GSI1) or by survey (GSI2), newest first. */
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { PreconditionFailedError, ServiceUnavailableError } from '../../domain/errors';
import type { FollowUp, FollowUpStatus } from '../../domain/followups/followup';
import type { FollowUpPage, FollowUpStore } from '../../domain/followups/followup-store';
import { PERSONAL_FOLLOW_UP_FIELDS } from '../../domain/surveys/response-erasure';
import { decodeCursor, encodeCursor } from './cursor';
import { isErased } from './erased-check';
import { guarded, rethrow } from './errors';
import { followUpKeys, responseKeys } from './keys';
import { queryAll } from './query-all';

export function toFollowUpItem(f: FollowUp): Record<string, unknown> {
  return { ...followUpKeys.item(f.id), ...followUpKeys.index(f), entity: 'followup', ...f };
}

function fromItem(item: Record<string, unknown>): FollowUp {
  const { PK: _p, SK: _s, GSI1PK: _a, GSI1SK: _b, GSI2PK: _c, GSI2SK: _d, entity: _e, ...rest } = item;
  return rest as unknown as FollowUp;
}

/** `<createdAt>#<follow-up id>` as the follow-up indexes sort them. */
const isAfterSortKey = (v: unknown): v is { after: string } =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { after?: unknown }).after === 'string' &&
  /^\d{4}-\d{2}-\d{2}T[0-9:.]+Z#[A-Za-z0-9-]{1,80}$/.test((v as { after: string }).after);

export class DynamoFollowUpStore implements FollowUpStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(id: string) {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: followUpKeys.item(id) })),
    );
    return Item ? fromItem(Item) : undefined;
  }

  async update(previous: FollowUp, next: FollowUp) {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toFollowUpItem(next),
          ConditionExpression: 'revision = :r',
          ExpressionAttributeValues: { ':r': previous.revision },
        }),
      );
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') {
        throw new PreconditionFailedError(`follow-up ${previous.id} changed meanwhile: read it again`);
      }
      rethrow(err);
    }
  }

  async redact(id: string): Promise<boolean> {
    const names = Object.fromEntries(PERSONAL_FOLLOW_UP_FIELDS.map((field, i) => [`#p${i}`, field]));
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: followUpKeys.item(id),
          // A new revision: a PATCH read before the erasure cannot put the removed fields back.
          UpdateExpression: `SET revision = revision + :one REMOVE ${Object.keys(names).join(', ')}`,
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
      return true;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      rethrow(err);
    }
  }

  /** The task names the customer its response is linked to (after the response moved). Idempotent. */
  async followResponse(id: string, customerId: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: followUpKeys.item(id),
          UpdateExpression: 'SET customerId = :customer',
          ConditionExpression: 'attribute_exists(customerId) AND customerId <> :customer',
          ExpressionAttributeValues: { ':customer': customerId },
        }),
      );
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') rethrow(err);
    }
  }

  /** The task's customer no longer exists (the aggregator found no record for it). Idempotent. */
  unlinkCustomer(id: string, customerId: string) {
    return this.conditionalUpdate(id, customerId, 'REMOVE customerId', {});
  }

  /** Changes the task's customer only while it still names `customerId`: repeating it changes nothing. */
  private async conditionalUpdate(id: string, customerId: string, expression: string, values: Record<string, unknown>) {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: followUpKeys.item(id),
          UpdateExpression: expression,
          ConditionExpression: 'customerId = :customer',
          ExpressionAttributeValues: { ':customer': customerId, ...values },
        }),
      );
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return;
      rethrow(err);
    }
  }

  list(options: { status: FollowUpStatus; surveyId?: string; limit: number; cursor?: string }) {
    return this.query(
      'GSI1',
      'GSI1PK',
      followUpKeys.byStatus(options.status),
      options.limit,
      options.cursor,
      options.surveyId,
    );
  }

  listBySurvey(options: { surveyId: string; limit: number; cursor?: string }) {
    return this.query('GSI2', 'GSI2PK', followUpKeys.bySurvey(options.surveyId), options.limit, options.cursor);
  }

  async restore(followUps: readonly FollowUp[]): Promise<number> {
    let changed = 0;
    for (let i = 0; i < followUps.length; i += 100) {
      const wanted = followUps.slice(i, i + 100);
      const stored = await this.getMany(wanted.map((f) => f.id));
      for (const f of wanted) {
        const current = stored.get(f.id);
        if (!current) {
          if (await this.createOnce(f)) changed++;
        } else if (await this.refresh(current, f)) changed++;
      }
    }
    return changed;
  }

  private async getMany(ids: string[]): Promise<Map<string, FollowUp>> {
    const found = new Map<string, FollowUp>();
    let request: Record<string, { Keys: Record<string, string>[]; ConsistentRead: boolean }> | undefined = {
      [this.tableName]: { Keys: ids.map((id) => followUpKeys.item(id)), ConsistentRead: true },
    };
    for (let attempt = 0; request && Object.keys(request).length; attempt++) {
      if (attempt === 5) throw new ServiceUnavailableError('DynamoDB kept some keys unprocessed; try again', 2);
      const result = await guarded(() => this.db.send(new BatchGetCommand({ RequestItems: request })));
      for (const item of result.Responses?.[this.tableName] ?? []) {
        const f = fromItem(item);
        found.set(f.id, f);
      }
      request = result.UnprocessedKeys as typeof request;
    }
    return found;
  }

  /**
   * The task as a rebuild or an exclusion read it from its response, unless it exists. The response may
   * have been erased since it was read (the erasure found no task to strip then): as the stream does, a no-op update of
   * the response conditional on `erasedAt` follows the put, and if it was erased the task is stripped.
   * The erasure sets `erasedAt` before it strips the task, so one of the two always strips it.
   */
  private async createOnce(f: FollowUp): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toFollowUpItem(f),
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (err) {
      // The stream created it meanwhile: that one stands.
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      rethrow(err);
    }
    if (await isErased(this.db, this.tableName, responseKeys.response(f.surveyId, f.responseDay, f.responseId))) {
      await this.redact(f.id);
    }
    return true;
  }

  /** Sets the response-derived `score` and `segment` when they differ; nothing else. */
  private async refresh(current: FollowUp, wanted: FollowUp): Promise<boolean> {
    const sets: string[] = [];
    const values: Record<string, unknown> = {};
    const sameScore = (a: FollowUp['score'], b: FollowUp['score']) =>
      a?.questionId === b?.questionId && a?.value === b?.value && a?.min === b?.min && a?.max === b?.max;
    if (wanted.score && !sameScore(current.score, wanted.score)) {
      sets.push('score = :score');
      values[':score'] = wanted.score;
    }
    if (wanted.segment !== undefined && current.segment !== wanted.segment) {
      sets.push('#segment = :segment');
      values[':segment'] = wanted.segment;
    }
    if (!sets.length) return false;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: followUpKeys.item(current.id),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(PK)',
          ...(values[':segment'] !== undefined ? { ExpressionAttributeNames: { '#segment': 'segment' } } : {}),
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      rethrow(err);
    }
  }

  async createdBetween(surveyId: string, fromIso: string, toIso: string): Promise<FollowUp[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': followUpKeys.bySurvey(surveyId), ':from': fromIso, ':to': toIso },
    });
    return items.map(fromItem);
  }

  private async query(
    index: 'GSI1' | 'GSI2',
    pkName: string,
    pk: string,
    limit: number,
    cursor?: string,
    surveyId?: string,
  ): Promise<FollowUpPage> {
    // The cursor carries only the index sort key; the rest of the start key is rebuilt from this query.
    const after = cursor ? decodeCursor(cursor, isAfterSortKey).after : undefined;
    const start = after
      ? { ...followUpKeys.item(after.slice(after.indexOf('#') + 1)), [pkName]: pk, [`${index}SK`]: after }
      : undefined;
    const result = await guarded(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index,
          KeyConditionExpression: `${pkName} = :pk`,
          ExpressionAttributeValues: { ':pk': pk, ...(surveyId ? { ':survey': surveyId } : {}) },
          ...(surveyId ? { FilterExpression: 'surveyId = :survey' } : {}),
          ScanIndexForward: false,
          Limit: limit,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ),
    );
    return {
      items: (result.Items ?? []).map(fromItem),
      ...(result.LastEvaluatedKey
        ? { nextCursor: encodeCursor({ after: String(result.LastEvaluatedKey[`${index}SK`]) }) }
        : {}),
    };
  }
}
