/** A survey's daily aggregate items (`AGG#<survey>` / `DAY#<d>#…`): read with one paged Query. */
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ServiceUnavailableError } from '../../domain/errors';
import type { AggregateRow, AggregateStore } from '../../domain/surveys/aggregate-store';
import { guarded } from './errors';
import { aggregateKeys, type ItemKey, keys, markerIds } from './keys';
import { queryAll } from './query-all';
import { MARKER_TTL_SECONDS } from './stream-applier';
import { TransactionCancelled, transactWrite } from './transactions';

type TxItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

function countsOf(item: Record<string, unknown>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [k, v] of Object.entries(item)) if (typeof v === 'number' && k !== 'PK' && k !== 'SK') counts[k] = v;
  return counts;
}

export class DynamoAggregateStore implements AggregateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(surveyId: string, fromDay: string, toDay: string, consistent = false): Promise<AggregateRow[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      ConsistentRead: consistent,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': aggregateKeys.partition(surveyId),
        ':from': aggregateKeys.range(fromDay, toDay).from,
        ':to': aggregateKeys.range(fromDay, toDay).to,
      },
    });
    return items.flatMap((item) => {
      const cell = aggregateKeys.parse(String(item.SK));
      return cell ? [{ ...cell, counts: countsOf(item) }] : [];
    });
  }

  /** Of these responses, those whose effects the stream has not applied yet (no marker). */
  async uncounted(surveyId: string, responseIds: string[]): Promise<string[]> {
    const seen = new Set<string>();
    for (let i = 0; i < responseIds.length; i += 100) {
      let request:
        | Record<string, { Keys: ItemKey[]; ProjectionExpression: string; ConsistentRead: boolean }>
        | undefined = {
        [this.tableName]: {
          Keys: responseIds.slice(i, i + 100).map((id) => keys.streamMarker(markerIds.responseEffects(surveyId, id))),
          ProjectionExpression: 'PK',
          ConsistentRead: true,
        },
      };
      for (let attempt = 0; request && Object.keys(request).length; attempt++) {
        if (attempt === 5) throw new ServiceUnavailableError('DynamoDB kept some keys unprocessed; try again', 2);
        const result = await guarded(() => this.db.send(new BatchGetCommand({ RequestItems: request })));
        for (const item of result.Responses?.[this.tableName] ?? []) seen.add(String(item.PK));
        request = result.UnprocessedKeys as typeof request;
      }
    }
    return responseIds.filter((id) => !seen.has(keys.streamMarker(markerIds.responseEffects(surveyId, id)).PK));
  }

  async replaceDay(
    surveyId: string,
    day: string,
    rows: AggregateRow[],
    expectedN: number,
    uncounted: string[],
  ): Promise<boolean> {
    const pk = aggregateKeys.partition(surveyId);
    const existing = (await this.read(surveyId, day, day, true)).map((r) => aggregateKeys.sortKey(r));
    const totalKey = aggregateKeys.dayTotal(surveyId, day).SK;
    const wanted = new Map(rows.map((r) => [aggregateKeys.sortKey(r), r]));
    const items: TxItem[] = [];
    // The day's total row carries the condition: nothing may have been aggregated since it was read.
    const condition = expectedN === 0 ? 'attribute_not_exists(n) OR n = :zero' : 'n = :n';
    const values = expectedN === 0 ? { ':zero': 0 } : { ':n': expectedN };
    const totalRow = wanted.get(totalKey) ?? {
      day,
      kind: 'total',
      key: '',
      counts: { n: 0, comments: 0, detractors: 0 },
    };
    items.push({
      Put: {
        TableName: this.tableName,
        Item: { PK: pk, SK: totalKey, entity: 'aggregate', ...totalRow.counts },
        ...(existing.includes(totalKey)
          ? { ConditionExpression: condition, ExpressionAttributeValues: values }
          : { ConditionExpression: 'attribute_not_exists(PK)' }),
      },
    });
    for (const row of rows) {
      const sk = aggregateKeys.sortKey(row);
      if (sk === totalKey) continue;
      items.push({
        Put: { TableName: this.tableName, Item: { PK: pk, SK: sk, entity: 'aggregate', ...row.counts } },
      });
    }
    for (const sk of existing) {
      if (!wanted.has(sk) && sk !== totalKey)
        items.push({ Delete: { TableName: this.tableName, Key: { PK: pk, SK: sk } } });
    }
    // The stream has not counted these yet; their markers make sure it never will (they are in `rows`).
    const expiresAt = Math.floor(Date.now() / 1000) + MARKER_TTL_SECONDS;
    for (const id of uncounted) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { ...keys.streamMarker(markerIds.responseEffects(surveyId, id)), entity: 'stream-marker', expiresAt },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      });
    }
    if (items.length > 100) {
      throw new ServiceUnavailableError(
        `too many responses of ${day} are still being aggregated to rebuild it now; try again in a minute`,
        60,
      );
    }
    try {
      await transactWrite(this.db, items);
      return true;
    } catch (err) {
      if (err instanceof TransactionCancelled) return false;
      throw err;
    }
  }

  async dayCount(surveyId: string, day: string): Promise<number> {
    const { Item } = await guarded(() =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: aggregateKeys.dayTotal(surveyId, day),
          ConsistentRead: true,
        }),
      ),
    );
    return typeof Item?.n === 'number' ? Item.n : 0;
  }
}
