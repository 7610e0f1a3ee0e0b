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
  | { state: 'new' }
  | { state: 'replay'; outcome: StoredOutcome }
  | { state: 'in-progress' }
  | { state: 'mismatch' };

export interface IdempotencyStore {
  /** Claims the key for this request, or says what happened to it before. */
  begin(scope: string, key: string, fingerprint: string): Promise<Begin>;
  /**
   * Keeps the outcome. `customerId`: the customer whose data the outcome holds, so that erasing the
   * customer erases the kept outcome too.
   */
  complete(scope: string, key: string, outcome: StoredOutcome, customerId?: string): Promise<void>;
  /** Releases the key (the request was refused or failed): a retry runs again. */
  abandon(scope: string, key: string): Promise<void>;
}
