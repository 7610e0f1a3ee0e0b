/** Zod schemas of the notification routes: the unsubscribe link's query, and what the alerts route returns. */
import * as z from 'zod';
import { ALERT_METRICS } from '../alerts';
import { localeSchema } from '../surveys/locale-schema';
import { RECIPIENT_REF_PATTERN } from './recipient-ref';

export const unsubscribeQuerySchema = z.strictObject({
  survey: z.string().regex(/^[A-Za-z0-9]{1,64}$/, 'must be a survey id'),
  recipient: z.string().regex(RECIPIENT_REF_PATTERN, 'must be the recipient reference from the link'),
  signature: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be the signature from the link'),
});
export type UnsubscribeQuery = z.infer<typeof unsubscribeQuerySchema>;

/** RFC 8058 one-click body: `List-Unsubscribe=One-Click` (form-encoded or multipart). */
export const unsubscribeFormSchema = z
  .strictObject({ 'List-Unsubscribe': z.literal('One-Click') })
  .meta({ id: 'UnsubscribeForm' });

const interval = z.strictObject({ low: z.number(), high: z.number(), level: z.literal(0.95) });
const figure = z.strictObject({ n: z.number().int(), value: z.number().nullable() });
const common = {
  id: z.string(),
  alertId: z.string(),
  surveyId: z.string(),
  segment: z.string().nullable(),
  metric: z.enum(ALERT_METRICS),
  questionId: z.string(),
  on: z.string(),
};

export const alertEventSchema = z
  .discriminatedUnion('type', [
    z.strictObject({
      ...common,
      type: z.literal('satisfaction.dropped'),
      current: figure,
      baseline: figure,
      estimate: z.number(),
      ci95: interval,
      pValue: z.number(),
      adjustedP: z.number(),
      minimumDrop: z.number(),
    }),
    z.strictObject({
      ...common,
      type: z.literal('satisfaction.recovered'),
      droppedOn: z.string(),
      reason: z.enum(['recovered', 'no-longer-measured']),
      current: figure.nullable(),
      reference: figure,
      estimate: z.number().nullable(),
      pValue: z.number().nullable(),
    }),
  ])
  .meta({ id: 'AlertEvent', description: 'A satisfaction.dropped or satisfaction.recovered event (docs/alerts.md).' });

export const surveyAlertsSchema = z
  .strictObject({
    surveyId: z.string(),
    evaluatedThrough: z.string().nullable().describe('last day of the latest evaluated window (UTC)'),
    open: z.array(
      z.strictObject({
        alertId: z.string(),
        segment: z.string().nullable(),
        metric: z.enum(ALERT_METRICS),
        questionId: z.string(),
        droppedOn: z.string(),
        referenceValue: z.number(),
        minimumDrop: z.number(),
      }),
    ),
    events: z.array(
      z.strictObject({
        event: alertEventSchema,
        recordedAt: z.string(),
        emailedAt: z.string().optional().describe('when every recipient’s e-mail was handed to the mailer'),
      }),
    ),
    recipients: z
      .array(
        z.strictObject({
          email: z.string(),
          locale: localeSchema,
          digest: z.enum(['subscribed', 'unsubscribed']).describe('unsubscribed: used the digest’s one-click link'),
        }),
      )
      .describe('the survey’s recipients and whether each still receives its digests'),
  })
  .meta({ id: 'SurveyAlerts' });
export type SurveyAlerts = z.infer<typeof surveyAlertsSchema>;

export const surveyAlertsQuerySchema = z.strictObject({
  days: z.coerce.number().int().min(1).max(365).default(90).describe('events of the last this many days'),
});
