/**
 * Ids are ULIDs: time-ordered, so creation order is id order. Inside a write sent with an
 * `Idempotency-Key`, the ids it creates are derived from the key instead of drawn at random — same
 * time part (the first attempt's), same random part (an HMAC of the key and what the id is for) — so a
 * retry after an unknown outcome tries to create the very same record, and a conditional put on that
 * id turns a would-be duplicate into "it is already there".
 */
import { createHmac } from 'node:crypto';
import { encodeTime, monotonicFactory } from 'ulid';
import type { IdGenerator } from '../domain/ports';
import { currentScope } from '../ports/request-scope';

const next = monotonicFactory();
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 16 Crockford characters (80 bits) from a hash: the random part of a derived ULID. */
function randomPart(seed: string, hint: string): string {
  const digest = createHmac('sha256', seed).update(hint).digest();
  let out = '';
  for (let i = 0; i < 16; i++) {
    // 5 bits per character, read across byte boundaries.
    const bit = i * 5;
    const byte = bit >> 3;
    const value = (((digest[byte] ?? 0) << 8) | (digest[byte + 1] ?? 0)) >> (11 - (bit & 7));
    out += CROCKFORD[value & 31];
  }
  return out;
}

export const ulidGenerator: IdGenerator = {
  next: (hint = 'id') => {
    const seed = currentScope()?.idSeed;
    return seed ? encodeTime(seed.time, 10) + randomPart(seed.seed, hint) : next();
  },
};
