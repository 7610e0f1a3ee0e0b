/**
 * The targeting editor's line syntax, both ways, and what is wrong with a line. A line that does not
 * read as a rule is an error that blocks saving: leaving it out would save a wider audience (or more
 * pages) than the admin wrote, which nobody would notice until the wrong people were asked.
 *
 * - Page addresses: one rule per line (commas and `?` are parts of an address, not separators);
 *   `=/thanks` exactly, `~promo` contains, a line with `*` is a pattern (`*` any run of characters;
 *   there `?` is any one character, as in the widget), any other line is a prefix.
 * - Attributes: one rule per line, `name op value`; values read as typed-value.ts says.
 */
import type { SurveyCreate } from '../api/types';
import { listText, parseList, parseValue, type ValueProblem, valueText } from './typed-value';

type Targeting = NonNullable<SurveyCreate['targeting']>;
export type UrlRule = NonNullable<NonNullable<Targeting['triggers']>['urls']>['include'][number];
export type AttributeRule = NonNullable<NonNullable<Targeting['audience']>['attributes']>[number];
type Op = AttributeRule['op'];

/** Why a line is not a rule: the value's own problems, no operator, or a value where none belongs. */
export type LineProblem = ValueProblem | 'syntax' | 'extra';

export type Parsed<T> = { rule: T } | { problem: LineProblem };

/** Split at line breaks only, blank lines left out; the numbers are the lines as the admin sees them (from 1). */
export function numberedLines(text: string): { line: number; text: string }[] {
  return text
    .split('\n')
    .map((t, i) => ({ line: i + 1, text: t.trim() }))
    .filter((l) => l.text !== '');
}

export function urlRule(line: string): Parsed<UrlRule> {
  const text = line.trim();
  const marked = text.startsWith('=') ? 'exact' : text.startsWith('~') ? 'contains' : undefined;
  const value = (marked ? text.slice(1) : text).trim();
  if (!value) return { problem: 'empty' };
  return { rule: { match: marked ?? (value.includes('*') ? 'glob' : 'prefix'), value } };
}

/**
 * A stored rule as a line that reads back as the same rule. A pattern without `*` (what an earlier
 * editor made of an address with `?`) matches one address, so it shows as exact.
 */
export function urlLine(rule: UrlRule): string {
  if (rule.match === 'exact') return `=${rule.value}`;
  if (rule.match === 'contains') return `~${rule.value}`;
  if (rule.match === 'glob') return rule.value.includes('*') ? rule.value : `=${rule.value}`;
  return rule.value;
}

/** How each operator is typed (the second column is also accepted, as the branching descriptions write it). */
const OP_TEXT: Record<Op, string> = {
  eq: '=',
  ne: '!=',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
  in: 'in',
  answered: 'answered',
  unanswered: 'unanswered',
};
const OP_ALIASES: Record<string, Op> = { '≠': 'ne', '≤': 'lte', '≥': 'gte' };
const opOf = (text: string): Op | undefined =>
  OP_ALIASES[text] ?? (Object.keys(OP_TEXT) as Op[]).find((op) => OP_TEXT[op] === text);

const RULE = /^([\w.-]{1,64})\s*(!=|<=|>=|≠|≤|≥|=|<|>|\bin\b|\bunanswered\b|\banswered\b)\s*(.*)$/;

/** `plan = pro`, `zip = 01234` (text), `plan in pro, team`, `orders >= 3`, `beta answered`. */
export function attributeRule(line: string): Parsed<AttributeRule> {
  const m = RULE.exec(line.trim());
  const attribute = m?.[1];
  const op = m?.[2] ? opOf(m[2]) : undefined;
  if (!attribute || !op) return { problem: 'syntax' };
  const rest = m?.[3] ?? '';
  if (op === 'answered' || op === 'unanswered') return rest ? { problem: 'extra' } : { rule: { attribute, op } };
  if (op === 'in') {
    const list = parseList(rest);
    return 'problem' in list ? list : { rule: { attribute, op, value: list.value } };
  }
  const one = parseValue(rest);
  if ('problem' in one) return one;
  // The widget compares lt/lte/gt/gte on numbers only: text there would match nobody, silently.
  if (op !== 'eq' && op !== 'ne' && typeof one.value !== 'number') return { problem: 'number' };
  return { rule: { attribute, op, value: one.value } };
}

export function attributeLine(rule: AttributeRule): string {
  const head = `${rule.attribute} ${OP_TEXT[rule.op]}`;
  if (rule.value === undefined) return head;
  return `${head} ${Array.isArray(rule.value) ? listText(rule.value) : valueText(rule.value)}`;
}

/** A line that is not a rule, where it is. */
export interface LineIssue {
  readonly line: number;
  readonly text: string;
  readonly problem: LineProblem;
}

/** Every line of `text` that `parse` refuses. */
export function lineIssues<T>(text: string, parse: (line: string) => Parsed<T>): LineIssue[] {
  return numberedLines(text).flatMap((l) => {
    const parsed = parse(l.text);
    return 'problem' in parsed ? [{ ...l, problem: parsed.problem }] : [];
  });
}

/** The rules of the lines that read as rules (the preview; saving is blocked while any line does not). */
export const rulesOf = <T>(text: string, parse: (line: string) => Parsed<T>): T[] =>
  numberedLines(text).flatMap((l) => {
    const parsed = parse(l.text);
    return 'rule' in parsed ? [parsed.rule] : [];
  });
