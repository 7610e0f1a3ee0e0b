/**
 * Normalisation that needs configuration (the default phone region) or cross-field knowledge.
 * Accuracy (准确性): a phone is stored only in E.164, so one number has exactly one spelling and the
 * uniqueness guard can compare it.
 */
import { ValidationError } from '../errors';
import type { PhoneRegion } from './phone-numbers';

export type { PhoneRegion } from './phone-numbers';

/** The phone rules (libphonenumber and its full metadata), as phone-numbers.ts exports them. */
export type PhoneNumbers = typeof import('./phone-numbers');

/**
 * libphonenumber's `max` metadata is ~195 KB of the admin API's bundle and only phone writes and
 * look-ups need it: it is evaluated on the first call, not when the function starts (esbuild keeps
 * it in the same file, wrapped so it runs on demand). Same rules, same metadata, only later.
 */
export function loadPhoneNumbers(): Promise<PhoneNumbers> {
  return import('./phone-numbers');
}

export function normalisePhone(
  phones: Pick<PhoneNumbers, 'toE164'>,
  raw: string,
  defaultRegion: PhoneRegion,
  path = 'phone',
): string {
  const e164 = phones.toE164(raw, defaultRegion);
  if (!e164) {
    throw new ValidationError([
      {
        path,
        message: `"${raw}" is not a valid phone number (numbers without a + prefix are read as ${defaultRegion} numbers)`,
      },
    ]);
  }
  return e164;
}

const EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/** Used by the data-quality counters on stored data, which may predate today's rules. */
export function isValidEmail(value: string): boolean {
  return value.length <= 254 && value === value.trim().toLowerCase() && EMAIL.test(value);
}

/** Key under which two records are duplicate candidates: same normalised name and company. */
export function duplicateKey(name: string | undefined, company: string | undefined): string | undefined {
  if (!name) return undefined;
  const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  return `${norm(name)}|${company ? norm(company) : ''}`;
}
