/**
 * Normalisation that needs configuration (the default phone region) or cross-field knowledge.
 * Accuracy (准确性): a phone is stored only in E.164, so one number has exactly one spelling and the
 * uniqueness guard can compare it.
 */
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { ValidationError } from '../errors';

export type PhoneRegion = CountryCode;

export function isPhoneRegion(value: string): value is PhoneRegion {
  return /^[A-Z]{2}$/.test(value) && parsePhoneNumberFromString('+1 201 555 0123', value as CountryCode) !== undefined;
}

/** Returns the E.164 form, or undefined when the number is not a valid number (for its region). */
export function toE164(raw: string, defaultRegion: PhoneRegion): string | undefined {
  const parsed = parsePhoneNumberFromString(raw.trim(), defaultRegion);
  if (!parsed?.isValid()) return undefined;
  return parsed.number;
}

export function normalisePhone(raw: string, defaultRegion: PhoneRegion, path = 'phone'): string {
  const e164 = toE164(raw, defaultRegion);
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

export function isValidE164(value: string): boolean {
  const parsed = parsePhoneNumberFromString(value);
  return parsed?.isValid() === true && parsed.number === value;
}

/** Key under which two records are duplicate candidates: same normalised name and company. */
export function duplicateKey(name: string | undefined, company: string | undefined): string | undefined {
  if (!name) return undefined;
  const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  return `${norm(name)}|${company ? norm(company) : ''}`;
}
