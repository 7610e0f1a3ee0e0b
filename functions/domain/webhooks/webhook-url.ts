/**
 * The checks a subscription's URL passes when it is created or changed: https, no credentials, and
 * not a literal address deliveries may never go to. Names are checked again at every send, on the
 * address they resolve to (address-policy.ts).
 */
import { ValidationError } from '../errors';
import { type AddressPolicy, classifyAddress, refusalOf } from './address-policy';

export function checkWebhookUrl(raw: string, policy: AddressPolicy, path = 'body/url'): string {
  const refuse = (message: string) => new ValidationError([{ path, message }]);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('is not a URL');
  }
  const host = url.hostname;
  const literal = classifyAddress(host);
  const loopbackAllowed = policy.allowLoopback && (literal === 'loopback' || host === 'localhost');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopbackAllowed)) throw refuse('must be an https URL');
  if (url.username || url.password) throw refuse('must not carry credentials (receivers verify the signature)');
  if (url.hash) throw refuse('must not have a fragment');
  if (!host) throw refuse('has no host');
  if (literal !== undefined) {
    const reason = refusalOf(host, policy);
    if (reason) throw refuse(`points to a ${reason}: deliveries go only to public addresses`);
  }
  return url.toString();
}
