/** A survey's daily aggregate items (`AGG#<survey>` / `DAY#<d>#…`): read with one paged Query. */
import { BatchGetCommand, GetCommand, QueryCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AggregateRow, AggregateStore } from '../../domain/surveys/aggregate-store';
import { aggregatePartition } from '../../domain/surveys/aggregation';
import { guarded } from './errors';
import { type ItemKey, itemKeyId } from './keys';
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

  async read(surveyId: string, fromDay: string, toDay: string): Promise<AggregateRow[]> {
    const rows: AggregateRow[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const result = await guarded(() =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': aggregatePartition(surveyId), ':from': `DAY#${fromDay}`, ':to': `DAY#${toDay}#~` },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      for (const item of result.Items ?? []) rows.push({ sortKey: String(item.SK), counts: countsOf(item) });
      start = result.LastEvaluatedKey;
    } while (start);
    return rows;
  }

  /** The rebuild cutoff of each day-total item (null: never rebuilt). */
  async cutoffs(dayKeys: ItemKey[]): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    const unique = [...new Map(dayKeys.map((k) => [itemKeyId(k), k])).values()];
    for (let i = 0; i < unique.length; i += 100) {
      let request: Record<string, { Keys: ItemKey[]; ProjectionExpression?: string; ConsistentRead?: boolean }> | undefined = {
        [this.tableName]: { Keys: unique.slice(i, i + 100), ProjectionExpression: 'PK, SK, rebuiltCutoff', ConsistentRead: true },
      };
      for (let attempt = 0; request && Object.keys(request).length && attempt < 5; attempt++) {
        const result = await guarded(() => this.db.send(new BatchGetCommand({ RequestItems: request })));
        for (const item of result.Responses?.[this.tableName] ?? []) {
          out.set(itemKeyId({ PK: String(item.PK), SK: String(item.SK) }), typeof item.rebuiltCutoff === 'string' ? item.rebuiltCutoff : null);
        }
        request = result.UnprocessedKeys as typeof request;
      }
      if (request && Object.keys(request).length) throw new Error('DynamoDB kept some keys unprocessed');
    }
    for (const k of unique) if (!out.has(itemKeyId(k))) out.set(itemKeyId(k), null);
    return out;
  }

  async replaceDay(surveyId: string, day: string, rows: AggregateRow[], expectedN: number, cutoff: string): Promise<boolean> {
    const pk = aggregatePartition(surveyId);
    const existing = (await this.read(surveyId, day, day)).map((r) => r.sortKey);
    const totalKey = `DAY#${day}#T`;
    const wanted = new Map(rows.map((r) => [r.sortKey, r]));
    const items: TxItem[] = [];
    // The day's total row carries the condition: nothing may have been aggregated since it was read.
    const condition = expectedN === 0 ? 'attribute_not_exists(n) OR n = :zero' : 'n = :n';
    const values = expectedN === 0 ? { ':zero': 0 } : { ':n': expectedN };
    const totalRow = wanted.get(totalKey) ?? { sortKey: totalKey, counts: { n: 0, comments: 0, detractors: 0 } };
    items.push({
      Put: {
        TableName: this.tableName,
        Item: { PK: pk, SK: totalKey, entity: 'aggregate', ...totalRow.counts, rebuiltCutoff: cutoff },
        ...(existing.includes(totalKey) ? { ConditionExpression: condition, ExpressionAttributeValues: values } : { ConditionExpression: 'attribute_not_exists(PK)' }),
      },
    });
    for (const row of rows) {
      if (row.sortKey === totalKey) continue;
      items.push({ Put: { TableName: this.tableName, Item: { PK: pk, SK: row.sortKey, entity: 'aggregate', ...row.counts } } });
    }
    for (const sk of existing) {
      if (!wanted.has(sk) && sk !== totalKey) items.push({ Delete: { TableName: this.tableName, Key: { PK: pk, SK: sk } } });
    }
    if (items.length > 100) throw new Error(`day ${day} has ${items.length} aggregate items; more than one transaction can replace`);
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
      this.db.send(new GetCommand({ TableName: this.tableName, Key: { PK: aggregatePartition(surveyId), SK: `DAY#${day}#T` }, ConsistentRead: true })),
    );
    return typeof Item?.n === 'number' ? Item.n : 0;
  }
}
