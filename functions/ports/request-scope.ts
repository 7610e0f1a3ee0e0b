/**
 * What belongs to the one request being served, reachable from any layer without threading it
 * through every call: its deadline (an AbortSignal every DynamoDB call obeys) and, for a write sent
 * with an `Idempotency-Key`, the seed that makes the ids it creates the same on every retry.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface IdSeed {
  /** The first attempt's time (ms): the ids' time part, so a retry's ids equal the first attempt's. */
  readonly time: number;
  /** Unique to the user and the key. */
  readonly seed: string;
}

export interface RequestScope {
  /** Epoch ms by which the request must be answered. */
  readonly deadline: number;
  /** Aborted at the deadline. */
  readonly signal: AbortSignal;
  idSeed?: IdSeed;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` with a deadline `ms` from now; the signal fires then (and the timer is cleared after). */
export async function withDeadline<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineExceeded(ms)), Math.max(0, ms));
  try {
    return await storage.run({ deadline: Date.now() + ms, signal: controller.signal }, fn);
  } finally {
    clearTimeout(timer);
  }
}

export function currentScope(): RequestScope | undefined {
  return storage.getStore();
}

export class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
  constructor(ms: number) {
    super(`the request's ${ms} ms deadline passed`);
  }
}
