/**
 * What every adapter suite is given: a document client configured exactly as the functions configure
 * theirs, a table of its own (created from THE table schema, so a full scan shows only what that
 * suite wrote), and `observe`, which tells exactly which items a call added, removed or changed.
 */
import { type AttributeValue, type DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { type FaultProxy, installFaultProxy } from '../../support/fault-proxy';

export type Item = Record<string, unknown>;

export interface AdapterEnv {
  readonly endpoint: string;
  /** The low-level client: the tests' own reads and set-up writes (the fault proxy never touches it). */
  readonly raw: DynamoDBClient;
  /** From `createDocumentClient`, as in the functions. */
  readonly db: DynamoDBDocumentClient;
}

export class AdapterTable {
  constructor(
    readonly tableName: string,
    private readonly env: () => AdapterEnv,
  ) {}

  get db(): DynamoDBDocumentClient {
    return this.env().db;
  }

  get raw(): DynamoDBClient {
    return this.env().raw;
  }

  get endpoint(): string {
    return this.env().endpoint;
  }

  /** Every item of the table (strongly consistent), sorted by key. */
  async items(): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.raw.send(
        new ScanCommand({ TableName: this.tableName, ConsistentRead: true, ExclusiveStartKey: start }),
      );
      items.push(...(page.Items ?? []).map((i) => unmarshall(i)));
      start = page.LastEvaluatedKey;
    } while (start);
    // By code unit, like Array#sort, so expectations can be written as `[...].sort()`.
    return items.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  }

  async item(key: { PK: string; SK: string }): Promise<Item | undefined> {
    const { Item: found } = await this.raw.send(
      new GetItemCommand({ TableName: this.tableName, Key: marshall(key), ConsistentRead: true }),
    );
    return found ? unmarshall(found) : undefined;
  }
}

/** A suite module registers its `describe` block for the table it is given. */
export type AdapterSuite = (table: AdapterTable) => void;

/** `PK/SK` of an item. */
export const keyOf = (item: Item) => `${String(item.PK)}/${String(item.SK)}`;

export interface TableChanges<T> {
  readonly value?: T;
  /** What the call threw (undefined when it resolved). */
  readonly error?: unknown;
  readonly added: Item[];
  readonly removed: Item[];
  readonly changed: { before: Item; after: Item }[];
  /** `PK/SK` of every added, removed and changed item, sorted: what the call wrote, at a glance. */
  readonly keys: { added: string[]; removed: string[]; changed: string[] };
}

export const NO_CHANGES = { added: [], removed: [], changed: [] };

/** Runs `action` and compares the whole table before and after it. */
export async function observe<T>(table: AdapterTable, action: () => Promise<T>): Promise<TableChanges<T>> {
  const before = new Map((await table.items()).map((i) => [keyOf(i), i]));
  let value: T | undefined;
  let error: unknown;
  let failed = false;
  try {
    value = await action();
  } catch (err) {
    failed = true;
    error = err;
  }
  const after = new Map((await table.items()).map((i) => [keyOf(i), i]));
  const added = [...after].filter(([k]) => !before.has(k)).map(([, i]) => i);
  const removed = [...before].filter(([k]) => !after.has(k)).map(([, i]) => i);
  const changed = [...after]
    .filter(([k, i]) => before.has(k) && canonical(before.get(k)) !== canonical(i))
    .map(([k, i]) => ({ before: before.get(k) as Item, after: i }));
  return {
    ...(failed ? { error } : { value: value as T }),
    added,
    removed,
    changed,
    keys: { added: added.map(keyOf), removed: removed.map(keyOf), changed: changed.map((c) => keyOf(c.after)) },
  };
}

/** Installs the fault proxy (every document-client call goes through it) for the length of `run`. */
export async function withFaultProxy<T>(run: (proxy: FaultProxy) => Promise<T>): Promise<T> {
  const proxy = installFaultProxy();
  try {
    return await run(proxy);
  } finally {
    proxy.restore();
  }
}

function canonical(value: unknown): string {
  if (value instanceof Set) return `Set(${[...value].map(canonical).sort().join(',')})`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Item)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
