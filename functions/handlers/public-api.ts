/**
 * Lambda entry of the public API: health, the survey the widget renders, submissions and the funnel's
 * display records. No token;
 * CORS is granted per survey to its allowed origins only. It never reads customer records: an
 * identity is verified against the identity secret, and the aggregator confirms the customer.
 */

import { createHash } from 'node:crypto';
import { systemClock } from '../adapters/clock';
import { CachedSiteSettingsStore } from '../adapters/dynamodb/cached-site-settings-store';
import { CachedSurveyStore } from '../adapters/dynamodb/cached-survey-store';
import { createDocumentClient, tableNameFrom } from '../adapters/dynamodb/client';
import { DynamoAuditStore } from '../adapters/dynamodb/dynamo-audit-store';
import { DynamoDisplayStore } from '../adapters/dynamodb/dynamo-display-store';
import { DynamoIdentitySecretStore } from '../adapters/dynamodb/dynamo-identity-secret-store';
import { DynamoNotificationStore } from '../adapters/dynamodb/dynamo-notification-store';
import { DynamoResponseStore } from '../adapters/dynamodb/dynamo-response-store';
import { DynamoSaltStore } from '../adapters/dynamodb/dynamo-salt-store';
import { DynamoSiteSettingsStore } from '../adapters/dynamodb/dynamo-site-settings-store';
import { DynamoSubmissionLimiter } from '../adapters/dynamodb/dynamo-submission-limiter';
import { DynamoSurveyStore } from '../adapters/dynamodb/dynamo-survey-store';
import { dynamoHealthCheck } from '../adapters/dynamodb/health-probe';
import { ulidGenerator } from '../adapters/ids';
import { auditRetentionDaysFrom } from '../config';
import { publicApiRoutes } from '../contracts/public-routes';
import { IdentityVerifier } from '../domain/customers/identity-verification';
import { NotificationService } from '../domain/notifications/notification-service';
import { DisplayService } from '../domain/surveys/display-service';
import { identityOutcomeOf, ResponseService } from '../domain/surveys/response-service';
import { SurveyService } from '../domain/surveys/survey-service';
import { createHttpFunction } from '../http/http-function';
import { recordResponseAccepted, recordResponseRejected, rejectionReasonOf } from '../observability/metrics';
import { unsubscribeOperations } from './operations/notifications';

const db = createDocumentClient('public-api');
const table = tableNameFrom();
const dynamoAnswers = dynamoHealthCheck(db, table);
const surveyStore = new CachedSurveyStore(new DynamoSurveyStore(db, table));
const surveys = new SurveyService({
  store: surveyStore,
  site: new CachedSiteSettingsStore(new DynamoSiteSettingsStore(db, table)),
  clock: systemClock,
  ids: ulidGenerator,
});
const submissions = new ResponseService({
  surveys: surveyStore,
  responses: new DynamoResponseStore(db, table),
  // Read at every signed answer (no cache): a rotation, and a revocation after a leak, apply at once.
  identity: new IdentityVerifier(new DynamoIdentitySecretStore(db, table)),
  clock: systemClock,
  limiter: new DynamoSubmissionLimiter(db, table),
  salts: new DynamoSaltStore(db, table),
});

const notifications = new DynamoNotificationStore(db, table);
const unsubscribes = new NotificationService({
  // Uncached: an unsubscribe must see the survey as it is.
  surveys: new DynamoSurveyStore(db, table),
  optOuts: notifications,
  readSecret: () => notifications.readSecret(),
  audit: new DynamoAuditStore(db, table, auditRetentionDaysFrom()),
  clock: systemClock,
});
const displays = new DisplayService({
  surveys: surveyStore,
  displays: new DynamoDisplayStore(db, table),
  clock: systemClock,
});

export const handler = createHttpFunction(
  'public-api',
  publicApiRoutes,
  {
    getHealth: async () => {
      const ok = await dynamoAnswers();
      return {
        status: ok ? 200 : 503,
        body: {
          status: ok ? 'ok' : 'degraded',
          checks: { dynamodb: ok ? 'ok' : 'failing' },
          time: systemClock.now().toISOString(),
        },
        ...(ok ? {} : { headers: { 'retry-after': '5' } }),
      };
    },

    getSurveyWidget: async ({ params, headers }) => {
      const view = await surveys.widgetView(params.id);
      const etag = `"${createHash('sha256').update(JSON.stringify(view)).digest('base64url').slice(0, 22)}"`;
      const cache = { etag, 'cache-control': 'public, max-age=60' };
      if (headers['if-none-match'] === etag) return { status: 304, headers: cache };
      return { status: 200, body: view, headers: cache };
    },

    submitResponse: async ({ params, headers, body, client }) => {
      const result = await submissions.submit(params.id, headers.origin, body as Exclude<typeof body, string>, client);
      if (result.created) {
        const rated = result.response.facts.score !== undefined;
        recordResponseAccepted(params.id, {
          rated: rated ? 1 : 0,
          satisfied: result.satisfied ? 1 : 0,
          detractor: rated && result.response.facts.detractor ? 1 : 0,
        });
      }
      return {
        status: 201,
        body: {
          id: result.response.id,
          receivedAt: result.response.receivedAt,
          // Whether a customer id was verified (and so links the answer) — unverified ones say why.
          ...identityOutcomeOf(result.response),
        },
        headers: {
          location: `/v1/surveys/${params.id}/responses/${result.response.id}`,
          ...(result.created ? {} : { 'idempotent-replayed': 'true' }),
        },
      };
    },

    recordDisplay: async ({ params, headers, body }) => {
      const { display, created } = await displays.record(
        params.id,
        headers.origin,
        body as Exclude<typeof body, string>,
      );
      return {
        status: 201,
        body: { id: display.id, event: display.event },
        ...(created ? {} : { headers: { 'idempotent-replayed': 'true' } }),
      };
    },

    preflightResponses: async () => ({ status: 204 }),

    ...unsubscribeOperations(unsubscribes),
    preflightDisplays: async () => ({ status: 204 }),
  },
  {
    // Every refused submission counts, whether the schema, the survey or the size cap refused it.
    onRouteError: (operationId, error) => {
      if (operationId === 'submitResponse') recordResponseRejected(rejectionReasonOf(error));
    },
    cors: async (origin, event) => {
      const surveyId = event.pathParameters?.id;
      if (!surveyId || !(await submissions.allowedOrigins(surveyId)).includes(origin)) return undefined;
      return {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': 'content-type',
        'access-control-expose-headers': 'etag, retry-after',
        'access-control-max-age': '600',
      };
    },
  },
);
