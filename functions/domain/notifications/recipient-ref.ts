import { createHash } from 'node:crypto';

/**
 * How keys, message ids and unsubscribe links name a recipient: a hash of the e-mail address, so the
 * address itself never appears in a key, a file name, a URL or a log line.
 */
export function recipientRef(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
}

export const RECIPIENT_REF_PATTERN = /^[0-9a-f]{32}$/;
