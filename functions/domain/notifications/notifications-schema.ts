/**
 * THE zod schema of a survey's `notifications`: who is told (e-mail recipients, each in their own
 * language), when digests go out (in the survey owner's IANA time zone) and when a drop alerts
 * (`alertThresholdsSchema`, docs/alerts.md). Validation, types and OpenAPI come from here; the console
 * shows the messages written here.
 */
import * as z from 'zod';
import { alertThresholdsSchema } from '../alerts/alert-thresholds-schema';
import { emailSchema } from '../customers/customer-fields-schema';
import { localeSchema } from '../surveys/locale-schema';

export const NOTIFICATION_LIMITS = { recipients: 20 } as const;

export const DIGEST_FREQUENCIES = ['off', 'daily', 'weekly'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

/** Whether the runtime's time-zone database knows this IANA name (e.g. `Asia/Shanghai`). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name.length > 0;
  } catch {
    return false;
  }
}

export const recipientSchema = z
  .strictObject({
    email: emailSchema,
    locale: localeSchema.default('en').meta({ description: 'Language of the e-mails this recipient gets.' }),
  })
  .meta({ id: 'NotificationRecipient' });
export type Recipient = z.infer<typeof recipientSchema>;

export const digestSettingsSchema = z
  .strictObject({
    frequency: z.enum(DIGEST_FREQUENCIES).default('off'),
    timeZone: z
      .string()
      .max(64)
      .refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai or Europe/Paris')
      .default('UTC')
      .meta({ description: 'IANA time zone of the survey owner: the hour and weekday are read in it.' }),
    hour: z.number().int().min(0).max(23).default(8).meta({ description: 'Local hour the digest is sent (0–23).' }),
    weekday: z
      .number()
      .int()
      .min(1)
      .max(7)
      .default(1)
      .meta({ description: 'Weekly digests: ISO weekday they are sent on, 1 = Monday … 7 = Sunday.' }),
  })
  .meta({ id: 'DigestSettings', description: 'The scheduled digest e-mail (docs/alerts.md, "Digests").' });
export type DigestSettings = z.infer<typeof digestSettingsSchema>;

export const notificationsSchema = z
  .strictObject({
    recipients: z
      .array(recipientSchema)
      .max(NOTIFICATION_LIMITS.recipients, `at most ${NOTIFICATION_LIMITS.recipients} recipients`)
      .refine((r) => new Set(r.map((x) => x.email)).size === r.length, 'a recipient appears twice')
      .default([]),
    digest: digestSettingsSchema.prefault({}),
    alerts: alertThresholdsSchema.prefault({}),
  })
  .meta({
    id: 'SurveyNotifications',
    description: 'Who hears about this survey by e-mail: drop alerts and scheduled digests (docs/alerts.md).',
  });
export type Notifications = z.infer<typeof notificationsSchema>;

/** What a survey without notification settings has: nobody told, no digest, default alert thresholds. */
export function defaultNotifications(): Notifications {
  return notificationsSchema.parse({});
}
