/** Query schemas of the analytics routes (report, comments, export, rebuild). */
import * as z from 'zod';
import { segmentSchema } from '../customers/customer-fields-schema';

export const daySchema = z.iso.date('must be a date YYYY-MM-DD');

const range = {
  from: daySchema.optional(),
  to: daySchema.optional(),
};

export const reportQuerySchema = z.strictObject({
  ...range,
  granularity: z.enum(['day', 'week', 'month']).default('day'),
  segment: segmentSchema.optional(),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export const commentsQuerySchema = z.strictObject({
  ...range,
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  maxScore: z.coerce.number().int().min(0).max(10).optional(),
});
export type CommentsQuery = z.infer<typeof commentsQuerySchema>;

export const responsesExportQuerySchema = z.strictObject({
  ...range,
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(1000),
});

export const rebuildRequestSchema = z
  .strictObject({ from: daySchema, to: daySchema, cursor: z.string().max(2048).optional() })
  .meta({ id: 'AggregateRebuild' });
export type RebuildRequest = z.infer<typeof rebuildRequestSchema>;

// Response schemas of the analytics routes: exactly what ReportService and RebuildService return.

const count = z.number().int().min(0);
const share = z.number().nullable();
const interval = z.strictObject({ low: z.number(), high: z.number(), level: z.literal(0.95) }).nullable();

const csatFigure = z.strictObject({
  questionId: z.string(),
  n: count,
  satisfied: count,
  share,
  ci95: interval,
  lowSample: z.boolean(),
});
const npsFigure = z.strictObject({
  questionId: z.string(),
  n: count,
  promoters: count,
  passives: count,
  detractors: count,
  promoterShare: share,
  passiveShare: share,
  detractorShare: share,
  nps: z.number().nullable(),
  ci95: interval,
  lowSample: z.boolean(),
});
const cesFigure = z.strictObject({
  questionId: z.string(),
  n: count,
  mean: z.number().nullable(),
  sd: z.number().nullable(),
  ci95: interval,
  agreeShare: share,
  agreeCi95: interval,
  lowSample: z.boolean(),
});
/** CSAT, NPS and CES of the survey's headline questions; null when the survey has no such question. */
const headline = { csat: csatFigure.nullable(), nps: npsFigure.nullable(), ces: cesFigure.nullable() };

const questionBase = {
  questionId: z.string(),
  series: z.string().describe('`<question>@<since>`: answers in one series are comparable'),
  comparableSinceVersion: z.number().int(),
  conditional: z
    .boolean()
    .describe(
      'asked only to some respondents (its showIf, or an earlier endIf that can end the survey): n counts only those who were shown it',
    ),
};
const ratedFigure = z.strictObject({
  ...questionBase,
  type: z.enum(['likert', 'nps', 'ces']),
  n: count,
  mean: z.number().nullable(),
  sd: z.number().nullable(),
  ci95: interval,
  distribution: z.array(z.strictObject({ value: z.number().int(), count, share })),
  lowSample: z.boolean(),
});
const choiceFigure = z.strictObject({
  ...questionBase,
  type: z.literal('single_choice'),
  n: count,
  lowSample: z.boolean(),
  distribution: z.array(z.strictObject({ value: z.string(), count, share })),
});
const unratedFigure = z.strictObject({ ...questionBase, type: z.enum(['text', 'contact']) });

const driverPoint = z.strictObject({
  questionId: z.string(),
  rho: z.number().nullable().describe('importance: Spearman rho with the overall question'),
  mean: z.number().nullable().describe('performance: the item’s mean'),
  n: count,
  meanN: count,
  lowSample: z.boolean(),
});

/**
 * The response funnel of a set of displays (the range, one trend bucket, one segment bucket): the same
 * figures wherever it appears, so a bucket's are comparable with the whole's.
 */
const funnelFields = {
  displays: count.describe('cards shown (the widget’s `shown` records; a dismissal implies its display)'),
  responses: count,
  responseRate: share.describe('responses / displays, capped at 1 (answers without a recorded display)'),
  ci95: interval.describe('Wilson interval of the response rate'),
  dismissed: count.describe('cards closed unfinished (never more than displays)'),
  dropOff: z
    .array(
      z.strictObject({
        questionId: z.string(),
        dismissed: count.describe('cards closed unfinished at this question'),
        share: share.describe('of displays'),
      }),
    )
    .describe('per question, in survey order'),
};

export const surveyReportSchema = z
  .strictObject({
    surveyId: z.string(),
    surveyVersion: z.number().int(),
    range: z.strictObject({ from: z.string(), to: z.string(), granularity: z.enum(['day', 'week', 'month']) }),
    segment: z.string().optional(),
    counts: z.strictObject({
      responses: count,
      comments: count,
      detractors: count,
      lowSample: z.boolean(),
    }),
    ...headline,
    questions: z.array(z.union([ratedFigure, choiceFigure, unratedFigure])),
    drivers: z.array(driverPoint).nullable().describe('null in a segment report or without an overall question'),
    funnel: z
      .strictObject(funnelFields)
      .describe('the response funnel over the range (of the segment, when one is asked for)'),
    trend: z
      .array(z.strictObject({ bucket: z.string(), ...headline, ...funnelFields }))
      .describe('per day, week or month (`range.granularity`): the headline figures and the funnel of the bucket'),
    segments: z
      .array(z.strictObject({ segment: z.string(), ...funnelFields }))
      .describe('the funnel of each segment bucket over the whole range: declared segments, then `other`, then `none`'),
    followUps: z.strictObject({
      total: count,
      resolved: count,
      resolutionRate: share,
      medianHoursToResolution: z.number().nullable(),
    }),
  })
  .meta({ id: 'SurveyReport' });

export const commentsPageSchema = z
  .strictObject({
    items: z.array(
      z.strictObject({
        responseId: z.string(),
        receivedAt: z.string(),
        locale: z.string(),
        customerId: z.string().optional(),
        segment: z.string().optional(),
        score: z
          .strictObject({ value: z.number(), min: z.number(), max: z.number() })
          .optional()
          .describe('the headline answer on its own scale'),
        comments: z.record(z.string(), z.string()).describe('free-text answers by question id, verbatim'),
        scores: z.record(z.string(), z.number()).describe('rated answers given alongside, by question id'),
      }),
    ),
    nextCursor: z.string().optional(),
  })
  .meta({ id: 'CommentPage' });

export const rebuildResultSchema = z
  .strictObject({
    rebuilt: z.array(
      z.strictObject({
        day: z.string(),
        responses: count,
        followUpsRestored: count.describe('follow-up tasks created or corrected'),
      }),
    ),
    nextCursor: z.string().optional(),
  })
  .meta({ id: 'AggregateRebuildResult' });
