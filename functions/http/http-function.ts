/**
 * Builds one HTTP Lambda from the route table: `@middy/http-router` dispatches to the operation's
 * implementation; around it, one boundary middleware authorises, maps every error to problem+json
 * (AppError → its status; anything unexpected → a logged 500), adds security headers and writes
 * exactly one log line per request.
 */
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import type { ZodType } from 'zod';
import { configuredDeadlineMs } from '../contracts/function-limits';
// Types only: the route entries come from the caller, so the public bundle never loads the admin schemas.
import type { HttpFunctionName, OperationsOf, Route, RouteDefinition } from '../contracts/routes';
import type { AuditStore } from '../domain/audit/audit-entry';
import { AppError, ValidationError } from '../domain/errors';
import { SubmissionRejected } from '../domain/surveys/rejection';
import { logger } from '../observability/logger';
import { requestMetrics } from '../observability/metrics';
import type { IdempotencyStore } from '../ports/idempotency-store';
import { withDeadline } from '../ports/request-scope';
import { recordAudit } from './audit';
import { authorize, identityOf } from './auth';
import { UnauthorizedError } from './http-errors';
import { fingerprintOf, once, readIdempotencyKey } from './idempotency';
import { problem } from './problem';
import { type HttpReply, type HttpRequest, parseRequest } from './request';

type QueryOf<R> = R extends { query: infer S extends ZodType } ? z.output<S> : Record<string, never>;
type BodyOf<R> = R extends { body: infer S extends ZodType } ? z.output<S> | string : undefined;
type RouteOf<Op> = Extract<Route, { operationId: Op }>;
/** `'/v1/customers/{id}/merge'` → `'id'`: path parameters typed from the route's template. */
type ParamNames<P> = P extends `${string}{${infer N}}${infer Rest}` ? N | ParamNames<Rest> : never;
type ParamsOf<R> = R extends { path: infer P } ? ParamNames<P> : never;

export type Implementation<Op> = (
  request: HttpRequest<QueryOf<RouteOf<Op>>, BodyOf<RouteOf<Op>>, ParamsOf<RouteOf<Op>>>,
) => Promise<HttpReply>;
export type Implementations<F extends HttpFunctionName> = { [Op in OperationsOf<F>]: Implementation<Op> };

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

export function toResult(reply: HttpReply): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...reply.headers };
  if (reply.text !== undefined) {
    headers['content-type'] = reply.contentType ?? 'text/plain; charset=utf-8';
    return { statusCode: reply.status, headers, body: reply.text };
  }
  if (reply.body === undefined) return { statusCode: reply.status, headers };
  headers['content-type'] = reply.contentType ?? 'application/json';
  return { statusCode: reply.status, headers, body: JSON.stringify(reply.body) };
}

export function errorToResult(err: unknown): APIGatewayProxyStructuredResultV2 {
  if (err instanceof SubmissionRejected) return errorToResult(err.error);
  if (err instanceof ValidationError) {
    return problem(err.status, err.code, err.title, err.message, { ...err.extensions, errors: err.errors });
  }
  if (err instanceof UnauthorizedError) {
    // RFC 6750: a 401 names the scheme, and why the token was refused.
    return problem(err.status, err.code, err.title, err.message, err.extensions, {
      'www-authenticate': 'Bearer error="invalid_token"',
    });
  }
  if (err instanceof AppError) {
    // 503s and in-progress 409s say when to try again.
    const retryAfter = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    const headers: Record<string, string> = typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {};
    return problem(err.status, err.code, err.title, err.message, err.extensions, headers);
  }
  const status = (err as { statusCode?: number }).statusCode;
  if (status === 404)
    return problem(404, 'not-found', 'Not found', 'no such route: check the method and path against /v1/openapi.json');
  return problem(500, 'internal', 'Internal error', 'something went wrong on our side; it has been logged');
}

export interface HttpFunctionOptions {
  /** Where `Idempotency-Key` outcomes of write routes are kept; without it the header is ignored. */
  idempotency?: IdempotencyStore;
  /**
   * CORS grant for a request's Origin, added to every response (errors included, so a browser can
   * read why it was refused). Undefined: no grant.
   */
  cors?: (origin: string, event: APIGatewayProxyEventV2) => Promise<Record<string, string> | undefined>;
  /** Where admin writes and reads of personal data are recorded; without it nothing is audited. */
  audit?: AuditStore;
  /** Overrides the request deadline (default: `configuredDeadlineMs` of the function). */
  deadlineMs?: number;
  /** Told of every error a route's request ends with (refused input included), before it becomes a reply. */
  onRouteError?: (operationId: string, error: unknown) => void;
}

/** The customer a customer route's outcome is about: the path's id, else the created record's. */
function customerIdOf(pathId: string | undefined, body: string | undefined): string | undefined {
  if (pathId) return pathId;
  try {
    const id = (JSON.parse(body ?? '{}') as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

export function createHttpFunction<F extends HttpFunctionName>(
  fn: F,
  /** F's entries of the route table (public-routes.ts for the public API, `routesOf` for the admin API). */
  functionRoutes: readonly (RouteDefinition & { readonly function: F })[],
  implementations: Implementations<F>,
  options: HttpFunctionOptions = {},
): HttpHandler {
  const foreign = functionRoutes.find((route) => route.function !== fn);
  if (foreign) throw new Error(`${foreign.operationId} is a route of ${foreign.function}, not of ${fn}`);
  const table = implementations as unknown as Record<string, (r: HttpRequest) => Promise<HttpReply>>;
  const serve = async (route: RouteDefinition, event: APIGatewayProxyEventV2) => {
    const identity = identityOf(event);
    authorize(route.access, identity);
    const request = parseRequest(event, route, identity);
    const implementation = table[route.operationId];
    if (!implementation) throw new Error(`no implementation for ${route.operationId}`);
    const run = async () => toResult(await implementation(request));
    const key = route.access === 'write' && options.idempotency ? readIdempotencyKey(request.headers) : undefined;
    if (!key || !options.idempotency) return run();
    // Keys are per user: two admins can never collide, nor replay each other's outcomes.
    const fingerprint = fingerprintOf(route.method, event.rawPath ?? route.path, event.body);
    return once(
      options.idempotency,
      identity?.subject ?? 'anonymous',
      key,
      fingerprint,
      run,
      errorToResult,
      (result) => (route.subject === 'customer' ? customerIdOf(request.params.id, result.body) : undefined),
    );
  };
  const router = httpRouterHandler(
    functionRoutes.map((route) => ({
      method: route.method,
      path: route.path,
      handler: async (event: APIGatewayProxyEventV2) => {
        let result: APIGatewayProxyStructuredResultV2;
        try {
          result = await serve(route, event);
        } catch (err) {
          options.onRouteError?.(route.operationId, err);
          if (options.audit) await recordAudit(options.audit, route, event, errorToResult(err));
          throw err;
        }
        if (options.audit) await recordAudit(options.audit, route, event, result);
        return result;
      },
    })),
  );

  const started = new WeakMap<object, number>();
  const withCors = async (event: APIGatewayProxyEventV2, result: APIGatewayProxyStructuredResultV2) => {
    if (!options.cors) return;
    // Responses differ by Origin: shared caches must key on it even when this request sent none.
    result.headers = { ...result.headers, vary: 'Origin' };
    const origin = event.headers?.origin ?? event.headers?.Origin;
    if (!origin) return;
    try {
      const grant = await options.cors(origin, event);
      result.headers = { ...result.headers, vary: 'Origin', ...grant };
    } catch (err) {
      logger.warn('could not decide the CORS grant', { error: err instanceof Error ? err.name : String(err) });
    }
  };
  const finish = (
    event: APIGatewayProxyEventV2,
    context: Context,
    result: APIGatewayProxyStructuredResultV2,
    err?: unknown,
  ) => {
    result.headers = {
      'cache-control': 'no-store',
      ...result.headers,
      ...SECURITY_HEADERS,
      'x-request-id': event.requestContext?.requestId ?? context.awsRequestId,
    };
    const status = result.statusCode ?? 200;
    const line = {
      correlationId: event.requestContext?.requestId,
      route: event.routeKey,
      method: event.requestContext?.http?.method,
      status,
      latencyMs: Date.now() - (started.get(event) ?? Date.now()),
    };
    if (status >= 500)
      logger.error('request failed', {
        ...line,
        error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err),
      });
    else logger.info('request', line);
  };

  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(requestMetrics())
    .use({
      before: (request) => {
        started.set(request.event, Date.now());
      },
      after: async (request) => {
        if (!request.response) return;
        await withCors(request.event, request.response);
        finish(request.event, request.context, request.response);
      },
      onError: async (request) => {
        request.response = errorToResult(request.error);
        await withCors(request.event, request.response);
        finish(request.event, request.context, request.response, request.error);
      },
    })
    .handler(router as unknown as HttpHandler);

  // Every request is answered before its deadline, well before Lambda's timeout: a DynamoDB that does
  // not answer becomes a 503 the client can act on (docs/design.md §7), never a gateway timeout.
  const deadlineMs = options.deadlineMs ?? configuredDeadlineMs(fn);
  return (event, context) => {
    const remaining = context.getRemainingTimeInMillis?.() ?? deadlineMs + 1000;
    return withDeadline(Math.min(deadlineMs, remaining - 1000), () => handler(event, context));
  };
}
