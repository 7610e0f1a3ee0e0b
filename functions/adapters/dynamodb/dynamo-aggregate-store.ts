/**
 * A survey's daily aggregate items (`AGG#<survey>` / `DAY#<d>#…`): read with one paged Query, the
 * funnel cells' per-shard copies summed as they are read.
 */
import { type AttributeValue, QueryCommand } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ServiceUnavailableError } from '../../domain/errors';
import type { AggregateRow, AggregateStore } from '../../domain/surveys/aggregate-store';
import { cellId, FUNNEL_KINDS } from '../../domain/surveys/aggregation';
import { guarded } from './errors';
import { aggregateKeys, type ItemKey, keys, markerIds } from './keys';
import { MARKER_TTL_SECONDS } from './stream-applier';
import { TransactionCancelled, transactWrite } from './transactions';

type TxItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** DynamoDB's limit of items per transaction. */
const MAX_TX_ITEMS = 100;

/**
 * The counts of an aggregate item as DynamoDB sends it (attribute-value form): its number attributes.
 * Read straight from the `N` strings rather than through the document client's generic unmarshalling,
 * which for a 90-day report (hundreds of items, dozens of counts each) cost more than the report's
 * statistics; the result is the same, as every count is a safe integer.
 */
function countsOf(item: Record<string, AttributeValue>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const k in item) {
    const n = item[k]?.N;
    if (n !== undefined && k !== 'PK' && k !== 'SK') counts[k] = Number(n);
  }
  return counts;
}

/**
 * The cells of aggregate items, each funnel cell's per-shard copies summed into one row (counts are
 * sums, so the sum of the copies is exactly the cell): nothing past the store sees a shard.
 */
export function cellsOf(items: readonly Record<string, AttributeValue>[]): AggregateRow[] {
  const cells = new Map<string, AggregateRow>();
  for (const item of items) {
    const cell = aggregateKeys.parse(item.SK?.S ?? '');
    if (!cell) continue;
    const row: AggregateRow = { day: cell.day, kind: cell.kind, key: cell.key, counts: countsOf(item) };
    const id = cellId(row);
    const seen = cells.get(id);
    // Only funnel cells have copies; every other row is kept as read (no copy of its counts).
    if (!seen) cells.set(id, row);
    else for (const [name, n] of Object.entries(row.counts)) seen.counts[name] = (seen.counts[name] ?? 0) + n;
  }
  return [...cells.values()];
}

export class DynamoAggregateStore implements AggregateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(surveyId: string, fromDay: string, toDay: string, consistent = false): Promise<AggregateRow[]> {
    const range = aggregateKeys.range(fromDay, toDay);
    const items: Record<string, AttributeValue>[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      // The table client's own Query (no document-client marshalling): the items are converted below.
      const page = await guarded(() =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            ConsistentRead: consistent,
            KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': { S: aggregateKeys.partition(surveyId) },
              ':from': { S: range.from },
              ':to': { S: range.to },
            },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      if (page.Items) items.push(...page.Items);
      start = page.LastEvaluatedKey;
    } while (start);
    return cellsOf(items);
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
    // Funnel cells are counted from displays, which a rebuild from responses does not read: kept as they are.
    const existing = (await this.read(surveyId, day, day, true))
      .filter((r) => !FUNNEL_KINDS.includes(r.kind))
      .map((r) => aggregateKeys.sortKey(r));
    const totalKey = aggregateKeys.dayTotal(surveyId, day).SK;
    const wanted = new Map(rows.map((r) => [aggregateKeys.sortKey(r), r]));
    // The day's total row carries the condition: nothing may have been aggregated since it was read.
    const condition = expectedN === 0 ? 'attribute_not_exists(n) OR n = :zero' : 'n = :n';
    const values = expectedN === 0 ? { ':zero': 0 } : { ':n': expectedN };
    const totalRow = wanted.get(totalKey) ?? {
      day,
      kind: 'total',
      key: '',
      counts: { n: 0, comments: 0, detractors: 0 },
    };
    const cells: TxItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { PK: pk, SK: totalKey, entity: 'aggregate', ...totalRow.counts },
          ...(existing.includes(totalKey)
            ? { ConditionExpression: condition, ExpressionAttributeValues: values }
            : { ConditionExpression: 'attribute_not_exists(PK)' }),
        },
      },
    ];
    for (const row of rows) {
      const sk = aggregateKeys.sortKey(row);
      if (sk === totalKey) continue;
      cells.push({
        Put: { TableName: this.tableName, Item: { PK: pk, SK: sk, entity: 'aggregate', ...row.counts } },
      });
    }
    if (cells.length > MAX_TX_ITEMS) {
      // A day has at most one cell per question series and segment bucket, far below the limit.
      throw new Error(`day ${day} has ${cells.length} aggregate cells: more than one transaction can write`);
    }
    const stale: TxItem[] = existing
      .filter((sk) => !wanted.has(sk) && sk !== totalKey)
      .map((sk) => ({ Delete: { TableName: this.tableName, Key: { PK: pk, SK: sk } } }));
    // The stream has not counted these yet; their markers make sure it never will (they are in `rows`).
    const expiresAt = Math.floor(Date.now() / 1000) + MARKER_TTL_SECONDS;
    const markers: TxItem[] = uncounted.map((id) => ({
      Put: {
        TableName: this.tableName,
        Item: { ...keys.streamMarker(markerIds.responseEffects(surveyId, id)), entity: 'stream-marker', expiresAt },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    }));
    // Ideally one transaction does it all. When the markers do not fit beside the cells (more than
    // ~50 responses the stream never counted: a dead-lettered batch, say), the overflow goes first,
    // in transactions of its own. Stale cells hold no stored response's counts, and a claimed
    // response's marker only stops the stream from counting it again, so until the last transaction
    // lands the day merely lacks the claimed responses; if it fails, the caller rebuilds again, and
    // every stored response (claimed ones included) is counted then.
    const rest = [...stale, ...markers];
    const early = rest.slice(0, Math.max(0, rest.length - (MAX_TX_ITEMS - cells.length)));
    try {
      for (let i = 0; i < early.length; i += MAX_TX_ITEMS) {
        await transactWrite(this.db, early.slice(i, i + MAX_TX_ITEMS));
      }
      await transactWrite(this.db, [...cells, ...rest.slice(early.length)]);
      return true;
    } catch (err) {
      // A marker the stream wrote meanwhile, or a day total that moved: something arrived; rebuild again.
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
