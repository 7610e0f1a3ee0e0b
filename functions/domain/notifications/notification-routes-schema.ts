/**
 * Zod schemas of the admin API's alerts route: what it returns and its query. The public unsubscribe
 * route's schemas are in unsubscribe-schema.ts, so the public API does not build these at start-up.
 */
import * as z from 'zod';
import { ALERT_METRICS } from '../alerts';
import { localeSchema } from '../surveys/locale-schema';

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
