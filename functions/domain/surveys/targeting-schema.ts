/**
 * The zod schema of a survey's targeting: *when* it shows itself (triggers), *to whom* (audience) and
 * how often (display limit, the site-wide recontact window). The widget's loader evaluates it in the
 * browser (docs/widget.md); the API checks that each rule can be evaluated, then stores and serves it.
 */
import * as z from 'zod';
import { segmentSchema } from '../customers/customer-fields-schema';
import { checkOpValue, conditionOpSchema, LOGIC_LIMITS } from './logic-schema';

export const TARGETING_LIMITS = { urlRules: 20, events: 20, attributes: 20, segments: 20 } as const;

export const urlRuleSchema = z.strictObject({
  match: z
    .enum(['exact', 'prefix', 'contains', 'glob'])
    .describe('glob: * matches any run of characters, ? one; matched against the path plus query'),
  value: z.string().min(1).max(500),
});
export type UrlRule = z.infer<typeof urlRuleSchema>;

const eventName = z
  .string()
  .regex(/^[\w.:-]{1,64}$/, 'letters, digits, _ . : - (max 64)')
  .describe('a name the page passes to Rapport.track()');

export const triggersSchema = z
  .strictObject({
    /** The page must match one `include` rule (when there are any) and no `exclude` rule. */
    urls: z
      .strictObject({
        include: z.array(urlRuleSchema).max(TARGETING_LIMITS.urlRules).default([]),
        exclude: z.array(urlRuleSchema).max(TARGETING_LIMITS.urlRules).default([]),
      })
      .optional(),
    events: z.array(eventName).max(TARGETING_LIMITS.events).optional(),
    timeOnPageSeconds: z.number().int().min(1).max(3600).optional(),
    scrollDepthPercent: z.number().int().min(1).max(100).optional(),
    exitIntent: z.boolean().optional().describe('desktop: the pointer leaves the page towards the browser’s chrome'),
    pageViews: z.number().int().min(1).max(100).optional().describe('the n-th page view of the visit (session)'),
  })
  .describe(
    'On a page matching `urls`, the survey shows itself when any of the other triggers fires (at once when none is set); no Rapport.open() call needed',
  );
export type Triggers = z.infer<typeof triggersSchema>;

export const attributeRuleSchema = z
  .strictObject({
    attribute: z.string().regex(/^[\w.-]{1,64}$/, 'letters, digits, _ . - (max 64)'),
    op: conditionOpSchema,
    value: z
      .union([
        z.number(),
        z.string().max(200),
        z.boolean(),
        z
          .array(z.union([z.number(), z.string().max(200), z.boolean()]))
          .min(1)
          .max(LOGIC_LIMITS.values),
      ])
      .optional()
      .describe('a number for lt/lte/gt/gte, a list for in, one value for eq/ne, nothing for answered/unanswered'),
  })
  // The loader compares the value as the op says: a value of another type would match nobody.
  .superRefine((rule, ctx) => checkOpValue(rule, ctx));
export type AttributeRule = z.infer<typeof attributeRuleSchema>;

export const audienceSchema = z
  .strictObject({
    segments: z.array(segmentSchema).max(TARGETING_LIMITS.segments).optional(),
    attributes: z.array(attributeRuleSchema).max(TARGETING_LIMITS.attributes).optional(),
  })
  .describe(
    'Who is asked: a visitor whose Rapport.identify() segment is one of `segments` (when given) and whose attributes satisfy every rule',
  );
export type Audience = z.infer<typeof audienceSchema>;

export const targetingSchema = z.strictObject({
  triggers: triggersSchema.optional(),
  audience: audienceSchema.optional(),
  /** Shown at most this many times to one visitor (besides the frequency cap after an answer or dismissal). */
  displayLimit: z.number().int().min(1).max(1000).optional(),
  /**
   * The survey ignores the site-wide recontact window (and does not start it): for a survey people
   * open themselves, such as a feedback tab.
   */
  recontactOptOut: z.boolean().optional(),
});
export type Targeting = z.infer<typeof targetingSchema>;
