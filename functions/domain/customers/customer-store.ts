/** The port the customer service needs from storage. The DynamoDB adapter implements it. */
import type { Customer } from './customer';

export interface CustomerPage {
  items: Customer[];
  nextCursor?: string;
}

export interface ListOptions {
  limit: number;
  cursor?: string;
  segment?: string;
  tag?: string;
  updatedSince?: string;
}

export interface QualityCounters {
  total: number;
  missing: Record<string, number>;
  invalid: Record<string, number>;
}

/** A record merged into another: its id (an alias of the survivor now), and its own e-mail and phone. */
export interface MergedRecord {
  id: string;
  email?: string;
  phone?: string;
}

export interface DuplicateGroup {
  key: string;
  customerIds: string[];
}

/**
 * Every write is all-or-nothing. Writes that would give an e-mail or phone to a second customer throw
 * `ConflictError` with `existingCustomerId`; writes against a changed record (version mismatch)
 * throw `PreconditionFailedError`.
 */
export interface CustomerStore {
  get(id: string): Promise<Customer | undefined>;
  findIdByEmail(email: string): Promise<string | undefined>;
  findIdByPhone(phone: string): Promise<string | undefined>;
  create(customer: Customer): Promise<void>;
  /** Replaces `previous` (matched on its version) with `next`, moving the uniqueness guards. */
  update(previous: Customer, next: Customer): Promise<void>;
  /** Removes the record, its guards, its feedback counters and its erasure marker, in one transaction. */
  delete(previous: Customer): Promise<void>;
  /**
   * In one transaction: `primaryNext` replaces `primaryPrevious`, `duplicate` and its guards go away,
   * and a tombstone says the duplicate's id now stands for the primary. What the duplicate's id is
   * linked to (responses, follow-ups) moves only after that commit, from the table's stream.
   * A customer being erased is never merged (`ConflictError`).
   */
  merge(primaryPrevious: Customer, primaryNext: Customer, duplicate: Customer): Promise<void>;
  /** Erasure has begun: from now on nothing new links to the customer and no merge touches them. Idempotent. */
  beginErasure(id: string): Promise<void>;
  isBeingErased(id: string): Promise<boolean>;
  /** Erasure is over for an id without a record: its marker and any counters go. Idempotent. */
  endErasure(id: string): Promise<void>;
  /** The records merged into this customer (their tombstones name it). */
  mergedInto(id: string): Promise<MergedRecord[]>;
  /** Forgets that `mergedId` stood for another customer (erasure of the survivor). Idempotent. */
  forgetMerged(mergedId: string): Promise<void>;
  list(options: ListOptions): Promise<CustomerPage>;
  qualityCounters(): Promise<QualityCounters>;
  countUpdatedBefore(isoInstant: string): Promise<number>;
  duplicateGroups(limit: number): Promise<DuplicateGroup[]>;
}
