import { describe, expect, it } from 'vitest';
import type { ValidationError } from '../../../../functions/domain/errors';
import { validateAnswers } from '../../../../functions/domain/surveys/answers';
import { responseIdSchema } from '../../../../functions/domain/surveys/response-schema';
import {
  isDetractorAnswer,
  nextQuestions,
  pickLocale,
  type VersionedQuestion,
} from '../../../../functions/domain/surveys/survey';
import { surveyCreateSchema } from '../../../../functions/domain/surveys/survey-schema';

const text = (en: string) => ({ en, 'zh-CN': `${en}（中文）` });
const questions: VersionedQuestion[] = [
  { id: 'overall', type: 'likert', points: 5, required: true, text: text('Overall?'), overall: true, since: 1 },
  { id: 'nps', type: 'nps', required: false, text: text('Recommend?'), since: 1 },
  { id: 'effort', type: 'ces', required: false, text: text('Easy?'), since: 1 },
  {
    id: 'channel',
    type: 'single_choice',
    required: false,
    text: text('Channel?'),
    options: [
      { id: 'web', label: text('Web') },
      { id: 'app', label: text('App') },
    ],
    since: 1,
  },
  { id: 'comment', type: 'text', required: false, text: text('Tell us'), maxLength: 10, since: 1 },
  {
    id: 'contact',
    type: 'contact',
    required: false,
    text: text('E-mail?'),
    consentText: text('You may contact me'),
    since: 1,
  },
];

describe('answers against a survey version', () => {
  it('accepts valid answers and trims text', () => {
    expect(validateAnswers(questions, { overall: 5, nps: 0, effort: 7, channel: 'app', comment: '  great  ' })).toEqual(
      {
        overall: 5,
        nps: 0,
        effort: 7,
        channel: 'app',
        comment: 'great',
      },
    );
  });
  it('reports every problem with its path', () => {
    try {
      validateAnswers(questions, {
        nps: 11,
        effort: 2.5,
        channel: 'fax',
        comment: 'x'.repeat(11),
        bogus: 1,
        contact: { email: 'a@b.co', consent: false },
      });
      expect.unreachable();
    } catch (err) {
      const paths = (err as ValidationError).errors.map((e) => e.path).sort();
      expect(paths).toEqual(
        [
          'answers/bogus',
          'answers/channel',
          'answers/comment',
          'answers/contact',
          'answers/effort',
          'answers/nps',
          'answers/overall',
        ].sort(),
      );
    }
  });
  it('counts characters, not UTF-16 units, for text limits', () => {
    expect(validateAnswers(questions, { overall: 3, comment: '😀😀😀😀😀😀😀😀😀😀' }).comment).toHaveLength(20);
  });
});

describe('survey versions', () => {
  it('a never-live survey is edited in place', () => {
    const r = nextQuestions(
      { version: 1, questions, activatedAt: undefined },
      questions.map(({ since: _s, ...q }) => q),
    );
    expect(r).toMatchObject({ version: 1, newVersion: false });
  });
  it('a live survey gets a new version; only incompatible questions restart their series', () => {
    const edited = questions
      .map(({ since: _s, ...q }) => q)
      .map((q) =>
        q.id === 'overall'
          ? { ...q, points: 7 as const }
          : q.id === 'nps'
            ? { ...q, text: text('Would you recommend us?') }
            : q,
      );
    const r = nextQuestions({ version: 1, questions, activatedAt: '2026-01-01T00:00:00Z' }, edited);
    expect(r.version).toBe(2);
    expect(r.questions.find((q) => q.id === 'overall')!.since).toBe(2);
    expect(r.questions.find((q) => q.id === 'nps')!.since).toBe(1);
  });
});

describe('survey rules', () => {
  const valid = {
    name: 'Post-purchase',
    locales: ['en', 'zh-CN'],
    defaultLocale: 'en',
    title: text('How did we do?'),
    questions: questions.map(({ since: _s, ...q }) => q),
  };
  it('accepts a complete two-locale survey', () => {
    expect(surveyCreateSchema.safeParse(valid).success).toBe(true);
  });
  it('requires text in every declared locale, unique ids and at most one overall', () => {
    const missing = surveyCreateSchema.safeParse({ ...valid, title: { en: 'Only English' } });
    expect(missing.error?.issues[0]).toMatchObject({ path: ['title'], message: 'needs text for locale zh-CN' });
    const twice = surveyCreateSchema.safeParse({ ...valid, questions: [...valid.questions, valid.questions[1]] });
    expect(twice.success).toBe(false);
    const twoOverall = surveyCreateSchema.safeParse({
      ...valid,
      questions: valid.questions.map((q) => (q.type === 'nps' ? { ...q, overall: true } : q)),
    });
    expect(twoOverall.success).toBe(false);
  });
  it('refuses audience rules whose value does not fit their op, naming the field path', () => {
    const withRules = (attributes: unknown[]) =>
      surveyCreateSchema.safeParse({ ...valid, targeting: { audience: { attributes } } });
    const fine = withRules([
      { attribute: 'plan', op: 'eq', value: 'pro' },
      { attribute: 'seats', op: 'gt', value: 10 },
      { attribute: 'plan', op: 'in', value: ['pro', 'team'] },
      { attribute: 'trial', op: 'answered' },
    ]);
    expect(fine.success, JSON.stringify(fine.error?.issues)).toBe(true);
    const bad = withRules([
      { attribute: 'seats', op: 'gt', value: '10' },
      { attribute: 'plan', op: 'in', value: 'pro' },
      { attribute: 'plan', op: 'eq' },
      { attribute: 'trial', op: 'answered', value: true },
      { attribute: 'plan', op: 'ne', value: ['pro'] },
    ]);
    expect(bad.error?.issues.map((i) => [i.path.join('/'), i.message])).toEqual([
      ['targeting/audience/attributes/0/value', 'must be a number with op gt'],
      ['targeting/audience/attributes/1/value', 'must be a list with op in'],
      ['targeting/audience/attributes/2/value', 'must be one value with op eq'],
      ['targeting/audience/attributes/3/value', 'takes no value with op answered'],
      ['targeting/audience/attributes/4/value', 'must be one value with op ne'],
    ]);
  });
  it('accepts origins only, not URLs with paths', () => {
    expect(
      surveyCreateSchema.safeParse({ ...valid, delivery: { allowedOrigins: ['https://shop.example.com'] } }).success,
    ).toBe(true);
    expect(
      surveyCreateSchema.safeParse({ ...valid, delivery: { allowedOrigins: ['https://shop.example.com/path'] } })
        .success,
    ).toBe(false);
  });
  it('detractors and locales', () => {
    expect(isDetractorAnswer(questions[1]!, 6)).toBe(true);
    expect(isDetractorAnswer(questions[1]!, 7)).toBe(false);
    expect(isDetractorAnswer(questions[0]!, 2)).toBe(true);
    expect(isDetractorAnswer(questions[0]!, 3)).toBe(false);
    expect(pickLocale({ locales: ['en', 'zh-CN'], defaultLocale: 'en' }, 'zh')).toBe('zh-CN');
    expect(pickLocale({ locales: ['en', 'zh-CN'], defaultLocale: 'en' }, 'fr-FR')).toBe('en');
  });
  it('response ids must be time-ordered (ULID or UUIDv7)', () => {
    expect(responseIdSchema.safeParse('01JABCDEFGHJKMNPQRSTVWXYZ0').success).toBe(true);
    expect(responseIdSchema.safeParse('0190a6b2-8c3e-7d2a-9b1c-123456789abc').success).toBe(true);
    expect(responseIdSchema.safeParse('6f1c2a3b-1d2e-4f5a-8b9c-0d1e2f3a4b5c').success).toBe(false);
  });
});
