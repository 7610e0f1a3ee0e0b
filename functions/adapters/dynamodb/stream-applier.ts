/**
 * Applies what a batch of stream records contributes to counter items, exactly once.
 *
 * Streams deliver at least once, and a retried batch may overlap records already applied. Each
 * record's counter additions go into one transaction together with a marker item named after the
 * record's eventID (condition: the marker does not exist yet). A redelivered record finds its marker
 * and is left out; a failed transaction changes nothing. Markers expire (TTL) after the stream's
 * 24-hour retention. Set membership changes (duplicate groups) are idempotent by nature and are
 * applied after the counters, in record order.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Counters, MembershipChange } from '../../domain/customers/quality';
import { ServiceUnavailableError } from '../../domain/errors';
import { boundedAll } from './bounded-all';
import { isErased } from './erased-check';
import { isTransient, toDomainError } from './errors';
import { DUPLICATE_CANDIDATES_PARTITION, groupHash, type ItemKey, itemKeyId, keys } from './keys';
import { TransactionCancelled, transactWrite } from './transactions';

export interface RecordEffects {
  /**
   * What makes the record's effects happen once: the stream eventID, or for a response its own id
   * (so an aggregate rebuild can tell which responses the stream has already counted).
   */
  eventId: string;
  sequenceNumber: string;
  /** The survey a response's effects belong to (the aggregator watches those surveys for surges). */
  surveyId?: string;
  /** `expiresAt` (epoch seconds): the counter item's TTL, set when the item is first written. */
  counters: { key: ItemKey; add: Counters; expiresAt?: number }[];
  memberships: MembershipChange[];
  /**
   * Items to create once (e.g. a follow-up task); an existing item is left as it is. With `unlessErased`,
   * when the item at `key` has been erased, what `fallback` leaves out is removed from the created item
   * (a follow-up must not bring back the comment of a response erased before the stream got to it).
   */
  creates?: { item: Record<string, unknown>; unlessErased?: { key: ItemKey; fallback: Record<string, unknown> } }[];
  /**
   * Items that must exist (or must not) for the counters to apply, checked in their transaction: a
   * customer's feedback applies only while their record exists and is not being erased. A failed
   * check is transient — the batch is retried from this record and its effects are worked out anew.
   */
  requires?: { key: ItemKey; exists: boolean }[];
  /** Attributes to set only when `at` is newer than what the item holds (e.g. a customer's last score). */
  latest?: { key: ItemKey; at: string; set: Record<string, unknown> }[];
}

export interface ApplyResult {
  applied: number;
  skippedAsDuplicate: number;
  /** Sequence number of the first record not applied (Lambda retries from there); undefined when all went through. */
  failedFrom?: string;
  error?: unknown;
  /** Records that can never be applied (not a transient fault): set aside so the rest of the batch goes on. */
  poisoned: { sequenceNumber: string; eventId: string; error: unknown }[];
}

type TxItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const MAX_TX_ITEMS = 100;
/** "#c123 :c123, " is ~13 characters: 250 names stay well inside the 4 KB expression limit. */
const MAX_NAMES_PER_ITEM = 250;
/** Longer than the stream's 24-hour retention: a record cannot come back once its marker is gone. */
export const MARKER_TTL_SECONDS = 2 * 24 * 3600;

const keyId = itemKeyId;
/** Follow-up creates and newest-wins writes of one batch in flight at once (each its own small write). */
const SIDE_WRITES_IN_FLIGHT = 10;

export class StreamApplier {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async apply(records: RecordEffects[]): Promise<ApplyResult> {
    const result: ApplyResult = { applied: 0, skippedAsDuplicate: 0, poisoned: [] };
    for (const chunk of this.chunks(records)) {
      const failed = await this.applyChunk(chunk, result);
      if (failed) return { ...result, ...failed };
    }
    return result;
  }

  /**
   * A transient failure stops the batch at the first unapplied record (Lambda retries from there).
   * Any other failure means some record can never be applied: the chunk is retried one record at a
   * time so that only that record is set aside (reported as poisoned), not the rest of the batch.
   */
  private async applyChunk(
    chunk: RecordEffects[],
    result: ApplyResult,
  ): Promise<{ failedFrom: string; error: unknown } | undefined> {
    try {
      await this.applyAll(chunk, result);
      return undefined;
    } catch (error) {
      const [first] = chunk;
      if (first && (isTransient(error) || chunk.length === 1)) {
        if (!isTransient(error)) {
          result.poisoned.push({ sequenceNumber: first.sequenceNumber, eventId: first.eventId, error });
          return undefined;
        }
        return { failedFrom: first.sequenceNumber, error };
      }
    }
    for (const record of chunk) {
      const failed = await this.applyChunk([record], result);
      if (failed) return failed;
    }
    return undefined;
  }

  private async applyAll(chunk: RecordEffects[], result: ApplyResult): Promise<void> {
    const { applied, duplicates } = await this.applyCounters(chunk.filter((r) => r.counters.length > 0));
    result.applied += applied;
    result.skippedAsDuplicate += duplicates;
    // Memberships read and rewrite shared duplicate groups: one at a time, in record order.
    for (const record of chunk) for (const change of record.memberships) await this.applyMembership(change);
    // Creates (follow-ups) and newest-wins values are each idempotent and name distinct items or are
    // ordered by their own condition: a batch's round trips overlap instead of queueing, which is what
    // keeps one survey-day's stream shard ahead of 1,000 answers a second (docs/scaling.md).
    await boundedAll(
      chunk.flatMap((r) => r.creates ?? []),
      SIDE_WRITES_IN_FLIGHT,
      (create) => this.createOnce(create),
    );
    await boundedAll(
      chunk.flatMap((r) => r.latest ?? []),
      SIDE_WRITES_IN_FLIGHT,
      (latest) => this.setIfNewer(latest),
    );
  }

  /**
   * Groups records so that each transaction holds at most 100 items (markers + distinct counter
   * items) and no counter item's update expression outgrows DynamoDB's 4 KB limit.
   */
  private *chunks(records: RecordEffects[]): Generator<RecordEffects[]> {
    let chunk: RecordEffects[] = [];
    let names = new Map<string, Set<string>>();
    let markers = 0;
    for (const record of records) {
      const touched = record.counters.map((c) => keyId(c.key));
      const newItems = new Set(touched.filter((k) => !names.has(k))).size;
      const checks = record.requires?.length ?? 0;
      const tooManyItems = markers + (record.counters.length ? 1 + checks : 0) + names.size + newItems > MAX_TX_ITEMS;
      const tooManyNames = record.counters.some(
        (c) => new Set([...(names.get(keyId(c.key)) ?? []), ...Object.keys(c.add)]).size > MAX_NAMES_PER_ITEM,
      );
      if (chunk.length && (tooManyItems || tooManyNames)) {
        yield chunk;
        chunk = [];
        names = new Map();
        markers = 0;
      }
      chunk.push(record);
      if (record.counters.length) markers += 1 + checks;
      for (const c of record.counters) {
        const set = names.get(keyId(c.key)) ?? new Set<string>();
        for (const n of Object.keys(c.add)) set.add(n);
        names.set(keyId(c.key), set);
      }
    }
    if (chunk.length) yield chunk;
  }

  private async applyCounters(records: RecordEffects[]): Promise<{ applied: number; duplicates: number }> {
    let pending = records;
    let duplicates = 0;
    // Each pass either succeeds or drops at least one already-applied record, so it ends.
    while (pending.length) {
      const { items, markerIndex, checkIndex } = this.transaction(pending);
      if (items.length === 0) break;
      try {
        await transactWrite(this.db, items);
        return { applied: pending.length, duplicates };
      } catch (err) {
        if (!(err instanceof TransactionCancelled)) throw toDomainError(err);
        if (err.items.some((i) => i.code === 'ConditionalCheckFailed' && checkIndex.has(i.index))) {
          throw new ServiceUnavailableError(
            'a customer changed (merged or being erased) while their feedback was applied: the batch is retried',
            1,
          );
        }
        const seen = new Set(
          err.items
            .filter((i) => i.code === 'ConditionalCheckFailed')
            .map((i) => markerIndex.get(i.index))
            .filter((x) => x !== undefined),
        );
        if (seen.size === 0) throw err;
        duplicates += seen.size;
        pending = pending.filter((r) => !seen.has(r.eventId));
      }
    }
    return { applied: 0, duplicates };
  }

  private transaction(records: RecordEffects[]): {
    items: TxItem[];
    markerIndex: Map<number, string>;
    checkIndex: Set<number>;
  } {
    const items: TxItem[] = [];
    const markerIndex = new Map<number, string>();
    const checkIndex = new Set<number>();
    const checked = new Set<string>();
    const expiresAt = Math.floor(this.now().getTime() / 1000) + MARKER_TTL_SECONDS;
    const totals = new Map<string, { key: ItemKey; add: Counters; expiresAt?: number }>();
    for (const record of records) {
      markerIndex.set(items.length, record.eventId);
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { ...keys.streamMarker(record.eventId), entity: 'stream-marker', expiresAt },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      });
      for (const { key, exists } of record.requires ?? []) {
        // One check per item: a transaction may not name an item twice.
        if (checked.has(keyId(key))) continue;
        checked.add(keyId(key));
        checkIndex.add(items.length);
        items.push({
          ConditionCheck: {
            TableName: this.tableName,
            Key: key,
            ConditionExpression: exists ? 'attribute_exists(PK)' : 'attribute_not_exists(PK)',
          },
        });
      }
      for (const { key, add, expiresAt: ttl } of record.counters) {
        const total = totals.get(keyId(key)) ?? { key, add: {}, ...(ttl ? { expiresAt: ttl } : {}) };
        for (const [name, n] of Object.entries(add)) total.add[name] = (total.add[name] ?? 0) + n;
        totals.set(keyId(key), total);
      }
    }
    for (const { key, add, expiresAt: ttl } of totals.values()) {
      const names = Object.keys(add).filter((n) => add[n] !== 0);
      if (!names.length) continue;
      const expiry = ttl ? ', expiresAt = if_not_exists(expiresAt, :ttl)' : '';
      items.push({
        Update: {
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `ADD ${names.map((_, i) => `#c${i} :c${i}`).join(', ')} SET entity = if_not_exists(entity, :entity)${expiry}`,
          ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#c${i}`, n])),
          ExpressionAttributeValues: {
            ...Object.fromEntries(names.map((n, i) => [`:c${i}`, add[n]])),
            ':entity': 'counters',
            ...(ttl ? { ':ttl': ttl } : {}),
          },
        },
      });
    }
    return { items, markerIndex, checkIndex };
  }

  private async applyMembership(change: MembershipChange): Promise<void> {
    const steps: [string, 'ADD' | 'DELETE'][] = [];
    if (change.leave) steps.push([change.leave, 'DELETE']);
    if (change.join) steps.push([change.join, 'ADD']);
    for (const [group, op] of steps) {
      const key = keys.duplicateGroup(group);
      try {
        const { Attributes } = await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: `${op} ids :id SET entity = :entity, groupKey = :group`,
            ExpressionAttributeValues: {
              ':id': new Set([change.customerId]),
              ':entity': 'duplicate-group',
              ':group': group,
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        const size = (Attributes?.ids as Set<string> | undefined)?.size ?? 0;
        // A group nobody is in any more goes at once: its key is built from a name and company.
        if (size === 0) await this.deleteIfEmpty(key);
        else await this.flagGroup(key, group, size >= 2);
      } catch (err) {
        throw toDomainError(err);
      }
    }
  }

  private async deleteIfEmpty(key: ItemKey): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({ TableName: this.tableName, Key: key, ConditionExpression: 'attribute_not_exists(ids)' }),
      );
    } catch (err) {
      // Someone joined meanwhile: the group lives on.
      if ((err as Error).name !== 'ConditionalCheckFailedException') throw toDomainError(err);
    }
  }

  /**
   * One conditional put by the item's deterministic key (1 WCU and its index entries, no transaction);
   * a redelivery finds the item and leaves it. With `unlessErased`, a conditional no-op update of the
   * erased item follows the put (on a redelivery too), true only if it has been erased — a check, not a
   * read: the aggregator may not read what a response holds. If it has been erased, what the fallback
   * leaves out is stripped from the item. `erasedAt` is never removed once set, so a check after the put
   * that finds it absent proves it was absent at the put as well — the item then holds exactly what the
   * old put-with-condition-check transaction (2 × 2 WCU) would have written; and if the erasure comes
   * later, it strips the item itself (it finds the item, which exists from the put on).
   */
  private async createOnce({ item, unlessErased }: NonNullable<RecordEffects['creates']>[number]): Promise<void> {
    await this.putIfAbsent(item);
    if (!unlessErased || !(await isErased(this.db, this.tableName, unlessErased.key))) return;
    // A new revision, like the erasure's own strip: an edit read before cannot put the fields back.
    const bump = typeof item.revision === 'number' ? ' SET revision = revision + :one' : '';
    const removed = Object.keys(item).filter(
      (name) => !(name in unlessErased.fallback) && !['PK', 'SK', ...(bump ? ['revision'] : [])].includes(name),
    );
    if (removed.length === 0) return;
    const names = Object.fromEntries(removed.map((name, i) => [`#r${i}`, name]));
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: item.PK, SK: item.SK },
          UpdateExpression: `REMOVE ${Object.keys(names).join(', ')}${bump}`,
          // Only while something is left to strip: a redelivery does not bump the revision again.
          ConditionExpression: `attribute_exists(PK) AND (${Object.keys(names)
            .map((n) => `attribute_exists(${n})`)
            .join(' OR ')})`,
          ExpressionAttributeNames: names,
          ...(bump ? { ExpressionAttributeValues: { ':one': 1 } } : {}),
        }),
      );
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') throw toDomainError(err);
    }
  }

  private async putIfAbsent(item: Record<string, unknown>): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' }),
      );
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') throw toDomainError(err);
    }
  }

  private async setIfNewer({
    key,
    at,
    set,
  }: {
    key: ItemKey;
    at: string;
    set: Record<string, unknown>;
  }): Promise<void> {
    const names = Object.keys(set);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET latestAt = :at, ${names.map((_, i) => `#l${i} = :l${i}`).join(', ')}`,
          ConditionExpression: 'attribute_not_exists(latestAt) OR latestAt < :at',
          ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#l${i}`, n])),
          ExpressionAttributeValues: { ':at': at, ...Object.fromEntries(names.map((n, i) => [`:l${i}`, set[n]])) },
        }),
      );
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') throw toDomainError(err);
    }
  }

  /** Sparse index entry for groups of two or more; the condition re-checks the size so racing writers converge. */
  private async flagGroup(key: ItemKey, group: string, candidate: boolean): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand(
          candidate
            ? {
                TableName: this.tableName,
                Key: key,
                UpdateExpression: 'SET GSI2PK = :pk, GSI2SK = :sk',
                ConditionExpression: 'size(ids) >= :two',
                ExpressionAttributeValues: {
                  ':pk': DUPLICATE_CANDIDATES_PARTITION,
                  ':sk': groupHash(group),
                  ':two': 2,
                },
              }
            : {
                TableName: this.tableName,
                Key: key,
                UpdateExpression: 'REMOVE GSI2PK, GSI2SK',
                ConditionExpression: 'attribute_not_exists(ids) OR size(ids) < :two',
                ExpressionAttributeValues: { ':two': 2 },
              },
        ),
      );
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return;
      throw err;
    }
  }
}
