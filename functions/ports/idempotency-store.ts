/**
 * The port where `Idempotency-Key` outcomes are kept (functions/http/idempotency.ts runs writes through
 * it; functions/adapters/dynamodb implements it). Ports that are not about one domain live here.
 */
export interface StoredOutcome {
  statusCode: number;
  headers: Record<string, string>;
  body?: string;
}

export type Begin =
  /** The key is this request's now. `claimedAt` (ms) is the first attempt's: ids derive from it. */
  | { state: 'new'; claimedAt: number }
  | { state: 'replay'; outcome: StoredOutcome }
  /** Another attempt holds the key until `retryAfterSeconds` from now. */
  | { state: 'in-progress'; retryAfterSeconds: number }
  | { state: 'mismatch' };

export interface IdempotencyStore {
  /**
   * Claims the key for this request, or says what happened to it before. A claim whose attempt ended
   * without an outcome (it timed out) can be taken over once its lock expires; the takeover keeps the
   * first attempt's `claimedAt`.
   */
  begin(scope: string, key: string, fingerprint: string): Promise<Begin>;
  /**
   * Keeps the outcome. `customerId`: the customer whose data the outcome holds, so that erasing the
   * customer erases the kept outcome too.
   */
  complete(scope: string, key: string, outcome: StoredOutcome, customerId?: string): Promise<void>;
  /** Releases the key (the request was refused or failed): a retry runs again. */
  abandon(scope: string, key: string): Promise<void>;
}
