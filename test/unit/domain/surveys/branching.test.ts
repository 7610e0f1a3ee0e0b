/** The shared logic evaluator (widget and API) and the API's enforcement of it on submissions. */
import { describe, expect, it } from 'vitest';
import type { ValidationError } from '../../../../functions/domain/errors';
import { validateAnswers } from '../../../../functions/domain/surveys/answers';
import { compare, describeLogic, holds, walk } from '../../../../functions/domain/surveys/branching';
import type { VersionedQuestion } from '../../../../functions/domain/surveys/survey';
import { surveyCreateSchema } from '../../../../functions/domain/surveys/survey-schema';

const text = (en: string) => ({ en });
/** NPS, then "what should we fix" for 0–6 and "what do you like" for 9–10; "no" to "more?" ends the survey. */
const questions: VersionedQuestion[] = [
  { id: 'nps', type: 'nps', required: true, text: text('Recommend?'), since: 1 },
  {
    id: 'fix',
    type: 'text',
    required: true,
    maxLength: 500,
    text: text('What should we fix?'),
    showIf: { all: [{ question: 'nps', op: 'lte', value: 6 }] },
    since: 1,
  },
  {
    id: 'like',
    type: 'text',
    required: false,
    maxLength: 500,
    text: text('What do you like most?'),
    showIf: { any: [{ question: 'nps', op: 'in', value: [9, 10] }] },
    since: 1,
  },
  {
    id: 'more',
    type: 'single_choice',
    required: true,
    text: text('Tell us more?'),
    options: [
      { id: 'yes', label: text('Yes') },
      { id: 'no', label: text('No') },
    ],
    endIf: { all: [{ question: 'more', op: 'eq', value: 'no' }] },
    since: 1,
  },
  { id: 'detail', type: 'text', required: true, maxLength: 500, text: text('Go on'), since: 1 },
];

const ids = (answers: Record<string, unknown>) => walk(questions, answers).shown.map((q) => q.id);
const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as ValidationError).errors;
  }
  throw new Error('expected a ValidationError');
};

describe('the evaluator', () => {
  it('compares: nothing satisfies nothing but unanswered; numbers only compare with numbers', () => {
    expect(compare('lte', 6, 6)).toBe(true);
    expect(compare('lt', 6, 6)).toBe(false);
    expect(compare('gte', '9', 9)).toBe(false);
    expect(compare('eq', undefined, 'x')).toBe(false);
    expect(compare('ne', undefined, 'x')).toBe(false);
    expect(compare('ne', 'y', 'x')).toBe(true);
    expect(compare('in', 'b', ['a', 'b'])).toBe(true);
    expect(compare('answered', '  ', undefined)).toBe(false);
    expect(compare('unanswered', undefined, undefined)).toBe(true);
    expect(holds(undefined, {})).toBe(true);
    expect(
      holds(
        {
          any: [
            { question: 'a', op: 'eq', value: 1 },
            { question: 'b', op: 'answered' },
          ],
        },
        { b: 'x' },
      ),
    ).toBe(true);
    expect(
      describeLogic({
        all: [
          { question: 'nps', op: 'lte', value: 6 },
          { question: 'c', op: 'answered' },
        ],
      }),
    ).toBe('nps ≤ 6 and c answered');
  });

  it('walks the path: a 3 sees "fix", a 10 sees "like", "no" ends the survey', () => {
    expect(ids({})).toEqual(['nps', 'more', 'detail']);
    expect(ids({ nps: 3 })).toEqual(['nps', 'fix', 'more', 'detail']);
    expect(ids({ nps: 10 })).toEqual(['nps', 'like', 'more', 'detail']);
    expect(ids({ nps: 7, more: 'no' })).toEqual(['nps', 'more']);
    expect(walk(questions, { nps: 7, more: 'no' }).endedAfter?.id).toBe('more');
  });

  it('ignores answers to questions that were not shown (left behind by Back, or forged)', () => {
    const chain: VersionedQuestion[] = [
      questions[0]!,
      questions[1]!,
      { ...questions[4]!, id: 'why', showIf: { all: [{ question: 'fix', op: 'answered' }] } },
    ];
    expect(walk(chain, { nps: 10, fix: 'stale' }).shown.map((q) => q.id)).toEqual(['nps']);
  });
});

describe('the API enforces the same logic', () => {
  it('accepts each path, and a hidden required question is not required', () => {
    expect(validateAnswers(questions, { nps: 3, fix: 'Delivery', more: 'no' })).toEqual({
      nps: 3,
      fix: 'Delivery',
      more: 'no',
    });
    expect(validateAnswers(questions, { nps: 10, more: 'yes', detail: 'x' })).toEqual({
      nps: 10,
      more: 'yes',
      detail: 'x',
    });
  });

  it('refuses an answer to a question the logic hid, naming it and the condition', () => {
    expect(issuesOf(() => validateAnswers(questions, { nps: 10, fix: 'forged', more: 'no' }))).toEqual([
      { path: 'answers/fix', message: 'was not asked: it is shown only when nps ≤ 6' },
    ]);
    expect(issuesOf(() => validateAnswers(questions, { nps: 8, more: 'no', detail: 'after the end' }))).toEqual([
      { path: 'answers/detail', message: 'was not asked: the survey ends after more when more = "no"' },
    ]);
  });

  it('still requires a shown required question', () => {
    expect(issuesOf(() => validateAnswers(questions, { nps: 2, more: 'no' }))).toEqual([
      { path: 'answers/fix', message: 'is required' },
    ]);
  });
});

describe('the schema checks logic', () => {
  const base = { name: 'n', locales: ['en'], defaultLocale: 'en', title: text('t') };
  const q = (extra: object) => [
    { id: 'nps', type: 'nps', text: text('a') },
    {
      id: 'c',
      type: 'single_choice',
      text: text('b'),
      options: [
        { id: 'x', label: text('x') },
        { id: 'y', label: text('y') },
      ],
    },
    { id: 't', type: 'text', text: text('c'), ...extra },
  ];
  const problems = (extra: object) => {
    const result = surveyCreateSchema.safeParse({ ...base, questions: q(extra) });
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('/')}: ${i.message}`);
  };

  it('accepts conditions on earlier questions that fit their type', () => {
    expect(problems({ showIf: { all: [{ question: 'nps', op: 'lte', value: 6 }] } })).toEqual([]);
    expect(problems({ showIf: { any: [{ question: 'c', op: 'in', value: ['x'] }] } })).toEqual([]);
    expect(problems({ endIf: { all: [{ question: 't', op: 'answered' }] } })).toEqual([]);
  });

  it('refuses later or unknown questions, numbers against choices, unknown options, missing values', () => {
    expect(problems({ showIf: { all: [{ question: 't', op: 'answered' }] } })).toEqual([
      'questions/2/showIf/all/0/question: must name an earlier question',
    ]);
    expect(problems({ showIf: { all: [{ question: 'c', op: 'gt', value: 1 }] } })).toEqual([
      'questions/2/showIf/all/0/op: gt compares numbers: c is not a rated question',
      'questions/2/showIf/all/0/value: 1 is not an option of c',
    ]);
    expect(problems({ showIf: { all: [{ question: 'c', op: 'eq', value: 'z' }] } })).toEqual([
      'questions/2/showIf/all/0/value: z is not an option of c',
    ]);
    expect(problems({ showIf: { all: [{ question: 'nps', op: 'lte' }] } })).toEqual([
      'questions/2/showIf/all/0/value: must be a number with op lte',
    ]);
  });
});
