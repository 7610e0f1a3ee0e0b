/** Lambda entry of the admin API: customers, surveys, reports, follow-ups, the site settings and the identity secret. JWT-protected. */

import { systemClock } from '../adapters/clock';
import { createDocumentClient, tableNameFrom } from '../adapters/dynamodb/client';
import { DynamoAggregateStore } from '../adapters/dynamodb/dynamo-aggregate-store';
import { DynamoAuditStore } from '../adapters/dynamodb/dynamo-audit-store';
import { DynamoCustomerStore } from '../adapters/dynamodb/dynamo-customer-store';
import { DynamoExclusionStore } from '../adapters/dynamodb/dynamo-exclusion-store';
import { DynamoFeedbackStore } from '../adapters/dynamodb/dynamo-feedback-store';
import { DynamoFollowUpStore } from '../adapters/dynamodb/dynamo-followup-store';
import { DynamoIdempotencyStore } from '../adapters/dynamodb/dynamo-idempotency-store';
import { DynamoIdentitySecretStore } from '../adapters/dynamodb/dynamo-identity-secret-store';
import { DynamoNotificationStore } from '../adapters/dynamodb/dynamo-notification-store';
import { DynamoResponseStore } from '../adapters/dynamodb/dynamo-response-store';
import { DynamoSiteSettingsStore } from '../adapters/dynamodb/dynamo-site-settings-store';
import { DynamoSurveyStore } from '../adapters/dynamodb/dynamo-survey-store';
import { DynamoWebhookStore } from '../adapters/dynamodb/dynamo-webhook-store';
import { ulidGenerator } from '../adapters/ids';
import { auditRetentionDaysFrom, phoneRegionFrom, webhookConfigFrom } from '../config';
import { configuredDeadlineMs } from '../contracts/function-limits';
import { routesOf } from '../contracts/routes';
import { AuditService } from '../domain/audit/audit-service';
import { CustomerService } from '../domain/customers/customer-service';
import { IdentityService } from '../domain/customers/identity-service';
import { PrivacyService } from '../domain/customers/privacy-service';
import { FollowUpService } from '../domain/followups/followup-service';
import { NotificationService } from '../domain/notifications/notification-service';
import { ExclusionService } from '../domain/surveys/exclusion-service';
import { RebuildService } from '../domain/surveys/rebuild-service';
import { ReportService } from '../domain/surveys/report-service';
import { SiteSettingsService } from '../domain/surveys/site-settings-service';
import { SurveyService } from '../domain/surveys/survey-service';
import { WebhookService } from '../domain/webhooks/webhook-service';
import { createHttpFunction } from '../http/http-function';
import { openApiDocument } from '../http/openapi';
import { customerOperations } from './operations/customers';
import { identityOperations } from './operations/identity';
import { alertOperations } from './operations/notifications';
import { siteSettingsOperations } from './operations/site-settings';
import { surveyOperations } from './operations/surveys';
import { webhookOperations } from './operations/webhooks';

const db = createDocumentClient('admin-api');
const table = tableNameFrom();
const clock = systemClock;
const surveyStore = new DynamoSurveyStore(db, table);
const responses = new DynamoResponseStore(db, table);
const aggregates = new DynamoAggregateStore(db, table);
const followUpStore = new DynamoFollowUpStore(db, table);
const feedback = new DynamoFeedbackStore(db, table);
// A claim outlives the longest a request may run, so a live attempt is never taken over.
const idempotency = new DynamoIdempotencyStore(db, table, Math.ceil(configuredDeadlineMs('admin-api') / 1000) + 2);

const customerStore = new DynamoCustomerStore(db, table);
const customers = new CustomerService({
  store: customerStore,
  clock,
  ids: ulidGenerator,
  phoneRegion: phoneRegionFrom(),
});

const auditStore = new DynamoAuditStore(db, table, auditRetentionDaysFrom());
const audit = new AuditService({ store: auditStore, clock });
const notifications = new DynamoNotificationStore(db, table);
const siteSettings = new DynamoSiteSettingsStore(db, table);
const rebuilds = new RebuildService({ surveys: surveyStore, responses, aggregates, followUps: followUpStore, clock });

export const handler = createHttpFunction(
  'admin-api',
  routesOf('admin-api'),
  {
    ...customerOperations(
      customers,
      feedback,
      new PrivacyService({
        customers: customerStore,
        responses,
        followUps: followUpStore,
        feedback,
        clock,
        otherRecords: idempotency,
      }),
    ),
    ...surveyOperations({
      surveys: new SurveyService({ store: surveyStore, site: siteSettings, clock, ids: ulidGenerator }),
      reports: new ReportService({ surveys: surveyStore, responses, aggregates, followUps: followUpStore, clock }),
      responses,
      rebuilds,
      followUps: new FollowUpService(followUpStore, clock),
      exclusions: new ExclusionService({
        surveys: surveyStore,
        responses,
        followUps: followUpStore,
        exclusions: new DynamoExclusionStore(db, table),
        rebuilds,
        clock,
        ids: ulidGenerator,
      }),
    }),
    ...alertOperations(
      new NotificationService({ surveys: surveyStore, alerts: notifications, optOuts: notifications, clock }),
    ),
    listAudit: async ({ query }) => ({ status: 200, body: await audit.list(query) }),
    verifyAudit: async ({ query }) => ({ status: 200, body: await audit.verify(query) }),
    ...siteSettingsOperations(new SiteSettingsService({ store: siteSettings, clock })),
    ...identityOperations(
      new IdentityService({ store: new DynamoIdentitySecretStore(db, table), clock, ids: ulidGenerator }),
    ),
    ...webhookOperations(
      new WebhookService({
        store: new DynamoWebhookStore(db, table),
        clock,
        ids: ulidGenerator,
        addresses: { allowLoopback: webhookConfigFrom().allowLoopback },
      }),
    ),
    getOpenApi: async () => ({
      status: 200,
      body: openApiDocument(),
      headers: { 'cache-control': 'public, max-age=300' },
    }),
  },
  { idempotency, audit: auditStore },
);
