/**
 * The public API's entries of THE route table (routes.ts composes every route from this list and the
 * admin API's). They live in a file of their own so the public-api bundle loads only the schemas its
 * routes use: routes.ts builds every admin schema at module init, which the public path never needs.
 * Pure data plus zod schemas: no AWS imports, safe to load from CDK.
 */
import { healthSchema } from '../domain/health';
import { unsubscribeFormSchema, unsubscribeQuerySchema } from '../domain/notifications/unsubscribe-schema';
import { displayReceiptSchema, displaySubmissionSchema } from '../domain/surveys/display-schema';
import { responseSubmissionSchema, submissionReceiptSchema } from '../domain/surveys/response-schema';
import { widgetSurveySchema } from '../domain/surveys/widget-survey-schema';
import { KiB, type RouteDefinition } from './route-definition';

/** The public API's routes: no token; CORS per survey. */
export const publicApiRoutes = [
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
