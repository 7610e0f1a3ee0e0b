/**
 * THE zod schema of a survey's drop-alert settings (`notifications.alerts`): validation, type and
 * OpenAPI come from here. Every field has a default, so `{}` (or no settings at all, through
 * `.prefault({})`) means "the defaults below". docs/alerts.md explains each number.
 */
import * as z from 'zod';
import { LOW_SAMPLE_N, MAX_RANGE_DAYS } from '../statistics';

export const ALERT_DEFAULTS = {
  /** Days in the current window, ending with the evaluated day. */
  currentDays: 7,
  /** Days in the baseline window, the days just before the current window. */
  baselineDays: 28,
  /** Answers each window needs before a metric is tested: the report's own low-sample line. */
  minimumSample: LOW_SAMPLE_N,
  /**
   * Practical minimums: 5% of each metric's range (CSAT 0–100, NPS −100..100, CES 1–7). The
   * overall question's mean has no fixed scale, so its default is 5% of that question's range.
   */
  minimumDrop: { csat: 5, nps: 10, ces: 0.3 },
} as const;

/** Share of a rating scale's range that is the default practical minimum for the overall question's mean. */
export const DEFAULT_MEAN_DROP_SHARE = 0.05;

export const alertMinimumDropSchema = z
  .strictObject({
    csat: z
      .number()
      .min(0)
      .max(100)
      .default(ALERT_DEFAULTS.minimumDrop.csat)
      .meta({ description: 'Smallest CSAT drop worth an alert, in percentage points (0–100).' }),
    nps: z
      .number()
      .min(0)
      .max(200)
      .default(ALERT_DEFAULTS.minimumDrop.nps)
      .meta({ description: 'Smallest NPS drop worth an alert, in NPS points (0–200).' }),
    ces: z
      .number()
      .min(0)
      .max(6)
      .default(ALERT_DEFAULTS.minimumDrop.ces)
      .meta({ description: 'Smallest drop of the mean CES (1–7 scale) worth an alert, in scale points.' }),
    mean: z.number().min(0).max(10).optional().meta({
      description:
        'Smallest drop of the overall question’s mean worth an alert, in scale points; default 5% of that question’s range (0.2 on 1–5, 0.3 on 1–7, 0.5 on 0–10).',
    }),
  })
  .meta({ description: 'Practical minimums: a significant drop smaller than these does not alert.' });

export const alertThresholdsSchema = z
  .strictObject({
    minimumDrop: alertMinimumDropSchema.prefault({}),
    minimumSample: z
      .number()
      .int()
      .min(LOW_SAMPLE_N)
      .max(1_000_000)
      .default(ALERT_DEFAULTS.minimumSample)
      .meta({
        description: `Answers each window needs before a metric is tested (at least ${LOW_SAMPLE_N}, the report’s low-sample line).`,
      }),
    currentDays: z
      .number()
      .int()
      .min(1)
      .max(90)
      .default(ALERT_DEFAULTS.currentDays)
      .meta({ description: 'Length of the current window in days, ending with the evaluated day.' }),
    baselineDays: z
      .number()
      .int()
      .min(1)
      .max(365)
      .default(ALERT_DEFAULTS.baselineDays)
      .meta({ description: 'Length of the baseline window in days, just before the current window.' }),
  })
  // One aggregate read covers both windows, and reads are bounded like the report's ranges.
  .refine((t) => t.currentDays + t.baselineDays <= MAX_RANGE_DAYS, {
    path: ['baselineDays'],
    message: `currentDays + baselineDays must not exceed ${MAX_RANGE_DAYS}`,
  })
  .meta({ id: 'AlertThresholds', description: 'When a drop in satisfaction alerts (docs/alerts.md).' });

/** Settings as stored and used (defaults filled in). */
export type AlertThresholds = z.infer<typeof alertThresholdsSchema>;
/** Settings as written in a request (every field optional). */
export type AlertThresholdsInput = z.input<typeof alertThresholdsSchema>;

/** The defaults, parsed: what a survey without alert settings uses. */
export function defaultAlertThresholds(): AlertThresholds {
  return alertThresholdsSchema.parse({});
}
