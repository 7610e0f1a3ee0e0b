/**
 * The events a webhook subscription can ask for, and the payload of each (docs/webhooks.md). Payloads
 * carry ids and facts, never more personal data than the event is about: a receiver that needs a
 * customer's record reads it through the API, where the read is audited.
 */
import * as z from 'zod';
import { webhookEventTypes } from './webhook-event-types';

export { webhookEventTypes } from './webhook-event-types';

export const webhookEventTypeSchema = z.enum(webhookEventTypes).meta({ id: 'WebhookEventType' });
export type WebhookEventType = z.infer<typeof webhookEventTypeSchema>;

const scoreSchema = z.strictObject({ value: z.number(), min: z.number(), max: z.number() });

/** Rated and single-choice answers only: free text and contact answers can hold anything a person typed. */
export const responseCreatedSchema = z
  .strictObject({
    responseId: z.string(),
    surveyId: z.string(),
    surveyVersion: z.number().int(),
    receivedAt: z.string(),
    locale: z.string(),
    customerId: z.string().optional().describe('Only for a verified identity'),
    segment: z.string().optional(),
    score: scoreSchema.optional().describe('The headline score: the overall answer, else the NPS answer'),
    detractor: z.boolean(),
    ratings: z.record(z.string(), z.number()).describe('Rated answers by question id'),
    choices: z.record(z.string(), z.string()).describe('Single-choice answers by question id'),
    comments: z.number().int().describe('How many free-text answers it has (read them through the API)'),
  })
  .meta({ id: 'WebhookResponseCreated' });

/** No comment, note or assignee: they are free text written by or about a person. */
export const followUpEventSchema = z
  .strictObject({
    followUpId: z.string(),
    surveyId: z.string(),
    responseId: z.string(),
    customerId: z.string().optional(),
    status: z.enum(['open', 'contacted', 'resolved', 'excluded']),
    assigned: z.boolean(),
    revision: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WebhookFollowUp' });

/** Which fields changed, never their values: the record is one audited API read away. */
export const customerChangedSchema = z
  .strictObject({
    customerId: z.string(),
    version: z.number().int(),
    changedFields: z.array(z.string()),
    updatedAt: z.string(),
  })
  .meta({ id: 'WebhookCustomerChanged' });

export const customerMergedSchema = z
  .strictObject({
    customerId: z.string().describe('The record that was merged away'),
    mergedInto: z.string().describe('The record that absorbed it'),
  })
  .meta({ id: 'WebhookCustomerMerged' });

/** Only the id: everything else about the person is gone. */
export const customerErasedSchema = z.strictObject({ customerId: z.string() }).meta({ id: 'WebhookCustomerErased' });

const figureSchema = z.looseObject({}).describe('A window’s figure (n, estimate, interval)');

/** What both alert events say about the alert they belong to. */
const alertFields = {
  alertId: z.string(),
  surveyId: z.string(),
  segment: z.string().nullable(),
  metric: z.string(),
  questionId: z.string(),
  on: z.string(),
};

export const satisfactionDroppedSchema = z
  .looseObject({
    ...alertFields,
    current: figureSchema,
    baseline: figureSchema,
    estimate: z.number(),
  })
  .meta({ id: 'WebhookSatisfactionDropped' });

export const satisfactionRecoveredSchema = z
  .looseObject({
    ...alertFields,
    droppedOn: z.string(),
    reason: z.enum(['recovered', 'no-longer-measured']),
  })
  .meta({ id: 'WebhookSatisfactionRecovered' });

export const webhookPayloadSchemas = {
  'response.created': responseCreatedSchema,
  'followup.created': followUpEventSchema,
  'followup.updated': followUpEventSchema,
  'customer.created': customerChangedSchema,
  'customer.updated': customerChangedSchema,
  'customer.merged': customerMergedSchema,
  'customer.erased': customerErasedSchema,
  'satisfaction.dropped': satisfactionDroppedSchema,
  'satisfaction.recovered': satisfactionRecoveredSchema,
} as const satisfies Record<WebhookEventType, z.ZodType>;

export const webhookEventDescriptions: Record<WebhookEventType, string> = {
  'response.created': 'A survey answer was received (scores and choices; no free text, no contact data)',
  'followup.created': 'A detractor’s answer opened a follow-up task',
  'followup.updated': 'A follow-up moved forward, was assigned or noted (no note or assignee text)',
  'customer.created': 'A customer record was created (id and field names only)',
  'customer.updated': 'A customer record changed (id, version and the names of the changed fields)',
  'customer.merged': 'A duplicate record was merged into another',
  'customer.erased': 'A customer was erased (GDPR): only the id',
  'satisfaction.dropped': 'A statistically significant drop of satisfaction in a survey or segment',
  'satisfaction.recovered': 'A drop announced earlier has recovered (or is no longer measured)',
};

/** One event as it leaves Rapport: the Standard Webhooks envelope `{type, timestamp, data}`. */
export interface WebhookEvent {
  /** Deterministic per source change, so a redelivered stream record yields the same event. */
  id: string;
  type: WebhookEventType;
  /** When the change happened (ISO 8601). */
  timestamp: string;
  data: Record<string, unknown>;
}

export function envelopeSchemaOf(type: WebhookEventType) {
  return z
    .strictObject({
      type: z.literal(type),
      timestamp: z.string().describe('When the change happened (ISO 8601)'),
      data: webhookPayloadSchemas[type],
    })
    .describe(webhookEventDescriptions[type]);
}

/** The body a receiver gets: stable across retries and replays (the signature covers it byte for byte). */
export function bodyOf(event: WebhookEvent): string {
  return JSON.stringify({ type: event.type, timestamp: event.timestamp, data: event.data });
}
