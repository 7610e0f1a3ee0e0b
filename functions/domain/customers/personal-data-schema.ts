/**
 * Response schemas of a customer's detail and of the GDPR routes. Apart from customer-schema.ts
 * because they hold responses and follow-ups, whose schemas themselves import customer field rules.
 */
import * as z from 'zod';
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
    responses: z.array(storedResponseSchema).describe('responses linked to the customer'),
    otherResponses: z
      .array(storedResponseSchema)
      .describe('responses not linked to them that name them: an unverified claim of their id, or their e-mail'),
    followUps: z.array(followUpSchema),
    mergedIds: z.array(z.string()).describe('ids of records merged into this one'),
  })
  .meta({ id: 'PersonalDataExport' });

export const unverifiedResponsesSchema = z
  .strictObject({
    items: z
      .array(storedResponseSchema)
      .describe(
        'responses not linked to the customer that name them (an unverified claim of their id, or their e-mail as contact), newest first',
      ),
  })
  .meta({ id: 'UnverifiedResponses' });

export const erasureResultSchema = z
  .strictObject({
    erased: z.literal(true),
    responsesUnlinked: z.number().int().describe('responses linked to or claimed by the customer, now stripped'),
    contactResponsesRedacted: z.number().int().describe('other responses holding their e-mail, now stripped'),
    followUpsUnlinked: z.number().int(),
    mergedIdsForgotten: z.number().int(),
    keptOutcomesForgotten: z.number().int(),
  })
  .meta({ id: 'ErasureResult' });
