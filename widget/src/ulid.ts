/** ULIDs (26 chars Crockford base32, time-ordered): the response id, made in the browser when the person submits. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function ulid(now = Date.now()): string {
  let id = '';
  // 26 random bytes, the first 10 replaced by the time, most significant 5 bits first: a Uint8Array
  // keeps the low 8 bits of each quotient (dividing by a power of two is exact), `& 31` the low 5.
  for (const b of crypto.getRandomValues(new Uint8Array(26)).map((b, i) => (i < 10 ? now / 32 ** (9 - i) : b)))
    id += ALPHABET[b & 31];
  return id;
}
