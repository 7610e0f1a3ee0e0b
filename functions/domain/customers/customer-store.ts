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
  delete(previous: Customer): Promise<void>;
  /** In one transaction: `primaryNext` replaces `primaryPrevious`, `duplicate` and its guards go away. */
  merge(primaryPrevious: Customer, primaryNext: Customer, duplicate: Customer): Promise<void>;
  list(options: ListOptions): Promise<CustomerPage>;
  qualityCounters(): Promise<QualityCounters>;
  countUpdatedBefore(isoInstant: string): Promise<number>;
  duplicateGroups(limit: number): Promise<DuplicateGroup[]>;
}
