/**
 * The audit log (regular audits, as the requirements ask): every admin write and every read of
 * personal data, as who / what / when / outcome — never the personal values themselves (no bodies, no
 * query values, no names or e-mails; record ids are kept, they are what an auditor follows).
 *
 * Entries form a hash chain: each carries the hash of the one before it, and its own hash covers its
 * content and that link. Changing, removing or inserting an entry breaks every hash after it, which
 * `verifyChain` finds.
 */
import { createHash } from 'node:crypto';
import type { AuditQuery } from './audit-schema';

export interface AuditRecord {
  /** When the request was answered. */
  at: string;
  /** The caller's subject (the user pool's `sub`) and roles. */
  actor: string;
  roles: string[];
  /** What: the route's operation, its method and path template, and the ids in the path. */
  operation: string;
  method: string;
  path: string;
  ids: Record<string, string>;
  /** The query parameters' names (never their values: a lookup's value is an e-mail). */
  queryNames: string[];
  /** Outcome: the HTTP status, and whether it replayed an earlier outcome of the same Idempotency-Key. */
  status: number;
  replayed: boolean;
  requestId: string;
  /** `write` (an admin write) or `personal-data` (a read of personal data). */
  kind: 'write' | 'personal-data';
}

export interface AuditEntry extends AuditRecord {
  /** Position in the chain, from 1. */
  seq: number;
  /** Hash of the entry before (64 zeros before the first). */
  prev: string;
  hash: string;
}

export const GENESIS = '0'.repeat(64);

/**
 * How an entry names a person's record: a hash of the customer id, not the id. An auditor who knows an
 * id finds its entries (`GET /v1/audit?customer=<id>` hashes it); once the customer is erased the id is
 * gone everywhere and the entries no longer point at anyone — without changing them, which would break
 * the chain.
 */
export function customerRef(customerId: string): string {
  return `customer:${createHash('sha256').update(customerId).digest('hex').slice(0, 32)}`;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function hashEntry(record: AuditRecord, seq: number, prev: string): string {
  return createHash('sha256')
    .update(`${seq}\n${prev}\n${canonical(record)}`)
    .digest('hex');
}

export function chain(record: AuditRecord, seq: number, prev: string): AuditEntry {
  return { ...record, seq, prev, hash: hashEntry(record, seq, prev) };
}

export interface ChainCheck {
  /** Entries checked. */
  checked: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** The first entry whose hash or link does not hold, with why; absent when all hold. */
  broken?: { seq: number; reason: string };
}

/**
 * Checks entries given in `seq` order. The first entry's link is taken on trust (older entries may
 * have expired by retention); every later one must follow on with no gap.
 */
export function verifyChain(entries: readonly AuditEntry[]): ChainCheck {
  let previous: AuditEntry | undefined;
  for (const entry of entries) {
    const { seq, prev, hash, ...record } = entry;
    if (hashEntry(record, seq, prev) !== hash) {
      return check(entries, { seq, reason: 'its content does not match its hash (the entry was changed)' });
    }
    if (previous) {
      if (seq !== previous.seq + 1) return check(entries, { seq, reason: `entry ${previous.seq + 1} is missing` });
      if (prev !== previous.hash)
        return check(entries, { seq, reason: 'it does not link to the entry before it (an entry was replaced)' });
    }
    previous = entry;
  }
  return check(entries);
}

function check(entries: readonly AuditEntry[], broken?: ChainCheck['broken']): ChainCheck {
  return {
    checked: entries.length,
    firstSeq: entries[0]?.seq ?? null,
    lastSeq: entries.at(-1)?.seq ?? null,
    ...(broken ? { broken } : {}),
  };
}

export type { AuditQuery } from './audit-schema';

/** The port: append-only storage of the chain. */
export interface AuditStore {
  /** Appends after the current head (retrying when another append won the race); returns the entry. */
  append(record: AuditRecord): Promise<AuditEntry>;
  /** Entries newest first, filtered, paged by cursor. */
  list(query: AuditQuery): Promise<{ items: AuditEntry[]; nextCursor?: string }>;
  /** Entries of a time range in `seq` order (for verification). */
  range(fromIso: string, toIso: string): Promise<AuditEntry[]>;
}
