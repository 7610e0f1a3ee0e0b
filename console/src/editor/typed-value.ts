/**
 * How a value typed in the editor becomes the number, boolean or text a condition compares with
 * (audience attribute rules and branching), and back. The comparison is strict (`"01234"` is not
 * `1234`), so the reading must never guess: only a plain number is a number, only `true` / `false`
 * are booleans, and text in double quotes is always text (`"42"` is the text 42). Everything else is
 * text as typed, so a postcode with a leading zero stays a postcode.
 */

export type Scalar = string | number | boolean;

/** What a value failed on, for the editor to word in the person's language. */
export type ValueProblem = 'empty' | 'quote' | 'number';

/** `0`, `-12`, `3.5`: no leading zero, no sign but minus, no exponent, no trailing point. */
const PLAIN_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

/** One value, strictly: a quote that is opened and not closed, or nothing at all, is a problem. */
export function parseValue(text: string): { value: Scalar } | { problem: ValueProblem } {
  const v = text.trim();
  if (v === '') return { problem: 'empty' };
  if (v.startsWith('"')) {
    if (v.length < 2 || !v.endsWith('"')) return { problem: 'quote' };
    try {
      const parsed: unknown = JSON.parse(v);
      return typeof parsed === 'string' ? { value: parsed } : { problem: 'quote' };
    } catch {
      return { problem: 'quote' };
    }
  }
  if (PLAIN_NUMBER.test(v)) return { value: Number(v) };
  if (v === 'true') return { value: true };
  if (v === 'false') return { value: false };
  return { value: v };
}

/** One value, leniently (while typing): what does not parse is the text as typed. */
export function typedValue(text: string): Scalar {
  const parsed = parseValue(text);
  return 'value' in parsed ? parsed.value : text.trim();
}

/** The inverse: text that reads back as the same value (quoted when it would otherwise read as another). */
export function valueText(value: Scalar): string {
  if (typeof value !== 'string') return String(value);
  // Nothing typed yet (a new condition) shows as an empty field, not as "".
  if (value === '') return '';
  const back = parseValue(value);
  return 'value' in back && back.value === value ? value : JSON.stringify(value);
}

/** Splits a list at commas outside double quotes: `pro, "a, b"` → `pro`, `"a, b"`. */
export function splitList(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && quoted && i + 1 < text.length) {
      current += ch + text[i + 1];
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if (ch === ',' && !quoted) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

/** A list strictly: every item must be a value (`pro,` has an empty one). */
export function parseList(text: string): { value: Scalar[] } | { problem: ValueProblem } {
  const value: Scalar[] = [];
  for (const item of splitList(text)) {
    const parsed = parseValue(item);
    if ('problem' in parsed) return parsed;
    value.push(parsed.value);
  }
  return { value };
}

/** A list leniently (while typing): empty items are left out. */
export const typedList = (text: string): Scalar[] =>
  splitList(text)
    .filter((item) => item.trim() !== '')
    .map(typedValue);

/** A list as text; an item with a comma is quoted, or it would read back as two. */
export const listText = (values: readonly Scalar[]): string =>
  values.map((v) => (typeof v === 'string' && v.includes(',') ? JSON.stringify(v) : valueText(v))).join(', ');
