/**
 * THE evaluator of survey logic, shared by the widget (which asks) and the API (which checks what was
 * asked): per question `showIf` (conditions on earlier answers, all/any) and `endIf` ("end the survey
 * after this answer"). Pure and tiny on purpose: the widget bundles it, so it imports types only (no
 * zod, no Node APIs). The same comparison decides the widget's audience rules on visitor attributes.
 */
import type { Condition, ConditionOp, Logic } from './logic-schema';

export type { Condition, ConditionOp, Logic };

type Value = Condition['value'];
type Scalar = number | string | boolean;

/** A question as far as logic is concerned. */
export interface Branching {
  id: string;
  showIf?: Logic | undefined;
  endIf?: Logic | undefined;
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * `actual op expected`. Nothing (no answer, no attribute) satisfies no comparison but `unanswered`:
 * a condition on a question the respondent never saw must not show a follow-up about it.
 */
export function compare(op: ConditionOp, actual: unknown, expected: Value): boolean {
  const empty = blank(actual);
  const a = actual as number;
  const e = expected as number;
  const numbers = typeof a === 'number' && typeof e === 'number';
  // Every comparison at once (each cheap and pure): a table is smaller in the widget than a switch.
  return op === 'answered'
    ? !empty
    : op === 'unanswered'
      ? empty
      : !empty &&
        {
          eq: a === e,
          ne: a !== e,
          in: Array.isArray(expected) && (expected as Scalar[]).includes(actual as Scalar),
          lt: numbers && a < e,
          lte: numbers && a <= e,
          gt: numbers && a > e,
          gte: numbers && a >= e,
        }[op];
}

/** No logic holds; `all` needs every condition, `any` one of them. */
export function holds(logic: Logic | undefined, values: Readonly<Record<string, unknown>>): boolean {
  if (!logic) return true;
  const one = (c: Condition) => compare(c.op, values[c.question], c.value);
  return 'all' in logic ? logic.all.every(one) : logic.any.some(one);
}

export interface Path<Q> {
  /** The questions this respondent is shown, in order. */
  shown: Q[];
  /** The question whose `endIf` ended the survey early, if one did. */
  endedAfter?: Q;
}

/**
 * Walks the questions in order with the answers given. Only answers to shown questions count, so an
 * answer left behind after going Back and changing course (or forged) never steers the path: the
 * widget and the API agree whatever the client holds.
 */
export function walk<Q extends Branching>(
  questions: readonly Q[],
  answers: Readonly<Record<string, unknown>>,
): Path<Q> {
  const known: Record<string, unknown> = {};
  const shown: Q[] = [];
  for (const q of questions) {
    if (!holds(q.showIf, known)) continue;
    shown.push(q);
    known[q.id] = answers[q.id];
    if (q.endIf && holds(q.endIf, known)) return { shown, endedAfter: q };
  }
  return { shown };
}

/** How each comparison reads in a condition's description (the API's messages and the console's editor). */
export const CONDITION_SYMBOLS: Record<ConditionOp, string> = {
  eq: '=',
  ne: '≠',
  lt: '<',
  lte: '≤',
  gt: '>',
  gte: '≥',
  in: 'in',
  answered: 'answered',
  unanswered: 'unanswered',
};

/** `nps ≤ 6 and reason = price`: for error messages and the console. */
export function describeLogic(logic: Logic): string {
  const one = (c: Condition) =>
    c.op === 'answered' || c.op === 'unanswered'
      ? `${c.question} ${CONDITION_SYMBOLS[c.op]}`
      : `${c.question} ${CONDITION_SYMBOLS[c.op]} ${JSON.stringify(c.value)}`;
  return 'all' in logic ? logic.all.map(one).join(' and ') : logic.any.map(one).join(' or ');
}
