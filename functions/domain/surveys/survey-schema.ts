/**
 * THE zod schemas of survey definitions and submissions: validation, types and OpenAPI come from
 * here. Rules that depend on the stored survey (known question ids, ranges, required answers) live in
 * `answers.ts`, which validates a submission against the version it answers.
 */
import * as z from 'zod';
import { segmentSchema } from '../customers/customer-fields-schema';
import { notificationsSchema } from '../notifications/notifications-schema';
import { type Locale, localeSchema, SUPPORTED_LOCALES } from './locale-schema';
import type { Logic } from './logic-schema';
import {
  cesQuestionSchema,
  contactQuestionSchema,
  isRated,
  type LocalText,
  likertQuestionSchema,
  localTextSchema,
  npsQuestionSchema,
  type Question,
  questionSchema,
  type RatedQuestion,
  SURVEY_LIMITS,
  singleChoiceQuestionSchema,
  textQuestionSchema,
} from './question-schema';
import { RESERVED_SEGMENTS } from './report-segment';
import { targetingSchema } from './targeting-schema';

export type { Condition, ConditionOp, Logic } from './logic-schema';
export type { Targeting } from './targeting-schema';
export { widgetSurveySchema } from './widget-survey-schema';
export {
  cesQuestionSchema,
  contactQuestionSchema,
  isRated,
  type Locale,
  type LocalText,
  likertQuestionSchema,
  localeSchema,
  localTextSchema,
  npsQuestionSchema,
  type Question,
  questionSchema,
  type RatedQuestion,
  SUPPORTED_LOCALES,
  SURVEY_LIMITS,
  singleChoiceQuestionSchema,
  textQuestionSchema,
};

const originSchema = z
  .string()
  .max(200)
  .refine((o) => {
    try {
      const u = new URL(o);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === o;
    } catch {
      return false;
    }
  }, 'must be an origin such as https://www.example.com (scheme, host, optional port, no path)');

export const deliverySchema = z.strictObject({
  allowedOrigins: z.array(originSchema).max(SURVEY_LIMITS.origins).default([]),
  samplingRate: z.number().min(0).max(1).default(1),
  frequencyCapDays: z.number().int().min(0).max(365).default(30),
  /**
   * Answers the survey accepts per minute, all clients together: a flood aimed at this survey is
   * refused here (429, the widget retries later) and never takes other surveys' capacity.
   */
  maxResponsesPerMinute: z.number().int().min(1).max(100_000).default(600),
  /**
   * Segments reported separately (bounded). Responses naming another segment count as `other`, those
   * naming none as `none` (report-segment.ts), so those two names cannot be declared.
   */
  segments: z
    .array(
      segmentSchema.refine(
        (s) => !RESERVED_SEGMENTS.includes(s),
        `${RESERVED_SEGMENTS.join(' and ')} are reserved: they name the buckets of undeclared and missing segments`,
      ),
    )
    .max(SURVEY_LIMITS.segments)
    .refine((s) => new Set(s).size === s.length, 'a segment appears twice')
    .optional()
    .describe(
      'Segments reported separately. Responses naming another segment are reported as "other", those naming none as "none"; both names are reserved.',
    ),
  /**
   * Store answers' page URLs with their query string and fragment. Off by default: they often carry
   * personal data (an e-mail in a link, a token), which would outlive the person's erasure.
   */
  keepPageQuery: z.boolean().optional(),
});

const surveyFields = {
  name: z.string().trim().min(1).max(SURVEY_LIMITS.name),
  locales: z.array(localeSchema).min(1).max(SUPPORTED_LOCALES.length),
  defaultLocale: localeSchema,
  title: localTextSchema,
  thankYou: localTextSchema.optional(),
  questions: z.array(questionSchema).min(1).max(SURVEY_LIMITS.questions),
  delivery: deliverySchema.default({
    allowedOrigins: [],
    samplingRate: 1,
    frequencyCapDays: 30,
    maxResponsesPerMinute: 600,
  }),
  notifications: notificationsSchema.prefault({}),
  targeting: targetingSchema.optional(),
};

type SurveyShape = {
  locales: Locale[];
  defaultLocale: Locale;
  title: LocalText;
  thankYou?: LocalText | undefined;
  questions: Question[];
};

/** Cross-field rules: unique ids, one `overall`, text in every locale the survey declares. */
function checkSurvey(s: SurveyShape, ctx: z.RefinementCtx) {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (new Set(s.locales).size !== s.locales.length) issue(['locales'], 'a locale appears twice');
  if (!s.locales.includes(s.defaultLocale)) issue(['defaultLocale'], 'must be one of the survey’s locales');
  const needs = (text: LocalText | undefined, path: (string | number)[]) => {
    if (!text) return;
    for (const l of s.locales) if (!text[l]) issue(path, `needs text for locale ${l}`);
  };
  needs(s.title, ['title']);
  needs(s.thankYou, ['thankYou']);
  const ids = new Set<string>();
  let overall = 0;
  s.questions.forEach((q, i) => {
    if (ids.has(q.id)) issue(['questions', i, 'id'], `question id ${q.id} is used twice`);
    ids.add(q.id);
    needs(q.text, ['questions', i, 'text']);
    if (isRated(q) && q.overall) overall++;
    if (q.type === 'likert' && q.labels) {
      if (q.labels.length !== q.points)
        issue(['questions', i, 'labels'], `needs exactly ${q.points} labels, one per point`);
      q.labels.forEach((l, j) => {
        needs(l, ['questions', i, 'labels', j]);
      });
    }
    if (q.type === 'single_choice') {
      const optionIds = new Set<string>();
      q.options.forEach((o, j) => {
        if (optionIds.has(o.id)) issue(['questions', i, 'options', j, 'id'], `option id ${o.id} is used twice`);
        optionIds.add(o.id);
        needs(o.label, ['questions', i, 'options', j, 'label']);
      });
    }
    if (q.type === 'contact') needs(q.consentText, ['questions', i, 'consentText']);
  });
  if (overall > 1) issue(['questions'], 'at most one rated question may be marked overall');
  checkLogic(s.questions, issue);
}

/** Each condition names an earlier question (endIf: or its own) and compares what that question answers. */
function checkLogic(questions: readonly Question[], issue: (path: (string | number)[], message: string) => void) {
  const index = new Map(questions.map((q, i) => [q.id, i]));
  questions.forEach((q, i) => {
    for (const key of ['showIf', 'endIf'] as const) {
      const logic: Logic | undefined = q[key];
      if (!logic) continue;
      const mode = 'all' in logic ? 'all' : 'any';
      const list = 'all' in logic ? logic.all : logic.any;
      list.forEach((c, j) => {
        const path = ['questions', i, key, mode, j];
        const at = index.get(c.question);
        const target = at === undefined ? undefined : questions[at];
        if (at === undefined || !target || at > i || (at === i && key === 'showIf')) {
          issue([...path, 'question'], `must name ${key === 'showIf' ? 'an earlier' : 'this or an earlier'} question`);
          return;
        }
        const numeric = isRated(target);
        const values = Array.isArray(c.value) ? c.value : c.value === undefined ? [] : [c.value];
        if (['lt', 'lte', 'gt', 'gte'].includes(c.op) && !numeric)
          issue([...path, 'op'], `${c.op} compares numbers: ${target.id} is not a rated question`);
        for (const v of values) {
          if (numeric && typeof v !== 'number') issue([...path, 'value'], `${target.id} answers with a number`);
          if (target.type === 'single_choice' && !target.options.some((o) => o.id === v))
            issue([...path, 'value'], `${String(v)} is not an option of ${target.id}`);
        }
      });
    }
  });
}

export const surveyCreateSchema = z.strictObject(surveyFields).superRefine(checkSurvey).meta({ id: 'SurveyCreate' });
export type SurveyCreate = z.infer<typeof surveyCreateSchema>;

/** Full replacement of the editable parts (PUT semantics keep versioning simple to reason about). */
export const surveyUpdateSchema = z
  .strictObject({ ...surveyFields, status: z.enum(['draft', 'active']).optional() })
  .superRefine(checkSurvey)
  .meta({ id: 'SurveyUpdate' });
export type SurveyUpdate = z.infer<typeof surveyUpdateSchema>;

export const surveyStatusSchema = z.enum(['draft', 'active', 'closed']);
export type SurveyStatus = z.infer<typeof surveyStatusSchema>;

export const surveyListQuerySchema = z.strictObject({
  status: surveyStatusSchema.optional(),
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

// Response schemas: what the survey routes return (OpenAPI and the console's generated client come from them).

const since = { since: z.number().int().min(1).describe('first survey version whose answers are comparable') };

/** A question as stored: with `since`, the version at which its scale last changed. */
export const versionedQuestionSchema = z.discriminatedUnion('type', [
  likertQuestionSchema.extend(since),
  npsQuestionSchema.extend(since),
  cesQuestionSchema.extend(since),
  singleChoiceQuestionSchema.extend(since),
  textQuestionSchema.extend(since),
  contactQuestionSchema.extend(since),
]);

export const surveySchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    locales: z.array(localeSchema),
    defaultLocale: localeSchema,
    title: localTextSchema,
    thankYou: localTextSchema.optional(),
    questions: z.array(versionedQuestionSchema),
    delivery: deliverySchema,
    notifications: notificationsSchema,
    targeting: targetingSchema.optional(),
    status: surveyStatusSchema,
    version: z.number().int().describe('question version: answers carry it'),
    revision: z.number().int().describe('every edit; the ETag'),
    createdAt: z.string(),
    updatedAt: z.string(),
    activatedAt: z.string().optional(),
    closedAt: z.string().optional(),
  })
  .meta({ id: 'Survey' });

export const surveyPageSchema = z
  .strictObject({ items: z.array(surveySchema), nextCursor: z.string().optional() })
  .meta({ id: 'SurveyPage' });
