/** The identity check itself: which secrets count at a given moment, and what makes a token or signature valid. */
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { type IdentitySecrets, validSecrets } from '../../../../functions/domain/customers/identity-secret';
import { checkIdentity, signatureOf } from '../../../../functions/domain/customers/identity-verification';

const ID = '01JABCDEFGHJKMNPQRSTVWXYZ0';
const NOW = new Date('2026-03-01T12:00:00Z');
const CURRENT = `rsk_${'c'.repeat(43)}`;
const PREVIOUS = `rsk_${'p'.repeat(43)}`;

const secrets = (validUntil: string): IdentitySecrets => ({
  version: 2,
  current: { secret: CURRENT, createdAt: '2026-03-01T00:00:00Z' },
  previous: { secret: PREVIOUS, createdAt: '2026-01-01T00:00:00Z', validUntil },
  requestId: 'r',
});

const token = (secret: string, claims: { sub?: string; exp?: number }) => {
  const jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(NOW.getTime() / 1000);
  if (claims.sub) jwt.setSubject(claims.sub);
  if (claims.exp) jwt.setExpirationTime(claims.exp);
  return jwt.sign(new TextEncoder().encode(secret));
};
const inSeconds = (s: number) => Math.floor(NOW.getTime() / 1000) + s;

describe('which secrets count', () => {
  it('the previous secret only until its grace period ends', () => {
    expect(validSecrets(secrets('2026-03-01T12:00:01Z'), NOW)).toEqual([CURRENT, PREVIOUS]);
    expect(validSecrets(secrets('2026-03-01T12:00:00Z'), NOW)).toEqual([CURRENT]);
    expect(validSecrets(undefined, NOW)).toEqual([]);
  });
});

describe('signatures', () => {
  it('the HMAC-SHA256 hex of the id with a valid secret, in either letter case', async () => {
    for (const secret of [CURRENT, PREVIOUS]) {
      const sig = signatureOf(secret, ID);
      for (const given of [sig, sig.toUpperCase()])
        expect(await checkIdentity({ customerId: ID, customerSignature: given }, [CURRENT, PREVIOUS], NOW)).toEqual({
          verified: true,
          customerId: ID,
          method: 'signature',
        });
    }
  });

  it('not a signature of another id, nor one made with a secret that no longer counts', async () => {
    const other = signatureOf(CURRENT, '01JZZZZZZZZZZZZZZZZZZZZZZZ');
    expect(await checkIdentity({ customerId: ID, customerSignature: other }, [CURRENT], NOW)).toMatchObject({
      verified: false,
      reason: 'bad-signature',
    });
    const old = signatureOf(PREVIOUS, ID);
    expect(await checkIdentity({ customerId: ID, customerSignature: old }, [CURRENT], NOW)).toMatchObject({
      verified: false,
      customerId: ID,
      reason: 'bad-signature',
    });
  });

  it('an id alone is unsigned; nothing at all names nobody', async () => {
    expect(await checkIdentity({ customerId: ID }, [CURRENT], NOW)).toEqual({
      verified: false,
      customerId: ID,
      reason: 'unsigned',
    });
    expect(await checkIdentity({}, [CURRENT], NOW)).toBeUndefined();
  });
});

describe('identity tokens', () => {
  it('HS256 with sub and an exp at most 10 minutes (plus clock tolerance) ahead', async () => {
    expect(
      await checkIdentity({ identityToken: await token(CURRENT, { sub: ID, exp: inSeconds(600) }) }, [CURRENT], NOW),
    ).toEqual({ verified: true, customerId: ID, method: 'token' });
    expect(
      await checkIdentity({ identityToken: await token(CURRENT, { sub: ID, exp: inSeconds(3600) }) }, [CURRENT], NOW),
    ).toMatchObject({ verified: false, reason: 'token-too-long-lived' });
  });

  it('refuses a token without exp or sub, an unsigned one, and one whose sub is not a customer id', async () => {
    const unsecured = new UnsecuredJWT({}).setSubject(ID).setExpirationTime(inSeconds(60)).encode();
    for (const identityToken of [
      await token(CURRENT, { sub: ID }),
      await token(CURRENT, { exp: inSeconds(60) }),
      unsecured,
      await token(CURRENT, { sub: 'admin', exp: inSeconds(60) }),
    ])
      expect(await checkIdentity({ identityToken }, [CURRENT], NOW)).toMatchObject({
        verified: false,
        reason: 'bad-token',
      });
  });

  it('an expired token is told apart from a forged one only when its signature is good', async () => {
    const expired = await token(CURRENT, { sub: ID, exp: inSeconds(-120) });
    expect(await checkIdentity({ identityToken: expired }, [CURRENT], NOW)).toMatchObject({ reason: 'expired-token' });
    expect(await checkIdentity({ identityToken: expired }, [PREVIOUS], NOW)).toMatchObject({ reason: 'bad-token' });
  });
});
