/**
 * THE zod schemas of a survey's questions and their limits (survey-schema.ts re-exports them): a file
 * of their own because the public API needs questions (the widget's view, the submission's limits,
 * `isRated`) but none of the survey-editing schemas, which it then never builds.
 */
import * as z from 'zod';
import { notReservedKey, RESERVED_KEY_MESSAGE } from '../customers/customer-fields-schema';
import { localeSchema } from './locale-schema';
import { logicSchema } from './logic-schema';

export const SURVEY_LIMITS = {
  name: 200,
  text: 500,
  questions: 30,
  options: 20,
  textAnswer: 2000,
  origins: 20,
  segments: 20,
  metadataKeys: 20,
  metadataValue: 200,
  responseBodyBytes: 16 * 1024,
} as const;

/** Text in each of the survey's locales. */
export const localTextSchema = z
  .partialRecord(localeSchema, z.string().trim().min(1).max(SURVEY_LIMITS.text))
  .refine((t) => Object.keys(t).length > 0, 'needs text in at least one locale');
export type LocalText = z.infer<typeof localTextSchema>;

const questionId = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,31}$/, 'lower-case letters, digits and _, starting with a letter (max 32)')
  .refine(notReservedKey, RESERVED_KEY_MESSAGE);

const base = {
  id: questionId,
  required: z.boolean().default(false),
  text: localTextSchema,
  /** Asked only when this holds for the earlier answers (branching.ts). */
  showIf: logicSchema.optional(),
  /** The survey ends after this question when this holds (it may name the question itself). */
  endIf: logicSchema.optional(),
};

export const likertQuestionSchema = z.strictObject({
  ...base,
  type: z.literal('likert'),
  points: z.union([z.literal(5), z.literal(7)]),
  /** One label per point, lowest first; the widget shows at least the two ends. */
  labels: z.array(localTextSchema).optional(),
  overall: z.boolean().optional(),
});
export const npsQuestionSchema = z.strictObject({ ...base, type: z.literal('nps'), overall: z.boolean().optional() });
export const cesQuestionSchema = z.strictObject({ ...base, type: z.literal('ces'), overall: z.boolean().optional() });
export const singleChoiceQuestionSchema = z.strictObject({
  ...base,
  type: z.literal('single_choice'),
  options: z
    .array(z.strictObject({ id: questionId, label: localTextSchema }))
    .min(2)
    .max(SURVEY_LIMITS.options),
});
export const textQuestionSchema = z.strictObject({
  ...base,
  type: z.literal('text'),
  maxLength: z.number().int().min(1).max(SURVEY_LIMITS.textAnswer).default(1000),
});
/** Optional contact: an e-mail the respondent gives with explicit consent to be contacted. */
export const contactQuestionSchema = z.strictObject({
  ...base,
  type: z.literal('contact'),
  consentText: localTextSchema,
});

export const questionSchema = z.discriminatedUnion('type', [
  likertQuestionSchema,
  npsQuestionSchema,
  cesQuestionSchema,
  singleChoiceQuestionSchema,
  textQuestionSchema,
  contactQuestionSchema,
]);
export type Question = z.infer<typeof questionSchema>;
export type RatedQuestion = Extract<Question, { type: 'likert' | 'nps' | 'ces' }>;
export const isRated = (q: Question): q is RatedQuestion => q.type === 'likert' || q.type === 'nps' || q.type === 'ces';
