import { monotonicFactory } from 'ulid';
import type { IdGenerator } from '../domain/ports';

const next = monotonicFactory();

/** Monotonic ULIDs: ids minted in the same millisecond still sort in creation order. */
export const ulidGenerator: IdGenerator = { next: () => next() };
