/**
 * Customer records in DynamoDB. Every write is one transaction covering the record and its
 * uniqueness guards (`EMAIL#…`, `PHONE#…`), so no e-mail or phone can ever belong to two customers
 * and no failure can leave a half-written record.
 */

import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Customer } from '../../domain/customers/customer';
import type {
  CustomerPage,
  CustomerStore,
  DuplicateGroup,
  ListOptions,
  MergedRecord,
  QualityCounters,
} from '../../domain/customers/customer-store';
import { ConflictError, PreconditionFailedError, ValidationError } from '../../domain/errors';
import { decodeCursor, encodeCursor, isAfterId } from './cursor';
import { guarded } from './errors';
import {
  CUSTOMERS_PARTITION,
  customerIndexKeys,
  customerIndexPrefixes,
  customerPartition,
  DUPLICATE_CANDIDATES_PARTITION,
  feedbackKeys,
  keys,
  mergedIndexKeys,
} from './keys';
import { queryAll, queryPages } from './query-all';
import { TransactionCancelled, transactWrite } from './transactions';

type TxItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const MAX_QUERY_PAGES = 10;

export function toCustomerItem(c: Customer): Record<string, unknown> {
  return { ...keys.customer(c.id), ...customerIndexKeys(c.id, c.updatedAt), entity: 'customer', ...c };
}

export function fromCustomerItem(item: Record<string, unknown>): Customer {
  const { PK: _pk, SK: _sk, GSI1PK: _a, GSI1SK: _b, GSI2PK: _c, GSI2SK: _d, entity: _e, ...rest } = item;
  const c = rest as unknown as Customer;
  return { ...c, tags: c.tags ?? [], attributes: c.attributes ?? {} };
}

type GuardField = 'email' | 'phone';
const guardKey = (field: GuardField, value: string) =>
  field === 'email' ? keys.emailGuard(value) : keys.phoneGuard(value);
const label = (field: GuardField) => (field === 'email' ? 'e-mail' : 'phone');

export class DynamoCustomerStore implements CustomerStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(id: string): Promise<Customer | undefined> {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.customer(id), ConsistentRead: true })),
    );
    return Item ? fromCustomerItem(Item) : undefined;
  }

  findIdByEmail(email: string) {
    return this.guardOwner(keys.emailGuard(email));
  }

  findIdByPhone(phone: string) {
    return this.guardOwner(keys.phoneGuard(phone));
  }

  async create(customer: Customer): Promise<void> {
    const items: TxItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: toCustomerItem(customer),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    ];
    const guards = this.claimGuards(customer, undefined, items);
    await this.write(
      items,
      guards,
      () => new ConflictError(`a customer with id ${customer.id} already exists`, { existingCustomerId: customer.id }),
    );
  }

  async update(previous: Customer, next: Customer): Promise<void> {
    const items: TxItem[] = [this.putIfVersion(next, previous.version)];
    const guards = this.claimGuards(next, previous, items);
    this.releaseGuards(previous, next, items);
    await this.write(items, guards, () => this.stale(previous));
  }

  async delete(previous: Customer): Promise<void> {
    const items: TxItem[] = [
      {
        Delete: {
          TableName: this.tableName,
          Key: keys.customer(previous.id),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': previous.version },
        },
      },
    ];
    this.releaseGuards(previous, undefined, items);
    // The feedback counters describe this person: they go with the record, and so does the marker of
    // an erasure that ends here.
    items.push({ Delete: { TableName: this.tableName, Key: feedbackKeys.item(previous.id) } });
    items.push({ Delete: { TableName: this.tableName, Key: keys.erasure(previous.id) } });
    await this.write(items, new Map(), () => this.stale(previous));
  }

  async beginErasure(id: string): Promise<void> {
    await guarded(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.erasure(id),
          UpdateExpression: 'SET entity = :entity, startedAt = if_not_exists(startedAt, :now)',
          ExpressionAttributeValues: { ':entity': 'erasure', ':now': new Date().toISOString() },
        }),
      ),
    );
  }

  async isBeingErased(id: string): Promise<boolean> {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.erasure(id), ConsistentRead: true })),
    );
    return Item !== undefined;
  }

  async endErasure(id: string): Promise<void> {
    await transactWrite(this.db, [
      { Delete: { TableName: this.tableName, Key: keys.erasure(id) } },
      { Delete: { TableName: this.tableName, Key: feedbackKeys.item(id) } },
    ]);
  }

  async mergedInto(id: string): Promise<MergedRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
      ExpressionAttributeValues: { ':pk': customerPartition(id), ':prefix': customerIndexPrefixes.merged },
    });
    return items.map((item) => ({
      id: String(item.GSI1SK).slice(customerIndexPrefixes.merged.length),
      ...(typeof item.email === 'string' ? { email: item.email } : {}),
      ...(typeof item.phone === 'string' ? { phone: item.phone } : {}),
    }));
  }

  async forgetMerged(mergedId: string): Promise<void> {
    await guarded(() =>
      this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.mergedCustomer(mergedId) })),
    );
  }

  async merge(primaryPrevious: Customer, primaryNext: Customer, duplicate: Customer): Promise<void> {
    const items: TxItem[] = [
      this.putIfVersion(primaryNext, primaryPrevious.version),
      {
        Delete: {
          TableName: this.tableName,
          Key: keys.customer(duplicate.id),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': duplicate.version },
        },
      },
    ];
    for (const field of ['email', 'phone'] as const) {
      const dupValue = duplicate[field];
      if (!dupValue) continue;
      if (primaryNext[field] === dupValue) {
        // The guard moves: it now names the primary.
        items.push({
          Put: {
            TableName: this.tableName,
            Item: { ...guardKey(field, dupValue), entity: 'guard', customerId: primaryNext.id },
            ConditionExpression: 'customerId = :dup',
            ExpressionAttributeValues: { ':dup': duplicate.id },
          },
        });
      } else {
        items.push(this.deleteGuard(field, dupValue, duplicate.id));
      }
    }
    // The duplicate's id now stands for the primary: the stream moves what is linked to it after this
    // commit (never before: a merge that loses a race must leave nothing moved).
    items.push({
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.mergedCustomer(duplicate.id),
          ...mergedIndexKeys(primaryNext.id, duplicate.id),
          entity: 'merged-customer',
          mergedInto: primaryNext.id,
          mergedAt: primaryNext.updatedAt,
          // The duplicate's own e-mail and phone are the person's too: erasing the survivor searches
          // by them as well (and removes this tombstone).
          ...(duplicate.email ? { email: duplicate.email } : {}),
          ...(duplicate.phone ? { phone: duplicate.phone } : {}),
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    });
    const erasing = new Map<number, string>();
    for (const id of [primaryNext.id, duplicate.id]) {
      erasing.set(items.length, id);
      items.push({
        ConditionCheck: {
          TableName: this.tableName,
          Key: keys.erasure(id),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      });
    }
    items.push(...(await this.moveFeedback(duplicate.id, primaryNext.id)));
    await this.write(items, new Map(), (index) => {
      if (index === 0) return this.stale(primaryPrevious);
      const erased = erasing.get(index);
      if (erased) return new ConflictError(`customer ${erased} is being erased: it cannot be merged`);
      return new PreconditionFailedError(`customer ${duplicate.id} changed during the merge; try again`);
    });
  }

  /**
   * The duplicate's feedback counters are added to the primary's in the merge transaction; the delete
   * is conditional on the counters not having moved since they were read (else the merge is retried).
   */
  private async moveFeedback(fromId: string, toId: string): Promise<TxItem[]> {
    const [from, to] = await Promise.all(
      [fromId, toId].map(
        async (id) =>
          (
            await guarded(() =>
              this.db.send(
                new GetCommand({ TableName: this.tableName, Key: feedbackKeys.item(id), ConsistentRead: true }),
              ),
            )
          ).Item,
      ),
    );
    if (!from) return [];
    const num = (v: unknown) => (typeof v === 'number' ? v : 0);
    const newer =
      typeof from.latestAt === 'string' && (typeof to?.latestAt !== 'string' || from.latestAt > to.latestAt);
    const set = newer ? ', latestAt = :at, lastScore = :score, lastSurveyId = :survey, lastResponseId = :response' : '';
    return [
      {
        Update: {
          TableName: this.tableName,
          Key: feedbackKeys.item(toId),
          UpdateExpression: `ADD feedbackCount :count, scoredCount :scored, scoreSum :sum SET entity = :entity${set}`,
          ExpressionAttributeValues: {
            ':count': num(from.feedbackCount),
            ':scored': num(from.scoredCount),
            ':sum': num(from.scoreSum),
            ':entity': 'counters',
            ...(newer
              ? {
                  ':at': from.latestAt,
                  ':score': from.lastScore,
                  ':survey': from.lastSurveyId,
                  ':response': from.lastResponseId,
                }
              : {}),
          },
        },
      },
      {
        Delete: {
          TableName: this.tableName,
          Key: feedbackKeys.item(fromId),
          ConditionExpression:
            typeof from.feedbackCount === 'number' ? 'feedbackCount = :count' : 'attribute_not_exists(feedbackCount)',
          ...(typeof from.feedbackCount === 'number'
            ? { ExpressionAttributeValues: { ':count': from.feedbackCount } }
            : {}),
        },
      },
    ];
  }

  async list(options: ListOptions): Promise<CustomerPage> {
    // Attribute names go through placeholders: `segment` is a DynamoDB reserved word.
    const filters: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pk': CUSTOMERS_PARTITION };
    if (options.segment !== undefined) {
      filters.push('#segment = :segment');
      names['#segment'] = 'segment';
      values[':segment'] = options.segment;
    }
    if (options.tag !== undefined) {
      filters.push('contains(#tags, :tag)');
      names['#tags'] = 'tags';
      values[':tag'] = options.tag;
    }
    if (options.updatedSince !== undefined) {
      filters.push('#updatedAt >= :since');
      names['#updatedAt'] = 'updatedAt';
      values[':since'] = new Date(options.updatedSince).toISOString();
    }
    let startId = options.cursor ? decodeCursor(options.cursor, isAfterId).after : undefined;
    const items: Customer[] = [];
    for (let page = 0; page < MAX_QUERY_PAGES; page++) {
      const input: QueryCommandInput = {
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: values,
        Limit: filters.length ? Math.max(options.limit * 4, 100) : options.limit - items.length,
        ...(filters.length ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names } : {}),
        ...(startId ? { ExclusiveStartKey: this.indexKey(startId) } : {}),
      };
      const result = await guarded(() => this.db.send(new QueryCommand(input)));
      for (const item of result.Items ?? []) {
        items.push(fromCustomerItem(item));
        if (items.length === options.limit) {
          // Cut mid-page: the cursor is the last returned record, so the next page starts right after it.
          const more = item !== result.Items?.[result.Items.length - 1] || result.LastEvaluatedKey !== undefined;
          return more ? { items, nextCursor: encodeCursor({ after: String(item.GSI1SK) }) } : { items };
        }
      }
      if (!result.LastEvaluatedKey) return { items };
      startId = String(result.LastEvaluatedKey.GSI1SK);
    }
    // Read budget spent on records the filters rejected: hand back what we have and where to go on.
    return { items, nextCursor: encodeCursor({ after: startId as string }) };
  }

  async qualityCounters(): Promise<QualityCounters> {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.customerQuality(), ConsistentRead: true })),
    );
    const counters: QualityCounters = { total: 0, missing: {}, invalid: {} };
    for (const [name, value] of Object.entries(Item ?? {})) {
      if (typeof value !== 'number') continue;
      if (name === 'total') counters.total = value;
      else if (name.startsWith('missing_')) counters.missing[name.slice(8)] = value;
      else if (name.startsWith('invalid_')) counters.invalid[name.slice(8)] = value;
    }
    return counters;
  }

  async countUpdatedBefore(isoInstant: string): Promise<number> {
    let count = 0;
    const pages = queryPages(this.db, {
      TableName: this.tableName,
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK < :before',
      ExpressionAttributeValues: { ':pk': CUSTOMERS_PARTITION, ':before': isoInstant },
      Select: 'COUNT',
    });
    for await (const page of pages) count += page.Count ?? 0;
    return count;
  }

  async duplicateGroups(limit: number): Promise<DuplicateGroup[]> {
    const result = await guarded(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk',
          ExpressionAttributeValues: { ':pk': DUPLICATE_CANDIDATES_PARTITION },
          Limit: limit,
        }),
      ),
    );
    return (result.Items ?? [])
      .map((item) => ({
        key: String(item.groupKey),
        customerIds: [...((item.ids as Set<string> | undefined) ?? [])].sort(),
      }))
      .filter((g) => g.customerIds.length >= 2);
  }

  private indexKey(id: string) {
    return { ...keys.customer(id), GSI1PK: CUSTOMERS_PARTITION, GSI1SK: id };
  }

  private async guardOwner(key: { PK: string; SK: string }): Promise<string | undefined> {
    const { Item } = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    return typeof Item?.customerId === 'string' ? Item.customerId : undefined;
  }

  private putIfVersion(next: Customer, expectedVersion: number): TxItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: toCustomerItem(next),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': expectedVersion },
      },
    };
  }

  /** Adds guard puts for values `next` has and `previous` did not; returns item index → field. */
  private claimGuards(
    next: Customer,
    previous: Customer | undefined,
    items: TxItem[],
  ): Map<number, [GuardField, string]> {
    const guards = new Map<number, [GuardField, string]>();
    for (const field of ['email', 'phone'] as const) {
      const value = next[field];
      if (!value || value === previous?.[field]) continue;
      guards.set(items.length, [field, value]);
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { ...guardKey(field, value), entity: 'guard', customerId: next.id },
          ConditionExpression: 'attribute_not_exists(PK)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      });
    }
    return guards;
  }

  private releaseGuards(previous: Customer, next: Customer | undefined, items: TxItem[]): void {
    for (const field of ['email', 'phone'] as const) {
      const value = previous[field];
      if (value && value !== next?.[field]) items.push(this.deleteGuard(field, value, previous.id));
    }
  }

  private deleteGuard(field: GuardField, value: string, ownerId: string): TxItem {
    return {
      Delete: {
        TableName: this.tableName,
        Key: guardKey(field, value),
        // Only our own guard: never release a value another record holds.
        ConditionExpression: 'attribute_not_exists(PK) OR customerId = :owner',
        ExpressionAttributeValues: { ':owner': ownerId },
      },
    };
  }

  private stale(previous: Customer) {
    return new PreconditionFailedError(
      `customer ${previous.id} has changed since version ${previous.version}: read it again and reapply your change`,
    );
  }

  private async write(
    items: TxItem[],
    guards: Map<number, [GuardField, string]>,
    onRecordConflict: (index: number) => Error,
  ): Promise<void> {
    try {
      await transactWrite(this.db, items);
    } catch (err) {
      if (!(err instanceof TransactionCancelled)) throw err;
      for (const [index, [field, value]] of guards) {
        if (!err.failed(index)) continue;
        const owner = err.failed(index)?.old?.customerId?.S ?? (await this.guardOwner(guardKey(field, value)));
        throw new ConflictError(`the ${label(field)} ${value} already belongs to customer ${owner ?? '(unknown)'}`, {
          field,
          existingCustomerId: owner,
        });
      }
      const failed = err.items.find((i) => i.code === 'ConditionalCheckFailed');
      if (failed) throw onRecordConflict(failed.index);
      throw new ValidationError([{ path: '', message: `the change could not be applied (${err.message})` }]);
    }
  }
}
