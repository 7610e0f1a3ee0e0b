/**
 * Signed one-click unsubscribe links (RFC 8058): the link names the survey and the recipient (by
 * `recipientRef`) and carries an HMAC-SHA256 over both with a secret only Rapport holds, so nobody
 * can unsubscribe someone else by guessing or editing a link.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function unsubscribeSignature(secret: Uint8Array, surveyId: string, ref: string): string {
  return createHmac('sha256', secret).update(`rapport-unsubscribe-v1\n${surveyId}\n${ref}`).digest('base64url');
}

export function verifyUnsubscribe(secret: Uint8Array, surveyId: string, ref: string, signature: string): boolean {
  if (!SIGNATURE_PATTERN.test(signature)) return false;
  const expected = Buffer.from(unsubscribeSignature(secret, surveyId, ref));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** `<publicUrl>/v1/unsubscribe?survey=…&recipient=…&signature=…`. */
export function unsubscribeUrl(publicUrl: string, secret: Uint8Array, surveyId: string, ref: string): string {
  const query = new URLSearchParams({
    survey: surveyId,
    recipient: ref,
    signature: unsubscribeSignature(secret, surveyId, ref),
  });
  return `${publicUrl.replace(/\/+$/, '')}/v1/unsubscribe?${query}`;
}

/** The RFC 8058 headers of a message with a one-click unsubscribe link. */
export function unsubscribeHeaders(url: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}
