/**
 * Response schemas of a customer's detail and of the GDPR routes. Apart from customer-schema.ts
 * because they hold responses and follow-ups, whose schemas themselves import customer field rules.
 */
import { z } from 'zod';
import { followUpSchema } from '../followups/followup';
import { storedResponseSchema } from '../surveys/response-schema';
import { customerSchema } from './customer-schema';

export const customerFeedbackSchema = z.strictObject({
  count: z.number().int(),
  lastScore: z
    .strictObject({ value: z.number(), min: z.number(), max: z.number(), surveyId: z.string(), at: z.string() })
    .optional()
    .describe('the latest headline answer, on its own scale'),
  averageSatisfaction: z.number().nullable().describe('mean of scored answers normalised to 0–100'),
});

export const customerDetailSchema = customerSchema
  .extend({ feedback: customerFeedbackSchema })
  .meta({ id: 'CustomerDetail' });

export const personalDataExportSchema = z
  .strictObject({
    exportedAt: z.string(),
    customer: customerSchema,
    feedback: customerFeedbackSchema,
    responses: z.array(storedResponseSchema),
    followUps: z.array(followUpSchema),
  })
  .meta({ id: 'PersonalDataExport' });

export const erasureResultSchema = z
  .strictObject({
    erased: z.string().describe('the customer id'),
    responsesUnlinked: z.number().int(),
    followUpsUnlinked: z.number().int(),
  })
  .meta({ id: 'ErasureResult' });
