/** What a site's backend does to identify its customer to the widget: sign the id with the identity secret. */
import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';

type Requester = {
  tokens: { admin: string };
  request: (
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ) => Promise<{ status: number; text: string; body: unknown }>;
};

/** Creates the identity secret through the admin API (once per runtime) and returns it. */
export async function createIdentitySecret(rt: Requester): Promise<string> {
  const created = await rt.request('POST', '/v1/identity/secret', { token: rt.tokens.admin, body: {} });
  if (created.status !== 201) throw new Error(`creating the identity secret failed: ${created.status} ${created.text}`);
  return (created.body as { secret: string }).secret;
}

/** HMAC-SHA256 of the customer id, hex: `customerSignature`. */
export const signCustomerId = (secret: string, customerId: string) =>
  createHmac('sha256', secret).update(customerId).digest('hex');

/** The submission fields that identify a customer, verified. */
export const signedIdentity = (secret: string, customerId: string) => ({
  customerId,
  customerSignature: signCustomerId(secret, customerId),
});

/** An HS256 identity token: `sub` = customer id, valid for `seconds` from `issuedAt` (default now). */
export function identityToken(
  secret: string,
  customerId: string,
  options: { seconds?: number; issuedAt?: Date } = {},
): Promise<string> {
  const iat = Math.floor((options.issuedAt ?? new Date()).getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(customerId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.seconds ?? 300))
    .sign(new TextEncoder().encode(secret));
}
