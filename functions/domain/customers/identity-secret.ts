/**
 * The site-identity secret: a site's backend signs its customer's id with it (HMAC-SHA256, or an HS256
 * JWT), the widget passes the signature along, and only a verified identity links a survey response
 * to a customer (docs/api.md "Identity verification"). One secret is current; after a rotation the
 * previous one stays valid for a grace period so sites can roll over without refused identities.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod';
import { IDENTITY_LIMITS } from './identity-limits';

export interface IdentitySecret {
  /** `rsk_` + 43 base64url characters (256 random bits). Its UTF-8 bytes are the HMAC / HS256 key. */
  secret: string;
  createdAt: string;
}

export interface IdentitySecrets {
  /** +1 on every create or rotation: `If-Match` on a rotation, and a retried request's check. */
  version: number;
  current: IdentitySecret;
  /** The secret the last rotation replaced, accepted until `validUntil`. */
  previous?: IdentitySecret & { validUntil: string };
  /**
   * Which request made this version (an id derived from its Idempotency-Key when it had one): a retry
   * after an unknown outcome recognises its own rotation instead of rotating a second time.
   */
  requestId: string;
}

export function newSecret(): string {
  return `rsk_${randomBytes(32).toString('base64url')}`;
}

/** Names a secret without revealing it: lets a site check which secret it holds. */
export const fingerprintOf = (secret: string) => createHash('sha256').update(secret).digest('hex').slice(0, 12);

/** The secrets a signature may be made with at `now`: the current one, and the previous one in its grace period. */
export function validSecrets(secrets: IdentitySecrets | undefined, now: Date): string[] {
  if (!secrets) return [];
  const previous = secrets.previous;
  return previous && Date.parse(previous.validUntil) > now.getTime()
    ? [secrets.current.secret, previous.secret]
    : [secrets.current.secret];
}

/** No options yet; a JSON body (`{}`) is required so that only a deliberate request creates a secret. */
export const identitySecretCreateSchema = z.strictObject({}).meta({ id: 'IdentitySecretCreate' });

export const identitySecretRotateSchema = z
  .strictObject({
    graceHours: z
      .number()
      .int()
      .min(0)
      .max(IDENTITY_LIMITS.maxGraceHours)
      .default(IDENTITY_LIMITS.defaultGraceHours)
      .describe('How long the replaced secret stays valid (0: at once, e.g. after a leak)'),
  })
  .meta({ id: 'IdentitySecretRotate' });
export type IdentitySecretRotate = z.infer<typeof identitySecretRotateSchema>;

/** What the admin API shows about the secrets: never the secret values, except once at creation. */
export const identitySecretStatusSchema = z
  .strictObject({
    version: z.number().int(),
    fingerprint: z.string(),
    createdAt: z.string(),
    previous: z.strictObject({ fingerprint: z.string(), validUntil: z.string() }).optional(),
  })
  .meta({ id: 'IdentitySecretStatus' });
export type IdentitySecretStatus = z.infer<typeof identitySecretStatusSchema>;

export const identitySecretIssuedSchema = identitySecretStatusSchema
  .extend({ secret: z.string().describe('Shown only in this answer: keep it on your server, never in a page') })
  .meta({ id: 'IdentitySecretIssued' });
export type IdentitySecretIssued = z.infer<typeof identitySecretIssuedSchema>;

export function statusOf(secrets: IdentitySecrets, now: Date): IdentitySecretStatus {
  const previous = secrets.previous;
  return {
    version: secrets.version,
    fingerprint: fingerprintOf(secrets.current.secret),
    createdAt: secrets.current.createdAt,
    ...(previous && Date.parse(previous.validUntil) > now.getTime()
      ? { previous: { fingerprint: fingerprintOf(previous.secret), validUntil: previous.validUntil } }
      : {}),
  };
}
