/**
 * The local API Gateway (HTTP API): serves exactly the routes of THE route table, authenticates
 * non-public routes like the Cognito JWT authorizer, and invokes the same handlers Lambda runs with
 * payload-v2 events. What API Gateway does before or instead of the Lambda (404, 401, 413, 503) it
 * does here too, answering with problem+json.
 */
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import type { JWTPayload } from 'jose';
import type { ClientRateRule } from '../functions/contracts/edge-limits';
import { functionTimeoutSeconds } from '../functions/contracts/function-limits';
import type { HttpFunctionName, RouteDefinition } from '../functions/contracts/routes';
import { buildHttpApiEvent, type HttpApiEvent, type IncomingRequestInfo } from './api-gateway-event';
import { createEdge } from './edge';
import { describeError, LocalRuntimeError } from './errors';
import { LOOPBACK } from './free-port';
import type { LocalIdentityProvider } from './jwt';
import { createLambdaContext } from './lambda-context';
import { type GatewayResponse, problem } from './problem';
import { createRouteMatcher } from './route-matcher';

/** The signature both HTTP handlers share; the event and result are checked at the boundary here. */
export type HttpHandler = (event: HttpApiEvent, context: Context) => Promise<unknown>;

/** What a page or the local identity provider may read of a request that no API route matched. */
export interface SiteRequest {
  readonly query: URLSearchParams;
  /** Lower-case names; repeated values joined with ",". */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body, read on demand (forms of the local identity provider). */
  body(): Promise<Buffer>;
}

/**
 * Serves what no API route matches: the console, the demo page, the widget bundle, the local identity
 * provider. `undefined` = 404.
 */
export type StaticRoutes = (
  method: string,
  rawPath: string,
  request: SiteRequest,
) => Promise<GatewayResponse | undefined>;

export interface GatewayOptions {
  readonly routes: readonly RouteDefinition[];
  readonly handlers: Readonly<Record<HttpFunctionName, HttpHandler>>;
  readonly identityProvider: LocalIdentityProvider;
  readonly port: number;
  readonly host?: string;
  /** Origins API Gateway's CORS configuration would allow; empty = no gateway CORS (handlers decide). */
  readonly corsOrigins?: readonly string[];
  readonly staticRoutes?: StaticRoutes;
  /** API Gateway's integration timeout (30 s maximum). */
  readonly integrationTimeoutMs?: number;
  readonly quiet?: boolean;
  /** Per-client rate rules of the edge (WAF); none = no limits (most tests). */
  readonly clientRateRules?: readonly ClientRateRule[];
  /** Prefix of the Lambda function names in the context (`rapport-public-api`). */
  readonly functionNamePrefix?: string;
}

export interface Gateway {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** API Gateway refuses request payloads over 10 MB. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** A synchronous Lambda invocation carries at most 6 MB each way. */
export const MAX_LAMBDA_PAYLOAD_BYTES = 6 * 1024 * 1024;

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const host = options.host ?? LOOPBACK;
  const serve = createRequestListener(options);
  const server = http.createServer((req, res) => void serve(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new LocalRuntimeError(
            'port-in-use',
            `port ${options.port} is in use: stop the other process or run PORT=${options.port + 1} npm start`,
          ),
        );
      } else reject(error);
    });
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections (fetch keeps them) would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

function createRequestListener(options: GatewayOptions) {
  const match = createRouteMatcher(options.routes);
  const corsOrigins = options.corsOrigins ?? [];
  const timeoutMs = options.integrationTimeoutMs ?? 30_000;
  const prefix = options.functionNamePrefix ?? 'rapport-';
  const edge = createEdge(options.clientRateRules ?? []);

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const requestId = randomUUID();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
    const rawQueryString = queryAt === -1 ? '' : url.slice(queryAt + 1);
    const origin = headerValue(req, 'origin');
    const corsAllowed = origin !== undefined && (corsOrigins.includes(origin) || corsOrigins.includes('*'));

    const respond = async (): Promise<GatewayResponse> => {
      if (method === 'OPTIONS' && corsOrigins.length > 0 && headerValue(req, 'access-control-request-method')) {
        return preflight(corsAllowed ? origin : undefined, headerValue(req, 'access-control-request-headers'));
      }
      const result = match(method, rawPath);
      if (result.kind === 'not-found') {
        const page = await options.staticRoutes?.(method, rawPath, siteRequest(req, rawQueryString));
        return page ?? problem(404, 'not-found', 'Not found', `no route matches ${method} ${rawPath}`);
      }
      if (result.kind === 'method-not-allowed') {
        return problem(
          404,
          'not-found',
          'Not found',
          `${rawPath} does not support ${method}; it supports ${result.allowed.join(', ')}`,
        );
      }
      const { route } = result.match;
      const viewer = (req.socket.remoteAddress ?? LOOPBACK).replace(/^::ffff:/, '');
      const limited = edge.admit(viewer, method, rawPath);
      if (limited) return limited;
      let claims: JWTPayload | undefined;
      if (route.access !== 'public') {
        const token = bearerToken(headerValue(req, 'authorization'));
        if (!token) return unauthorized('this route needs an Authorization: Bearer <token> header', 'Bearer');
        const verified = await options.identityProvider.verify(token);
        if (!verified.ok)
          return unauthorized(verified.reason, `Bearer error="invalid_token", error_description="${verified.reason}"`);
        claims = verified.claims;
      }
      const body = await readBody(req);
      if (body === 'too-large')
        return problem(
          413,
          'payload-too-large',
          'Payload too large',
          `request bodies are limited to ${MAX_REQUEST_BYTES} bytes`,
        );
      const request: IncomingRequestInfo = {
        method,
        rawPath,
        rawQueryString,
        // As CloudFront does, the edge appends the viewer's address to X-Forwarded-For.
        headers: {
          ...(req.headersDistinct as Record<string, string[]>),
          'x-forwarded-for': [...(req.headersDistinct['x-forwarded-for'] ?? []), viewer],
        },
        body,
        sourceIp: viewer,
        protocol: `HTTP/${req.httpVersion}`,
        localPort: req.socket.localPort ?? 0,
      };
      const event = buildHttpApiEvent({
        request,
        match: result.match,
        requestId,
        now: new Date(),
        ...(claims ? { claims } : {}),
      });
      if (Buffer.byteLength(JSON.stringify(event)) > MAX_LAMBDA_PAYLOAD_BYTES) {
        return problem(
          413,
          'payload-too-large',
          'Payload too large',
          `the request exceeds Lambda's ${MAX_LAMBDA_PAYLOAD_BYTES}-byte invocation payload limit`,
        );
      }
      const functionName = `${prefix}${route.function}`;
      return invoke(
        options.handlers[route.function],
        event,
        // The function's own timeout, as Lambda gives it; the gateway still stops waiting at its own.
        createLambdaContext({ functionName, timeoutMs: functionTimeoutSeconds[route.function] * 1000 }),
        timeoutMs,
        functionName,
      );
    };

    let response: GatewayResponse;
    try {
      response = await respond();
    } catch (error) {
      console.error(`[gateway] ${method} ${rawPath} failed: ${describeError(error)}`);
      response = problem(
        500,
        'internal-error',
        'Internal server error',
        'the local gateway failed to handle the request',
      );
    }
    const headers: Record<string, string | string[]> = { ...response.headers, 'apigw-requestid': requestId };
    if (corsAllowed && method !== 'OPTIONS' && origin) {
      // API Gateway's CORS configuration overrides whatever CORS headers the integration returned.
      headers['access-control-allow-origin'] = origin;
      headers.vary = 'Origin';
    }
    if (!req.complete) headers.connection = 'close';
    res.writeHead(response.statusCode, headers);
    res.end(response.body);
    if (!req.complete) req.resume();
    if (!options.quiet)
      console.log(`${method} ${rawPath} ${response.statusCode} ${Math.round(performance.now() - started)}ms`);
  };
}

async function invoke(
  handler: HttpHandler,
  event: HttpApiEvent,
  context: Context,
  timeoutMs: number,
  functionName: string,
): Promise<GatewayResponse> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  try {
    const result = await Promise.race([handler(event, context), timeout]);
    if (result === 'timeout') {
      return problem(
        503,
        'service-unavailable',
        'Service unavailable',
        `${functionName} did not answer within ${timeoutMs} ms`,
      );
    }
    return toGatewayResponse(result, functionName);
  } catch (error) {
    // In AWS the function's error goes to its logs and the client sees a bare 500.
    console.error(`[gateway] ${functionName} threw on ${event.routeKey}:`, error);
    return problem(500, 'internal-error', 'Internal server error', `${functionName} failed; see its log`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Payload v2 result rules: an object with `statusCode` is a structured response; anything else is
 * JSON-encoded into a 200 (a string is taken as the JSON body itself).
 */
export function toGatewayResponse(result: unknown, functionName: string): GatewayResponse {
  if (!isStructured(result)) {
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) };
  }
  const statusCode = result.statusCode;
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    console.error(`[gateway] ${functionName} returned an invalid statusCode: ${String(statusCode)}`);
    return problem(500, 'internal-error', 'Internal server error', `${functionName} returned a malformed response`);
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
  }
  const rawBody = typeof result.body === 'string' ? result.body : '';
  const body = result.isBase64Encoded === true ? Buffer.from(rawBody, 'base64') : Buffer.from(rawBody, 'utf8');
  if (Buffer.byteLength(rawBody) > MAX_LAMBDA_PAYLOAD_BYTES) {
    console.error(
      `[gateway] ${functionName} returned more than ${MAX_LAMBDA_PAYLOAD_BYTES} bytes, which Lambda would refuse`,
    );
    return problem(
      500,
      'internal-error',
      'Internal server error',
      `${functionName} returned a response larger than Lambda allows`,
    );
  }
  const cookies = Array.isArray(result.cookies) ? result.cookies.map(String) : [];
  return { statusCode, headers: cookies.length > 0 ? { ...headers, 'set-cookie': cookies } : headers, body };
}

interface StructuredResult {
  readonly statusCode: number;
  readonly headers?: Record<string, unknown>;
  readonly body?: unknown;
  readonly isBase64Encoded?: unknown;
  readonly cookies?: unknown;
}

function isStructured(result: unknown): result is StructuredResult {
  return typeof result === 'object' && result !== null && 'statusCode' in result;
}

function unauthorized(detail: string, challenge: string): GatewayResponse {
  return problem(401, 'unauthorized', 'Unauthorized', detail, { 'www-authenticate': challenge });
}

function preflight(origin: string | undefined, requestedHeaders: string | undefined): GatewayResponse {
  if (!origin) return { statusCode: 204, headers: {}, body: Buffer.alloc(0) };
  return {
    statusCode: 204,
    headers: {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE',
      'access-control-allow-headers': requestedHeaders ?? 'authorization,content-type',
      'access-control-max-age': '600',
      vary: 'Origin',
    },
    body: Buffer.alloc(0),
  };
}

/** Like the JWT authorizer: `Bearer <jwt>`, or the bare token. */
function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const token = authorization.replace(/^Bearer\s+/i, '').trim();
  return token || undefined;
}

function siteRequest(req: IncomingMessage, rawQueryString: string): SiteRequest {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(req.headersDistinct)) if (values) headers[name] = values.join(',');
  let body: Promise<Buffer> | undefined;
  return {
    query: new URLSearchParams(rawQueryString),
    headers,
    body: () =>
      (body ??= readBody(req).then((read) => {
        if (read === 'too-large') throw new LocalRuntimeError('body-too-large', 'the request body is too large');
        return read;
      })),
  };
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const values = req.headersDistinct[name];
  return values && values.length > 0 ? values.join(',') : undefined;
}

/** Reads the body up to API Gateway's cap; past it, the rest is drained unread so a 413 can still be sent. */
function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_REQUEST_BYTES) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        chunks.length = 0;
        resolve('too-large');
      } else chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
