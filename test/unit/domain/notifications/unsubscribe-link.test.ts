/** Signed unsubscribe links: the signature binds survey and recipient, and nothing else verifies. */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recipientRef } from '../../../../functions/domain/notifications/recipient-ref';
import {
  unsubscribeHeaders,
  unsubscribeSignature,
  unsubscribeUrl,
  verifyUnsubscribe,
} from '../../../../functions/domain/notifications/unsubscribe-link';

const secret = randomBytes(32);
const ref = recipientRef('Ops.Lead@Example.com');

describe('unsubscribe links', () => {
  it('name the recipient by a hash of the normalised address, never the address', () => {
    expect(ref).toBe(recipientRef('ops.lead@example.com'));
    const url = unsubscribeUrl('https://rapport.example.com/', secret, 'S1', ref);
    expect(url).toMatch(
      /^https:\/\/rapport\.example\.com\/v1\/unsubscribe\?survey=S1&recipient=[0-9a-f]{32}&signature=/,
    );
    expect(url.toLowerCase()).not.toContain('ops.lead');
    expect(unsubscribeHeaders(url)).toEqual({
      'List-Unsubscribe': `<${url}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('verify only with the same secret, survey and recipient', () => {
    const sig = unsubscribeSignature(secret, 'S1', ref);
    expect(verifyUnsubscribe(secret, 'S1', ref, sig)).toBe(true);
    expect(verifyUnsubscribe(randomBytes(32), 'S1', ref, sig)).toBe(false);
    expect(verifyUnsubscribe(secret, 'S2', ref, sig)).toBe(false);
    expect(verifyUnsubscribe(secret, 'S1', recipientRef('x@example.com'), sig)).toBe(false);
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (guess) => {
        if (guess !== sig) expect(verifyUnsubscribe(secret, 'S1', ref, guess)).toBe(false);
      }),
    );
  });
});
