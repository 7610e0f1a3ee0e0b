/**
 * A webhook subscription: where to send which events, signed with a secret shown once. A rotation
 * keeps the replaced secret signing beside the new one for a grace period, so receivers can roll over
 * without refusing a delivery. Repeated dead letters disable a subscription (docs/webhooks.md).
 */
import * as z from 'zod';
import { type WebhookEventType, webhookEventTypeSchema } from './webhook-events';
import { secretFingerprint } from './webhook-signature';

export interface WebhookSecret {
  secret: string;
  createdAt: string;
}

export interface WebhookSubscription {
  id: string;
  url: string;
  events: WebhookEventType[];
  description?: string;
  enabled: boolean;
  /** Why it is disabled: by a person, or by Rapport after repeated dead letters. */
  disabledReason?: 'manual' | 'dead-letters';
  /** Who is told by e-mail when Rapport disables it. */
  notifyEmail?: string;
  secret: WebhookSecret;
  previousSecret?: WebhookSecret & { validUntil: string };
  /** +1 on every change: ETag / If-Match, and the race check of a rotation. */
  version: number;
  /** Deliveries dead-lettered in a row (a delivered one resets it). */
  consecutiveDeadLetters: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  /** Which request made this version: a retried create or rotation recognises its own work. */
  requestId: string;
}

export const WEBHOOK_LIMITS = {
  maxUrlLength: 2048,
  maxDescriptionLength: 500,
  maxGraceHours: 24 * 7,
  defaultGraceHours: 24,
  /** Dead letters in a row that disable a subscription. */
  deadLettersToDisable: 3,
  maxSubscriptions: 50,
} as const;

const urlShape = z
  .string()
  .trim()
  .min(1)
  .max(WEBHOOK_LIMITS.maxUrlLength)
  .describe('https URL the events are POSTed to (no credentials in it; private addresses are refused)');

export const webhookCreateSchema = z
  .strictObject({
    url: urlShape,
    events: z.array(webhookEventTypeSchema).min(1).max(20),
    description: z.string().trim().max(WEBHOOK_LIMITS.maxDescriptionLength).optional(),
    enabled: z.boolean().default(true),
    notifyEmail: z.email().max(254).optional().describe('Told by e-mail if Rapport disables the subscription'),
  })
  .meta({ id: 'WebhookCreate' });
export type WebhookCreate = z.infer<typeof webhookCreateSchema>;

export const webhookPatchSchema = z
  .strictObject({
    url: urlShape.optional(),
    events: z.array(webhookEventTypeSchema).min(1).max(20).optional(),
    description: z.string().trim().max(WEBHOOK_LIMITS.maxDescriptionLength).nullable().optional(),
    enabled: z.boolean().optional(),
    notifyEmail: z.email().max(254).nullable().optional(),
  })
  .meta({ id: 'WebhookPatch' });
export type WebhookPatch = z.infer<typeof webhookPatchSchema>;

export const webhookRotateSchema = z
  .strictObject({
    graceHours: z
      .number()
      .int()
      .min(0)
      .max(WEBHOOK_LIMITS.maxGraceHours)
      .default(WEBHOOK_LIMITS.defaultGraceHours)
      .describe('How long the replaced secret keeps signing beside the new one (0: at once, e.g. after a leak)'),
  })
  .meta({ id: 'WebhookRotate' });
export type WebhookRotate = z.infer<typeof webhookRotateSchema>;

export const webhookSchema = z
  .strictObject({
    id: z.string(),
    url: z.string(),
    events: z.array(webhookEventTypeSchema),
    description: z.string().optional(),
    enabled: z.boolean(),
    disabledReason: z.enum(['manual', 'dead-letters']).optional(),
    notifyEmail: z.string().optional(),
    secretFingerprint: z.string(),
    previousSecret: z.strictObject({ fingerprint: z.string(), validUntil: z.string() }).optional(),
    version: z.number().int(),
    consecutiveDeadLetters: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Webhook' });
export type WebhookView = z.infer<typeof webhookSchema>;

export const webhookIssuedSchema = webhookSchema
  .extend({
    secret: z.string().describe('Shown only in this answer: `whsec_…`, verify deliveries with it'),
  })
  .meta({ id: 'WebhookIssued' });
export type WebhookIssued = z.infer<typeof webhookIssuedSchema>;

export const webhookListSchema = z.strictObject({ items: z.array(webhookSchema) }).meta({ id: 'WebhookList' });

/** The secrets that sign at `now`: the current one, and the replaced one during its grace period. */
export function signingSecrets(subscription: WebhookSubscription, now: Date): string[] {
  const previous = subscription.previousSecret;
  return previous && Date.parse(previous.validUntil) > now.getTime()
    ? [subscription.secret.secret, previous.secret]
    : [subscription.secret.secret];
}

export function viewOf(s: WebhookSubscription, now: Date): WebhookView {
  const previous = s.previousSecret;
  return {
    id: s.id,
    url: s.url,
    events: s.events,
    ...(s.description ? { description: s.description } : {}),
    enabled: s.enabled,
    ...(s.disabledReason && !s.enabled ? { disabledReason: s.disabledReason } : {}),
    ...(s.notifyEmail ? { notifyEmail: s.notifyEmail } : {}),
    secretFingerprint: secretFingerprint(s.secret.secret),
    ...(previous && Date.parse(previous.validUntil) > now.getTime()
      ? { previousSecret: { fingerprint: secretFingerprint(previous.secret), validUntil: previous.validUntil } }
      : {}),
    version: s.version,
    consecutiveDeadLetters: s.consecutiveDeadLetters,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}
