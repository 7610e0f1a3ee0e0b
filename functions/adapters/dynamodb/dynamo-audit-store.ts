/**
 * The audit chain in DynamoDB: entries under `AUDIT#<day>` / `<seq>` (a day's entries in order, the
 * day range of a query walked like response partitions) and the chain's head (`AUDIT` / `HEAD`: last
 * seq and hash). An append is one transaction — the entry, and the head moved from the seq it read to
 * the next — so two concurrent appends can never take the same place in the chain; the loser re-reads
 * the head and tries again. Entries expire after the configured retention.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { functionTimeoutSeconds } from '../../contracts/function-limits';
import {
  type AuditEntry,
  type AuditQuery,
  type AuditRecord,
  type AuditStore,
  chain,
  customerRef,
  GENESIS,
} from '../../domain/audit/audit-entry';
import { ServiceUnavailableError, ValidationError } from '../../domain/errors';
import { bucketDays } from '../../domain/statistics';
import { decodeCursor, encodeCursor } from './cursor';
import { guarded } from './errors';
import { auditKeys } from './keys';
import { queryAll } from './query-all';
import { TransactionCancelled, transactWrite } from './transactions';

/**
 * Appends race for one head, so under concurrent appends most attempts lose and must wait: full-jitter
 * exponential backoff (AWS's recommendation for contended writes) spreads the retries so that each round
 * mostly has one winner instead of all retrying in lockstep. 16 attempts wait about 2 s at most in all;
 * the request's deadline still bounds every call.
 */
const ATTEMPTS = 16;
const BACKOFF_BASE_MS = 5;
const BACKOFF_CAP_MS = 200;
const DAY_MS = 86_400_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function fromItem(item: Record<string, unknown>): AuditEntry {
  const { PK: _p, SK: _s, entity: _e, expiresAt: _x, ...rest } = item;
  return rest as unknown as AuditEntry;
}

const isCursor = (v: unknown): v is { day: string; after?: string } =>
  typeof v === 'object' &&
  v !== null &&
  /^\d{4}-\d{2}-\d{2}$/.test(String((v as { day?: unknown }).day)) &&
  ((v as { after?: unknown }).after === undefined || /^\d{12}$/.test(String((v as { after?: unknown }).after)));

/** The longest an append can come after its entry's `at`: no function that records runs longer. */
const APPEND_SKEW_MS = Math.max(...Object.values(functionTimeoutSeconds)) * 1000;

export class DynamoAuditStore implements AuditStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The append this process started last: the next one waits for it (see `append`). */
  private tail: Promise<unknown> = Promise.resolve();

  /**
   * Appends of one process go one after another: they would only race each other for the head (in
   * AWS an instance serves one request at a time, so this matters where one process serves many, as
   * the local runtime does). Each waits in its own request's context, so its own deadline still
   * bounds it; appends from other instances are settled by the head's condition and the backoff.
   */
  async append(record: AuditRecord): Promise<AuditEntry> {
    const previous = this.tail;
    let release = () => {};
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      await previous;
      return await this.appendAfterHead(record);
    } finally {
      release();
    }
  }

  private async appendAfterHead(record: AuditRecord): Promise<AuditEntry> {
    for (let attempt = 1; ; attempt++) {
      const { Item: head } = await guarded(() =>
        this.db.send(new GetCommand({ TableName: this.tableName, Key: auditKeys.head(), ConsistentRead: true })),
      );
      const lastSeq = typeof head?.seq === 'number' ? head.seq : 0;
      const entry = chain(record, lastSeq + 1, typeof head?.hash === 'string' ? head.hash : GENESIS);
      const expiresAt = Math.floor(Date.parse(record.at) / 1000) + this.retentionDays * 86_400;
      try {
        await transactWrite(this.db, [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...auditKeys.entry(record.at.slice(0, 10), entry.seq), entity: 'audit', ...entry, expiresAt },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          {
            Update: {
              TableName: this.tableName,
              Key: auditKeys.head(),
              UpdateExpression: 'SET seq = :seq, #hash = :hash, entity = :entity',
              ConditionExpression: lastSeq === 0 ? 'attribute_not_exists(seq)' : 'seq = :last',
              ExpressionAttributeNames: { '#hash': 'hash' },
              ExpressionAttributeValues: {
                ':seq': entry.seq,
                ':hash': entry.hash,
                ':entity': 'audit-head',
                ...(lastSeq === 0 ? {} : { ':last': lastSeq }),
              },
            },
          },
        ]);
        return entry;
      } catch (err) {
        if (!(err instanceof TransactionCancelled) || attempt === ATTEMPTS) {
          if (err instanceof TransactionCancelled)
            throw new ServiceUnavailableError('the audit log is busy; nothing was recorded, try again', 1);
          throw err;
        }
        await sleep(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));
      }
    }
  }

  async list(query: AuditQuery): Promise<{ items: AuditEntry[]; nextCursor?: string }> {
    const to = query.to ? new Date(query.to) : this.now();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
    let days: string[];
    try {
      days = bucketDays(from.toISOString().slice(0, 10), to.toISOString().slice(0, 10), 'day').reverse();
    } catch (err) {
      throw new ValidationError([{ path: 'query/from', message: (err as Error).message }]);
    }
    const start = query.cursor ? decodeCursor(query.cursor, isCursor) : undefined;
    let index = start ? days.indexOf(start.day) : 0;
    if (index < 0) throw new ValidationError([{ path: 'query/cursor', message: 'does not belong to this range' }]);
    let after = start?.after;
    const items: AuditEntry[] = [];
    const filters: string[] = ['#at BETWEEN :from AND :to'];
    const names: Record<string, string> = { '#at': 'at' };
    const values: Record<string, unknown> = { ':from': from.toISOString(), ':to': to.toISOString() };
    if (query.actor) {
      filters.push('actor = :actor');
      values[':actor'] = query.actor;
    }
    if (query.customer) {
      filters.push('ids.id = :customer');
      values[':customer'] = customerRef(query.customer);
    }
    if (query.operation) {
      filters.push('#operation = :operation');
      names['#operation'] = 'operation';
      values[':operation'] = query.operation;
    }
    if (query.outcome) {
      const [low, high] =
        query.outcome === 'success' ? [0, 399] : query.outcome === 'refused' ? [400, 499] : [500, 599];
      filters.push('#status BETWEEN :low AND :high');
      names['#status'] = 'status';
      values[':low'] = low;
      values[':high'] = high;
    }
    for (let pages = 0; index < days.length && pages < 60; pages++) {
      const day = days[index] ?? '';
      const result = await guarded(() =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'PK = :pk',
            FilterExpression: filters.join(' AND '),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ...values, ':pk': auditKeys.partition(day) },
            ScanIndexForward: false,
            Limit: 200,
            ...(after ? { ExclusiveStartKey: { PK: auditKeys.partition(day), SK: after } } : {}),
          }),
        ),
      );
      for (const item of result.Items ?? []) {
        items.push(fromItem(item));
        if (items.length === query.limit) return { items, nextCursor: encodeCursor({ day, after: String(item.SK) }) };
      }
      if (result.LastEvaluatedKey) after = String(result.LastEvaluatedKey.SK);
      else {
        index++;
        after = undefined;
      }
    }
    return index < days.length
      ? { items, nextCursor: encodeCursor({ day: days[index] ?? '', ...(after ? { after } : {}) }) }
      : { items };
  }

  /**
   * Every entry from the first to the last place in the chain that the range's entries hold — also
   * those stamped just outside the range. An entry's `at` is taken when its request is recorded and its
   * place when its append wins the head, so under concurrent appends a later place can carry an earlier
   * time; a range that cut between them would show a place missing where nothing is. No append comes
   * later after its stamp than its function's timeout, so entries that far around the range are read too.
   */
  async range(fromIso: string, toIso: string): Promise<AuditEntry[]> {
    const wideFrom = new Date(Date.parse(fromIso) - APPEND_SKEW_MS).toISOString();
    const wideTo = new Date(Date.parse(toIso) + APPEND_SKEW_MS).toISOString();
    const around: AuditEntry[] = [];
    for (const day of bucketDays(wideFrom.slice(0, 10), wideTo.slice(0, 10), 'day')) {
      const items = await queryAll(this.db, {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': auditKeys.partition(day) },
        ConsistentRead: true,
      });
      around.push(...items.map(fromItem).filter((e) => e.at >= wideFrom && e.at <= wideTo));
    }
    const inRange = around.filter((e) => e.at >= fromIso && e.at <= toIso).map((e) => e.seq);
    if (inRange.length === 0) return [];
    const first = Math.min(...inRange);
    const last = Math.max(...inRange);
    return around.filter((e) => e.seq >= first && e.seq <= last).sort((a, b) => a.seq - b.seq);
  }
}
