/**
 * One event on its way to one subscription, and every attempt to deliver it. A delivery's id is
 * derived from the event (time first, so a subscription's deliveries sort by time), so a redelivered
 * stream record finds the delivery it already made; `msg_<id>` is the stable `webhook-id`.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { type WebhookEvent, webhookEventTypeSchema } from './webhook-events';

export const deliveryStates = ['pending', 'retrying', 'delivered', 'dead-lettered', 'skipped'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

export interface DeliveryAttempt {
  /** 1 + the number of replays before this attempt. */
  run: number;
  attempt: number;
  at: string;
  outcome: 'delivered' | 'failed' | 'refused';
  /** The receiver's HTTP status; absent when no answer came (timeout, refused address, connection error). */
  status?: number;
  latencyMs: number;
  /** The first bytes of the answer (or of the reason no answer came). */
  response?: string;
  /** When the next attempt is due (absent after the last one). */
  nextAttemptAt?: string;
}

export interface WebhookDelivery {
  id: string;
  subscriptionId: string;
  event: WebhookEvent;
  state: DeliveryState;
  run: number;
  /** Attempts claimed in the current run. */
  attemptCount: number;
  attempts: DeliveryAttempt[];
  nextAttemptAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** Attempts kept per delivery (the newest): 13 per run, so a few replays fit. */
export const MAX_KEPT_ATTEMPTS = 50;
/** Bytes of an answer kept in the log. */
export const RESPONSE_SNIPPET_BYTES = 256;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The 10 time characters of a ULID for `ms`: delivery ids of a time range share their bounds. */
export function timePrefix(ms: number): string {
  let value = Math.max(0, Math.floor(ms));
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = (CROCKFORD[value % 32] ?? '0') + out;
    value = Math.floor(value / 32);
  }
  return out;
}

/** Deterministic, time-ordered, ULID-shaped: the same event always gets the same id. */
export function deliveryIdOf(event: Pick<WebhookEvent, 'id' | 'timestamp'>): string {
  const digest = createHash('sha256').update(event.id).digest();
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[(digest[i] ?? 0) % 32];
  return `${timePrefix(Date.parse(event.timestamp))}${random}`;
}

export const webhookIdOf = (deliveryId: string) => `msg_${deliveryId}`;

export const deliveryAttemptSchema = z.strictObject({
  run: z.number().int(),
  attempt: z.number().int(),
  at: z.string(),
  outcome: z.enum(['delivered', 'failed', 'refused']),
  status: z.number().int().optional(),
  latencyMs: z.number(),
  response: z.string().optional(),
  nextAttemptAt: z.string().optional(),
});

export const webhookDeliverySchema = z
  .strictObject({
    id: z.string(),
    webhookId: z.string().describe('The `webhook-id` header: the same on every attempt and replay'),
    subscriptionId: z.string(),
    type: webhookEventTypeSchema,
    eventTimestamp: z.string(),
    state: z.enum(deliveryStates),
    run: z.number().int(),
    attempts: z.array(deliveryAttemptSchema),
    nextAttemptAt: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    payload: z.record(z.string(), z.unknown()).describe('The event’s `data`'),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDeliveryView = z.infer<typeof webhookDeliverySchema>;

export const webhookDeliveryPageSchema = z
  .strictObject({ items: z.array(webhookDeliverySchema), nextCursor: z.string().optional() })
  .meta({ id: 'WebhookDeliveryPage' });

export const deliveryListQuerySchema = z.strictObject({
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  state: z.enum(deliveryStates).optional(),
});

export const replayRangeSchema = z
  .strictObject({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    states: z
      .array(z.enum(['dead-lettered', 'skipped', 'delivered', 'retrying', 'pending']))
      .min(1)
      .default(['dead-lettered', 'skipped'])
      .describe('Which deliveries of the range to replay (default: the ones that did not arrive)'),
  })
  .meta({ id: 'WebhookReplayRange' });
export type ReplayRange = z.infer<typeof replayRangeSchema>;

export const replayResultSchema = z
  .strictObject({
    replayed: z.number().int(),
    deliveryIds: z.array(z.string()),
    truncated: z.boolean().describe('More matched than one call replays: call again with a later `from`'),
  })
  .meta({ id: 'WebhookReplayResult' });
export type ReplayResult = z.infer<typeof replayResultSchema>;

export const replayOneSchema = z.strictObject({}).meta({ id: 'WebhookReplayOne' });

export function deliveryViewOf(d: WebhookDelivery): WebhookDeliveryView {
  return {
    id: d.id,
    webhookId: webhookIdOf(d.id),
    subscriptionId: d.subscriptionId,
    type: d.event.type,
    eventTimestamp: d.event.timestamp,
    state: d.state,
    run: d.run,
    attempts: d.attempts,
    ...(d.nextAttemptAt ? { nextAttemptAt: d.nextAttemptAt } : {}),
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    payload: d.event.data,
  };
}
