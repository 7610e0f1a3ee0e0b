/**
 * The field-level zod schemas of customer records that other records reuse (a survey's segment, a
 * submission's e-mail, map keys and numbers): a file of their own so surveys and the public API use
 * them without building every customer schema (customer-schema.ts re-exports them for its callers).
 */
import * as z from 'zod';

export const LIMITS = {
  name: 200,
  email: 254,
  phone: 32,
  company: 200,
  segment: 64,
  tag: 50,
  tags: 20,
  attributeKey: 64,
  attributeValue: 500,
  attributes: 50,
  importRows: 1000,
  pageSize: 100,
  exportPageSize: 1000,
} as const;

/** A trimmed, non-empty string of at most `max` characters. */
export const trimmed = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(LIMITS.email, `must be at most ${LIMITS.email} characters`)
  .pipe(z.email('must be a valid e-mail address'));

/** The phone is checked for shape here; `normalisePhone` turns it into E.164 with the configured region. */
export const phoneInputSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.phone, `must be at most ${LIMITS.phone} characters`)
  .regex(/^[+0-9()\-.\s]+$/, 'may contain only digits, spaces, + ( ) - and .');

export const segmentSchema = trimmed(LIMITS.segment).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');
export const tagSchema = trimmed(LIMITS.tag).regex(/^[^;]*$/, 'must not contain ";" (the CSV tag separator)');

/**
 * Names of free-form map entries: JavaScript gives `constructor`, `prototype` and `__proto__` a
 * meaning of their own (the DynamoDB marshaller, for one, mistakes a map with a `constructor` entry
 * for a class instance), so they are refused as keys.
 */
export const RESERVED_KEYS = new Set(['constructor', 'prototype', '__proto__']);
export const notReservedKey = (key: string) => !RESERVED_KEYS.has(key);
export const RESERVED_KEY_MESSAGE = 'constructor, prototype and __proto__ cannot be used as names';

/** Numbers DynamoDB and JavaScript both keep exactly: no silent rounding, no underflow. */
export const storableNumber = z
  .number()
  .refine(
    (n) => Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER && (n === 0 || Math.abs(n) >= 1e-9),
    `must be a number between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER} (and not smaller than 1e-9 in size)`,
  );
