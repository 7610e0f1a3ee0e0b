/**
 * Phone rules from libphonenumber with its full (`max`) metadata: the strictest validation it offers,
 * so a stored phone is a number that can exist. The admin API loads this file on first use
 * (normalise.ts `loadPhoneNumbers`); the stream aggregator's quality counters import it directly.
 */
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

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

/** Used by the data-quality counters on stored data, which may predate today's rules. */
export function isValidE164(value: string): boolean {
  const parsed = parsePhoneNumberFromString(value);
  return parsed?.isValid() === true && parsed.number === value;
}
