/**
 * THE zod schema of what the widget renders (GET /v1/surveys/{id}/widget), for the OpenAPI document:
 * its own file so the public API's route table does not build every survey schema.
 */
import * as z from 'zod';
import { localeSchema } from './locale-schema';
import { localTextSchema, questionSchema } from './question-schema';
import { targetingSchema } from './targeting-schema';

export const widgetSurveySchema = z
  .strictObject({
    id: z.string(),
    version: z.number().int(),
    locales: z.array(localeSchema),
    defaultLocale: localeSchema,
    title: localTextSchema,
    thankYou: localTextSchema.optional(),
    questions: z.array(questionSchema),
    delivery: z.strictObject({ samplingRate: z.number(), frequencyCapDays: z.number().int() }),
    targeting: targetingSchema.optional(),
    recontactDays: z.number().int().describe('The site’s recontact window in days (GET /v1/site-settings)'),
  })
  .meta({ id: 'WidgetSurvey' });
