/**
 * Is the customer a survey answer names really that customer? Only the site's backend knows the
 * identity secret, so a customer id arrives verified only with its HMAC-SHA256 signature (hex, compared
 * in constant time) or inside a short-lived HS256 JWT (`sub` = the customer id). Everything else is an
 * unverified claim, which never links an answer to a customer.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';
import { IDENTITY_LIMITS } from './identity-limits';
import { validSecrets } from './identity-secret';
import type { IdentitySecretStore } from './identity-secret-store';

export interface IdentityClaim {
  customerId?: string | undefined;
  /** HMAC-SHA256 of the customer id with the identity secret, hex. */
  customerSignature?: string | undefined;
  /** HS256 JWT signed with the identity secret: `sub` = customer id, `exp` at most 10 minutes ahead. */
  identityToken?: string | undefined;
}

export const UNVERIFIED_REASONS = [
  'unsigned',
  'no-secret',
  'bad-signature',
  'bad-token',
  'expired-token',
  'token-too-long-lived',
  'subject-mismatch',
] as const;
export type UnverifiedReason = (typeof UNVERIFIED_REASONS)[number];

export type IdentityCheck =
  | { verified: true; customerId: string; method: 'signature' | 'token' }
  | { verified: false; customerId?: string; reason: UnverifiedReason };

/** What a person reading a 201 or a stored response is told about an identity that did not verify. */
export const UNVERIFIED_HELP: Record<UnverifiedReason, string> = {
  unsigned:
    'customerId was sent without customerSignature or identityToken: sign it on your server (see "Identity verification" in docs/api.md); the answer is kept but not linked to the customer',
  'no-secret':
    'no identity secret exists yet: an admin creates one with POST /v1/identity/secret; the answer is kept but not linked',
  'bad-signature':
    'customerSignature is not the HMAC-SHA256 (hex) of customerId with a current identity secret; the answer is kept but not linked',
  'bad-token':
    'identityToken is not an HS256 JWT signed with a current identity secret; the answer is kept but not linked',
  'expired-token': 'identityToken has expired; the answer is kept but not linked',
  'token-too-long-lived': `identityToken must expire at most ${IDENTITY_LIMITS.maxTokenSeconds / 60} minutes after it is used; the answer is kept but not linked`,
  'subject-mismatch': 'customerId differs from the identityToken subject; the answer is kept but not linked',
};

const CUSTOMER_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const signatureOf = (secret: string, customerId: string) =>
  createHmac('sha256', secret).update(customerId, 'utf8').digest('hex');

function signatureMatches(secrets: readonly string[], customerId: string, signature: string): boolean {
  const given = Buffer.from(signature.toLowerCase(), 'hex');
  let match = false;
  // Every secret is compared (no early exit), each in constant time.
  for (const secret of secrets) {
    const expected = Buffer.from(signatureOf(secret, customerId), 'hex');
    if (given.length === expected.length && timingSafeEqual(given, expected)) match = true;
  }
  return match;
}

async function tokenCheck(secrets: readonly string[], token: string, claimed: string | undefined, now: Date) {
  let reason: UnverifiedReason = 'bad-token';
  for (const secret of secrets) {
    try {
      const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
        algorithms: ['HS256'],
        currentDate: now,
        clockTolerance: IDENTITY_LIMITS.clockToleranceSeconds,
        requiredClaims: ['sub', 'exp'],
      });
      const sub = payload.sub ?? '';
      if (!CUSTOMER_ID.test(sub)) return { verified: false as const, reason: 'bad-token' as const };
      const maxExp = now.getTime() / 1000 + IDENTITY_LIMITS.maxTokenSeconds + IDENTITY_LIMITS.clockToleranceSeconds;
      if ((payload.exp ?? Number.POSITIVE_INFINITY) > maxExp)
        return { verified: false as const, customerId: sub, reason: 'token-too-long-lived' as const };
      if (claimed !== undefined && claimed !== sub)
        return { verified: false as const, customerId: claimed, reason: 'subject-mismatch' as const };
      return { verified: true as const, customerId: sub, method: 'token' as const };
    } catch (err) {
      // Expiry is checked only once the signature is good: this secret signed it, and it is too late.
      if (err instanceof joseErrors.JWTExpired) reason = 'expired-token';
    }
  }
  return { verified: false as const, ...(claimed ? { customerId: claimed } : {}), reason };
}

/** Pure: checks a claim against the secrets valid at `now`. Undefined when the answer names nobody. */
export async function checkIdentity(
  claim: IdentityClaim,
  secrets: readonly string[],
  now: Date,
): Promise<IdentityCheck | undefined> {
  const { customerId, customerSignature, identityToken } = claim;
  if (!customerId && !identityToken) return undefined;
  if (!customerSignature && !identityToken)
    return { verified: false, ...(customerId ? { customerId } : {}), reason: 'unsigned' };
  if (secrets.length === 0) return { verified: false, ...(customerId ? { customerId } : {}), reason: 'no-secret' };
  if (identityToken) return tokenCheck(secrets, identityToken, customerId, now);
  if (customerId && customerSignature && signatureMatches(secrets, customerId, customerSignature))
    return { verified: true, customerId, method: 'signature' };
  return { verified: false, ...(customerId ? { customerId } : {}), reason: 'bad-signature' };
}

/** Checks claims against the stored secrets, read when a claim carries a signature or token. */
export class IdentityVerifier {
  constructor(private readonly secrets: Pick<IdentitySecretStore, 'get'>) {}

  async check(claim: IdentityClaim, now: Date): Promise<IdentityCheck | undefined> {
    const signed = claim.customerSignature !== undefined || claim.identityToken !== undefined;
    return checkIdentity(claim, signed ? validSecrets(await this.secrets.get(), now) : [], now);
  }
}
