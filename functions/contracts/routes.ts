/**
 * THE route table. The CDK API construct creates one API Gateway route per entry (with the JWT
 * authorizer on every non-public one), the local gateway serves exactly these, each Lambda's
 * http-router is built from its entries, and the OpenAPI document is generated from them.
 * Pure data plus zod schemas: no AWS imports, safe to load from CDK.
 */
import type { ZodType } from 'zod';
import * as z from 'zod';
import {
  auditPageSchema,
  auditQuerySchema,
  auditVerifyQuerySchema,
  chainCheckSchema,
} from '../domain/audit/audit-entry';
import {
  customerCreateSchema,
  customerExportQuerySchema,
  customerImportJsonSchema,
  customerListQuerySchema,
  customerListSchema,
  customerLookupQuerySchema,
  customerPatchSchema,
  customerSchema,
  importReportSchema,
  mergeRequestSchema,
  qualityQuerySchema,
  qualityReportSchema,
} from '../domain/customers/customer-schema';
import {
  identitySecretCreateSchema,
  identitySecretIssuedSchema,
  identitySecretRotateSchema,
  identitySecretStatusSchema,
} from '../domain/customers/identity-secret';
import {
  customerDetailSchema,
  erasureResultSchema,
  personalDataExportSchema,
  unverifiedResponsesSchema,
} from '../domain/customers/personal-data-schema';
import {
  followUpListQuerySchema,
  followUpPageSchema,
  followUpPatchSchema,
  followUpSchema,
} from '../domain/followups/followup';
import { healthSchema } from '../domain/health';
import {
  surveyAlertsQuerySchema,
  surveyAlertsSchema,
  unsubscribeFormSchema,
  unsubscribeQuerySchema,
} from '../domain/notifications/notification-routes-schema';
import { displayReceiptSchema, displaySubmissionSchema } from '../domain/surveys/display-schema';
import {
  clientSummariesSchema,
  clientsQuerySchema,
  exclusionListSchema,
  exclusionRequestSchema,
  exclusionSchema,
} from '../domain/surveys/exclusion';
import {
  commentsPageSchema,
  commentsQuerySchema,
  rebuildRequestSchema,
  rebuildResultSchema,
  reportQuerySchema,
  responsesExportQuerySchema,
  surveyReportSchema,
} from '../domain/surveys/report-schema';
import {
  responsePageSchema,
  responseSubmissionSchema,
  submissionReceiptSchema,
} from '../domain/surveys/response-schema';
import {
  surveyCreateSchema,
  surveyListQuerySchema,
  surveyPageSchema,
  surveySchema,
  surveyUpdateSchema,
  widgetSurveySchema,
} from '../domain/surveys/survey-schema';
import {
  deliveryListQuerySchema,
  replayOneSchema,
  replayRangeSchema,
  replayResultSchema,
  webhookDeliveryPageSchema,
  webhookDeliverySchema,
} from '../domain/webhooks/webhook-delivery';
import {
  webhookCreateSchema,
  webhookIssuedSchema,
  webhookListSchema,
  webhookPatchSchema,
  webhookRotateSchema,
  webhookSchema,
} from '../domain/webhooks/webhook-subscription';

const pageQuery = z.strictObject({
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** The Lambda functions that serve HTTP. Trust boundaries decide them (docs/design.md §2). */
export type HttpFunctionName = 'public-api' | 'admin-api';

/** `public`: no token. `read`: admin or analyst. `write`: admin only. `admin`: admin-only reads. */
export type Access = 'public' | 'read' | 'write' | 'admin';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'OPTIONS';

export interface RouteDefinition {
  readonly operationId: string;
  readonly method: Method;
  /** API Gateway syntax: `/v1/customers/{id}`. */
  readonly path: string;
  readonly function: HttpFunctionName;
  readonly access: Access;
  readonly summary: string;
  readonly query?: ZodType;
  /** Request body schema (JSON). */
  readonly body?: ZodType;
  /** Content types the body may have; the first is the default. JSON when absent and a body is expected. */
  readonly bodyTypes?: readonly string[];
  /** Body size cap in bytes; larger bodies are refused with 413 before parsing. */
  readonly maxBodyBytes?: number;
  /**
   * The outcome is about one customer: the path's `{id}`, or the record a create returns. Kept
   * `Idempotency-Key` outcomes are linked to that customer, so erasing the customer erases them.
   */
  readonly subject?: 'customer';
  /** Reads of personal data are recorded in the audit log (every write is, whatever this says). */
  readonly audit?: 'personal-data';
  /** Honour `If-Match` (optimistic locking). */
  readonly conditional?: boolean;
  readonly response?: { readonly status: number; readonly schema?: ZodType; readonly contentTypes?: readonly string[] };
}

const KiB = 1024;

export const routes = [
  {
    operationId: 'getHealth',
    method: 'GET',
    path: '/v1/health',
    function: 'public-api',
    access: 'public',
    summary: 'Liveness and DynamoDB reachability',
    response: { status: 200, schema: healthSchema },
  },
  {
    operationId: 'getOpenApi',
    method: 'GET',
    path: '/v1/openapi.json',
    function: 'admin-api',
    access: 'read',
    summary: 'This API as an OpenAPI 3.1 document',
    response: { status: 200 },
  },
  {
    operationId: 'listCustomers',
    audit: 'personal-data',
    method: 'GET',
    path: '/v1/customers',
    function: 'admin-api',
    access: 'read',
    summary: 'List customers (creation order, cursor paging; filters: segment, tag, updatedSince)',
    query: customerListQuerySchema,
    response: { status: 200, schema: customerListSchema },
  },
  {
    operationId: 'createCustomer',
    subject: 'customer',
    method: 'POST',
    path: '/v1/customers',
    function: 'admin-api',
    access: 'write',
    summary: 'Create a customer (e-mail and phone must be unique)',
    body: customerCreateSchema,
    maxBodyBytes: 16 * KiB,
    response: { status: 201, schema: customerSchema },
  },
  {
    operationId: 'lookupCustomer',
    audit: 'personal-data',
    method: 'GET',
    path: '/v1/customers/lookup',
    function: 'admin-api',
    access: 'read',
    summary: 'Find a customer by e-mail or phone',
    query: customerLookupQuerySchema,
    response: { status: 200, schema: customerSchema },
  },
  {
    operationId: 'exportCustomers',
    audit: 'personal-data',
    method: 'GET',
    path: '/v1/customers/export',
    function: 'admin-api',
    access: 'read',
    summary: 'Export customers as CSV or JSON lines, one page per request (next page: Rapport-Next-Cursor header)',
    query: customerExportQuerySchema,
    response: { status: 200, contentTypes: ['text/csv', 'application/x-ndjson'] },
  },
  {
    operationId: 'importCustomers',
    method: 'POST',
    path: '/v1/customers/import',
    function: 'admin-api',
    access: 'write',
    summary: 'Import up to 1,000 customers (JSON or CSV); upsert by e-mail, then phone; per-row report',
    body: customerImportJsonSchema,
    bodyTypes: ['application/json', 'text/csv'],
    maxBodyBytes: 2048 * KiB,
    response: { status: 200, schema: importReportSchema },
  },
  {
    operationId: 'getCustomerQuality',
    method: 'GET',
    path: '/v1/customers/quality',
    function: 'admin-api',
    access: 'read',
    summary: 'Data-quality report: completeness, invalid values, stale records, duplicate candidates',
    query: qualityQuerySchema,
    response: { status: 200, schema: qualityReportSchema },
  },
  {
    operationId: 'getCustomer',
    audit: 'personal-data',
    subject: 'customer',
    method: 'GET',
    path: '/v1/customers/{id}',
    function: 'admin-api',
    access: 'read',
    summary: 'Get one customer (ETag carries the version)',
    response: { status: 200, schema: customerDetailSchema },
  },
  {
    operationId: 'updateCustomer',
    subject: 'customer',
    method: 'PATCH',
    path: '/v1/customers/{id}',
    function: 'admin-api',
    access: 'write',
    summary: 'Change fields (null clears one); If-Match: "<version>" makes a stale write a 412',
    body: customerPatchSchema,
    maxBodyBytes: 16 * KiB,
    conditional: true,
    response: { status: 200, schema: customerSchema },
  },
  {
    // No `subject`: a kept outcome of an erasure must not be filed under the id it erased.
    operationId: 'deleteCustomer',
    method: 'DELETE',
    path: '/v1/customers/{id}',
    function: 'admin-api',
    access: 'write',
    summary: 'Erase a customer: the same erasure as POST /v1/customers/{id}/erase, answered 204',
    conditional: true,
    response: { status: 204 },
  },
  {
    operationId: 'mergeCustomers',
    subject: 'customer',
    method: 'POST',
    path: '/v1/customers/{id}/merge',
    function: 'admin-api',
    access: 'write',
    summary:
      'Merge a duplicate into this customer (fill empty fields, move guards, remove the duplicate; its responses follow from the stream)',
    body: mergeRequestSchema,
    maxBodyBytes: 4 * KiB,
    conditional: true,
    response: { status: 200, schema: customerSchema },
  },
  {
    operationId: 'getCustomerResponses',
    audit: 'personal-data',
    subject: 'customer',
    method: 'GET',
    path: '/v1/customers/{id}/responses',
    function: 'admin-api',
    access: 'read',
    summary: 'A customer’s survey responses, newest first',
    query: pageQuery,
    response: { status: 200, schema: responsePageSchema },
  },
  {
    operationId: 'exportCustomerData',
    audit: 'personal-data',
    subject: 'customer',
    method: 'GET',
    path: '/v1/customers/{id}/personal-data',
    function: 'admin-api',
    access: 'write',
    summary: 'GDPR access: everything held about one customer (record, feedback, responses, follow-ups) as JSON',
    response: { status: 200, schema: personalDataExportSchema },
  },
  {
    operationId: 'listUnverifiedResponses',
    audit: 'personal-data',
    subject: 'customer',
    method: 'GET',
    path: '/v1/customers/{id}/unverified-responses',
    function: 'admin-api',
    access: 'read',
    summary:
      'Answers that name the customer without a verified identity (an unsigned claim of their id, or their e-mail as contact), newest first; never linked',
    response: { status: 200, schema: unverifiedResponsesSchema },
  },
  {
    // No `subject`, and the answer does not repeat the id: its kept outcome names nobody.
    operationId: 'eraseCustomer',
    method: 'POST',
    path: '/v1/customers/{id}/erase',
    function: 'admin-api',
    access: 'write',
    summary:
      'GDPR erasure: everything found by the customer’s id, e-mail and phone; responses kept for statistics but stripped; resumable',
    conditional: true,
    response: { status: 200, schema: erasureResultSchema },
  },
  {
    operationId: 'getIdentitySecret',
    method: 'GET',
    path: '/v1/identity/secret',
    function: 'admin-api',
    access: 'read',
    summary: 'Which identity secret is current (fingerprint, version; never the secret itself)',
    response: { status: 200, schema: identitySecretStatusSchema },
  },
  {
    operationId: 'createIdentitySecret',
    method: 'POST',
    path: '/v1/identity/secret',
    function: 'admin-api',
    access: 'write',
    summary: 'Create the secret sites sign customer ids with (body {}; shown once; 409 when one exists: rotate it)',
    body: identitySecretCreateSchema,
    maxBodyBytes: 1 * KiB,
    response: { status: 201, schema: identitySecretIssuedSchema },
  },
  {
    operationId: 'rotateIdentitySecret',
    method: 'POST',
    path: '/v1/identity/secret/rotate',
    function: 'admin-api',
    access: 'write',
    summary: 'Replace the identity secret (shown once); the previous one stays valid for graceHours',
    body: identitySecretRotateSchema,
    maxBodyBytes: 1 * KiB,
    conditional: true,
    response: { status: 200, schema: identitySecretIssuedSchema },
  },
  {
    operationId: 'listSurveys',
    method: 'GET',
    path: '/v1/surveys',
    function: 'admin-api',
    access: 'read',
    summary: 'List surveys, newest first',
    query: surveyListQuerySchema,
    response: { status: 200, schema: surveyPageSchema },
  },
  {
    operationId: 'createSurvey',
    method: 'POST',
    path: '/v1/surveys',
    function: 'admin-api',
    access: 'write',
    summary: 'Create a survey (as a draft)',
    body: surveyCreateSchema,
    maxBodyBytes: 64 * KiB,
    response: { status: 201, schema: surveySchema },
  },
  {
    operationId: 'getSurvey',
    method: 'GET',
    path: '/v1/surveys/{id}',
    function: 'admin-api',
    access: 'read',
    summary: 'Get a survey (ETag carries its revision)',
    response: { status: 200, schema: surveySchema },
  },
  {
    operationId: 'updateSurvey',
    method: 'PUT',
    path: '/v1/surveys/{id}',
    function: 'admin-api',
    access: 'write',
    summary:
      'Replace a survey’s definition; status "active" publishes it. Editing a live survey’s questions creates a new version',
    body: surveyUpdateSchema,
    maxBodyBytes: 64 * KiB,
    conditional: true,
    response: { status: 200, schema: surveySchema },
  },
  {
    operationId: 'closeSurvey',
    method: 'POST',
    path: '/v1/surveys/{id}/close',
    function: 'admin-api',
    access: 'write',
    summary: 'Close a survey: it stops accepting answers; its data stays',
    conditional: true,
    response: { status: 200, schema: surveySchema },
  },
  {
    operationId: 'getSurveyReport',
    method: 'GET',
    path: '/v1/surveys/{id}/report',
    function: 'admin-api',
    access: 'read',
    summary:
      'Satisfaction report from the daily aggregates: CSAT, NPS, CES with intervals, per question, drivers, trend, follow-up resolution',
    query: reportQuerySchema,
    response: { status: 200, schema: surveyReportSchema },
  },
  {
    operationId: 'listSurveyComments',
    audit: 'personal-data',
    method: 'GET',
    path: '/v1/surveys/{id}/comments',
    function: 'admin-api',
    access: 'read',
    summary: 'Free-text answers, newest first, with the scores given alongside',
    query: commentsQuerySchema,
    response: { status: 200, schema: commentsPageSchema },
  },
  {
    operationId: 'exportSurveyResponses',
    audit: 'personal-data',
    method: 'GET',
    path: '/v1/surveys/{id}/responses/export',
    function: 'admin-api',
    access: 'read',
    summary: 'Raw responses as CSV (one column per question), one page per request (Rapport-Next-Cursor)',
    query: responsesExportQuerySchema,
    response: { status: 200, contentTypes: ['text/csv'] },
  },
  {
    operationId: 'rebuildSurveyAggregates',
    method: 'POST',
    path: '/v1/surveys/{id}/aggregates/rebuild',
    function: 'admin-api',
    access: 'write',
    summary: 'Recompute daily aggregates of a date range from raw responses (7 days per call; resume with the cursor)',
    body: rebuildRequestSchema,
    maxBodyBytes: 4 * KiB,
    response: { status: 200, schema: rebuildResultSchema },
  },
  {
    operationId: 'listSurveyClients',
    method: 'GET',
    path: '/v1/surveys/{id}/clients',
    function: 'admin-api',
    access: 'read',
    summary:
      'Who sent the answers of a time range (≤ 2 days), busiest first, by pseudonymous daily client hash: how a flood shows itself',
    query: clientsQuerySchema,
    response: { status: 200, schema: clientSummariesSchema },
  },
  {
    operationId: 'createExclusion',
    method: 'POST',
    path: '/v1/surveys/{id}/exclusions',
    function: 'admin-api',
    access: 'write',
    summary:
      'Exclude the responses of a time range (≤ 7 days), optionally one client’s, as abuse: they leave every figure (the days are rebuilt) and their follow-ups close',
    body: exclusionRequestSchema,
    maxBodyBytes: 4 * KiB,
    response: { status: 201, schema: exclusionSchema },
  },
  {
    operationId: 'listExclusions',
    method: 'GET',
    path: '/v1/surveys/{id}/exclusions',
    function: 'admin-api',
    access: 'read',
    summary: 'The survey’s exclusions: who excluded which responses, when and why',
    response: { status: 200, schema: exclusionListSchema },
  },
  {
    operationId: 'getSurveyAlerts',
    method: 'GET',
    path: '/v1/surveys/{id}/alerts',
    function: 'admin-api',
    access: 'read',
    summary:
      'Drop alerts of a survey: open alerts, recent satisfaction.dropped/recovered events (and whether they were e-mailed), digest subscriptions',
    query: surveyAlertsQuerySchema,
    response: { status: 200, schema: surveyAlertsSchema },
  },
  {
    operationId: 'listFollowUps',
    method: 'GET',
    path: '/v1/followups',
    function: 'admin-api',
    access: 'read',
    summary: 'Follow-up tasks for detractors, newest first (status defaults to open unless surveyId is given)',
    query: followUpListQuerySchema,
    response: { status: 200, schema: followUpPageSchema },
  },
  {
    operationId: 'updateFollowUp',
    method: 'PATCH',
    path: '/v1/followups/{id}',
    function: 'admin-api',
    access: 'write',
    summary: 'Move a follow-up forward (open → contacted → resolved), assign it, note it',
    body: followUpPatchSchema,
    maxBodyBytes: 8 * KiB,
    conditional: true,
    response: { status: 200, schema: followUpSchema },
  },
  {
    operationId: 'listAudit',
    method: 'GET',
    path: '/v1/audit',
    function: 'admin-api',
    access: 'admin',
    summary:
      'The audit log, newest first: every admin write and every read of personal data (who, what, when, outcome; no personal values)',
    query: auditQuerySchema,
    response: { status: 200, schema: auditPageSchema },
  },
  {
    operationId: 'verifyAudit',
    method: 'GET',
    path: '/v1/audit/verify',
    function: 'admin-api',
    access: 'admin',
    summary: 'Checks the audit log’s hash chain over a time range: every entry unchanged, none missing or replaced',
    query: auditVerifyQuerySchema,
    response: { status: 200, schema: chainCheckSchema },
  },
  {
    operationId: 'listWebhooks',
    method: 'GET',
    path: '/v1/webhooks',
    function: 'admin-api',
    access: 'read',
    summary: 'Webhook subscriptions (never their secrets)',
    response: { status: 200, schema: webhookListSchema },
  },
  {
    operationId: 'createWebhook',
    method: 'POST',
    path: '/v1/webhooks',
    function: 'admin-api',
    access: 'write',
    summary: 'Subscribe an https URL to events; the signing secret (whsec_…) is shown once, in this answer',
    body: webhookCreateSchema,
    maxBodyBytes: 8 * KiB,
    response: { status: 201, schema: webhookIssuedSchema },
  },
  {
    operationId: 'getWebhook',
    method: 'GET',
    path: '/v1/webhooks/{id}',
    function: 'admin-api',
    access: 'read',
    summary: 'One webhook subscription (ETag carries its version)',
    response: { status: 200, schema: webhookSchema },
  },
  {
    operationId: 'updateWebhook',
    method: 'PATCH',
    path: '/v1/webhooks/{id}',
    function: 'admin-api',
    access: 'write',
    summary: 'Change a webhook’s URL, events, description or contact; enable or disable it',
    body: webhookPatchSchema,
    maxBodyBytes: 8 * KiB,
    conditional: true,
    response: { status: 200, schema: webhookSchema },
  },
  {
    operationId: 'deleteWebhook',
    method: 'DELETE',
    path: '/v1/webhooks/{id}',
    function: 'admin-api',
    access: 'write',
    summary: 'Delete a webhook: nothing more is sent to it (its delivery log expires with the 30-day retention)',
    response: { status: 204 },
  },
  {
    operationId: 'rotateWebhookSecret',
    method: 'POST',
    path: '/v1/webhooks/{id}/rotate',
    function: 'admin-api',
    access: 'write',
    summary: 'New signing secret (shown once); the previous one keeps signing beside it for graceHours',
    body: webhookRotateSchema,
    maxBodyBytes: 1 * KiB,
    conditional: true,
    response: { status: 200, schema: webhookIssuedSchema },
  },
  {
    operationId: 'listWebhookDeliveries',
    method: 'GET',
    path: '/v1/webhooks/{id}/deliveries',
    function: 'admin-api',
    access: 'read',
    summary:
      'The delivery log, newest first: each delivery with every attempt (time, status, latency, first bytes of the answer); kept 30 days',
    query: deliveryListQuerySchema,
    response: { status: 200, schema: webhookDeliveryPageSchema },
  },
  {
    operationId: 'getWebhookDelivery',
    method: 'GET',
    path: '/v1/webhooks/{id}/deliveries/{deliveryId}',
    function: 'admin-api',
    access: 'read',
    summary: 'One delivery with every attempt',
    response: { status: 200, schema: webhookDeliverySchema },
  },
  {
    operationId: 'replayWebhookDelivery',
    method: 'POST',
    path: '/v1/webhooks/{id}/deliveries/{deliveryId}/replay',
    function: 'admin-api',
    access: 'write',
    summary: 'Send one delivery again (same body and webhook-id) with a fresh run of retries',
    body: replayOneSchema,
    maxBodyBytes: 1 * KiB,
    response: { status: 202, schema: webhookDeliverySchema },
  },
  {
    operationId: 'replayWebhookDeliveries',
    method: 'POST',
    path: '/v1/webhooks/{id}/replay',
    function: 'admin-api',
    access: 'write',
    summary: 'Send the deliveries of a time range again (by default those that did not arrive), up to 200 per call',
    body: replayRangeSchema,
    maxBodyBytes: 1 * KiB,
    response: { status: 202, schema: replayResultSchema },
  },
  {
    operationId: 'getSurveyWidget',
    method: 'GET',
    path: '/v1/surveys/{id}/widget',
    function: 'public-api',
    access: 'public',
    summary:
      'What the widget renders for an active survey (ETag, Cache-Control); 404 for draft, closed or unknown surveys',
    response: { status: 200, schema: widgetSurveySchema },
  },
  {
    operationId: 'submitResponse',
    method: 'POST',
    path: '/v1/surveys/{id}/responses',
    function: 'public-api',
    access: 'public',
    summary: 'Submit an answer; idempotent on the client-generated id; the Origin must be allowed by the survey',
    body: responseSubmissionSchema,
    maxBodyBytes: 16 * KiB,
    response: { status: 201, schema: submissionReceiptSchema },
  },
  {
    operationId: 'showUnsubscribe',
    method: 'GET',
    path: '/v1/unsubscribe',
    function: 'public-api',
    access: 'public',
    summary:
      'The page a digest’s unsubscribe link opens: asks to confirm (a GET never unsubscribes: link scanners follow links)',
    query: unsubscribeQuerySchema,
    response: { status: 200, contentTypes: ['text/html'] },
  },
  {
    operationId: 'unsubscribe',
    method: 'POST',
    path: '/v1/unsubscribe',
    function: 'public-api',
    access: 'public',
    summary:
      'RFC 8058 one-click unsubscribe from a survey’s digests (body List-Unsubscribe=One-Click); the link’s signature must hold; audited',
    query: unsubscribeQuerySchema,
    body: unsubscribeFormSchema,
    bodyTypes: ['application/x-www-form-urlencoded', 'multipart/form-data'],
    maxBodyBytes: 2 * KiB,
    response: { status: 200, contentTypes: ['text/html'] },
  },
  {
    operationId: 'recordDisplay',
    method: 'POST',
    path: '/v1/surveys/{id}/displays',
    function: 'public-api',
    access: 'public',
    summary:
      'The response funnel: the widget records a display (`shown`) and a card closed unfinished (`dismissed`, at a question); idempotent on the client-generated display id; the Origin must be allowed by the survey',
    body: displaySubmissionSchema,
    maxBodyBytes: 2 * KiB,
    response: { status: 201, schema: displayReceiptSchema },
  },
  {
    operationId: 'preflightDisplays',
    method: 'OPTIONS',
    path: '/v1/surveys/{id}/displays',
    function: 'public-api',
    access: 'public',
    summary: 'CORS preflight: grants only the survey’s allowed origins',
    response: { status: 204 },
  },
  {
    operationId: 'preflightResponses',
    method: 'OPTIONS',
    path: '/v1/surveys/{id}/responses',
    function: 'public-api',
    access: 'public',
    summary: 'CORS preflight: grants only the survey’s allowed origins',
    response: { status: 204 },
  },
] as const satisfies readonly RouteDefinition[];

export type Route = (typeof routes)[number];
export type OperationId = Route['operationId'];
export type OperationsOf<F extends HttpFunctionName> = Extract<Route, { function: F }>['operationId'];

export function routesOf(fn: HttpFunctionName): RouteDefinition[] {
  return routes.filter((r) => r.function === fn);
}

export const httpFunctionNames: readonly HttpFunctionName[] = ['public-api', 'admin-api'];
