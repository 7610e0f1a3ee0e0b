/**
 * THE zod schemas of the response funnel's public route: what the widget records when a survey card
 * is shown (`shown`) and when it is closed unfinished (`dismissed`, with the question it was closed
 * at). Idempotent by the client's display id, like a response id.
 */
import * as z from 'zod';
import { segmentSchema } from '../customers/customer-fields-schema';
import { responseIdSchema } from './response-schema';

export const DISPLAY_EVENTS = ['shown', 'dismissed'] as const;
export type DisplayEvent = (typeof DISPLAY_EVENTS)[number];

export const displaySubmissionSchema = z
  .strictObject({
    id: responseIdSchema.describe('the display id (ULID or UUIDv7) the widget made when the card was shown'),
    event: z.enum(DISPLAY_EVENTS),
    questionId: z
      .string()
      .max(32)
      .optional()
      .describe('dismissed: the question the card was closed at (the drop-off point)'),
    segment: segmentSchema.optional(),
  })
  .meta({ id: 'DisplaySubmission' });
export type DisplaySubmission = z.infer<typeof displaySubmissionSchema>;

export const displayReceiptSchema = z
  .strictObject({ id: z.string(), event: z.enum(DISPLAY_EVENTS) })
  .meta({ id: 'DisplayReceipt' });
