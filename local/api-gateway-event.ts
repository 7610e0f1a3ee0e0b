/**
 * Turns an HTTP request into the API Gateway HTTP API payload v2.0 event, field for field as AWS
 * builds it, so the handlers cannot tell the local gateway from the real one.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { JWTPayload } from 'jose';
import type { RouteMatch } from './route-matcher';

export type HttpApiEvent = APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithJWTAuthorizer;

export interface IncomingRequestInfo {
  readonly method: string;
  /** Path exactly as sent (still percent-encoded), without the query. */
  readonly rawPath: string;
  readonly rawQueryString: string;
  /** Lower-case names, every value of repeated headers. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly protocol: string;
  readonly localPort: number;
}

export interface BuildEventOptions {
  readonly request: IncomingRequestInfo;
  readonly match: RouteMatch;
  readonly requestId: string;
  readonly now: Date;
  /** Verified token claims; present only on authenticated routes. */
  readonly claims?: JWTPayload;
}

export function buildHttpApiEvent({ request, match, requestId, now, claims }: BuildEventOptions): HttpApiEvent {
  const { route } = match;
  const routeKey = `${route.method} ${route.path}`;
  const headers = eventHeaders(request);
  const host = headers.host ?? `127.0.0.1:${request.localPort}`;
  const cookies = request.headers.cookie
    ?.flatMap((h) => h.split(';'))
    .map((c) => c.trim())
    .filter(Boolean);
  const hasBody = request.body.length > 0;
  const isText = hasBody && isTextBody(headers['content-type'], request.body);
  const requestContext = {
    accountId: 'local',
    apiId: 'local',
    domainName: host,
    domainPrefix: host.split('.')[0] ?? host,
    http: {
      method: request.method,
      path: request.rawPath,
      protocol: request.protocol,
      sourceIp: request.sourceIp,
      userAgent: headers['user-agent'] ?? '',
    },
    requestId,
    routeKey,
    stage: '$default',
    time: formatRequestTime(now),
    timeEpoch: now.getTime(),
  };
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    ...(cookies && cookies.length > 0 ? { cookies } : {}),
    headers,
    ...queryStringParameters(request.rawQueryString),
    requestContext,
    ...(match.pathParameters ? { pathParameters: match.pathParameters } : {}),
    ...(hasBody ? { body: isText ? request.body.toString('utf8') : request.body.toString('base64') } : {}),
    isBase64Encoded: hasBody && !isText,
  };
  if (!claims) return event;
  return {
    ...event,
    requestContext: {
      ...requestContext,
      authorizer: { jwt: { claims: stringifyClaims(claims), scopes: scopesOf(claims) } },
    },
  };
}

/**
 * API Gateway lower-cases names, joins repeated values with ",", moves `cookie` to `cookies`, and
 * adds the X-Forwarded-* and trace headers its load balancers set.
 */
function eventHeaders(request: IncomingRequestInfo): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(request.headers)) {
    if (name === 'cookie') continue;
    headers[name.toLowerCase()] = values.join(',');
  }
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${request.sourceIp}`
    : request.sourceIp;
  headers['x-forwarded-port'] = String(request.localPort);
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] ??=
    `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
  return headers;
}

/** Decoded values; a repeated key's values joined with "," (`?tag=a&tag=b` → `a,b`). Absent when empty. */
function queryStringParameters(rawQueryString: string): { queryStringParameters?: Record<string, string> } {
  if (!rawQueryString) return {};
  // A Map, then fromEntries: assignment would drop a `__proto__` key that API Gateway delivers as data.
  const joined = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    const earlier = joined.get(key);
    joined.set(key, earlier === undefined ? value : `${earlier},${value}`);
  }
  return joined.size > 0 ? { queryStringParameters: Object.fromEntries(joined) } : {};
}

const TEXT_TYPES = [
  /^text\//,
  /[/+]json\b/,
  /^application\/json/,
  /[/+]xml\b/,
  /^application\/javascript/,
  /^application\/x-www-form-urlencoded/,
  /^application\/x-ndjson/,
  /^application\/(csv|yaml)/,
];

/**
 * API Gateway passes text bodies as UTF-8 and everything else base64-encoded. A body without a
 * content type is passed as text when it is valid UTF-8 (handlers treat it as JSON).
 */
function isTextBody(contentType: string | undefined, body: Buffer): boolean {
  if (!contentType) return isValidUtf8(body);
  const type = contentType.toLowerCase();
  // Bytes that are not UTF-8 go base64-encoded whatever the declared type, so the handler can refuse
  // them (400) instead of receiving U+FFFD replacements it cannot tell from real text.
  return TEXT_TYPES.some((pattern) => pattern.test(type)) && isValidUtf8(body);
}

function isValidUtf8(body: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return true;
  } catch {
    return false;
  }
}

/**
 * The JWT authorizer hands every claim over as a string: numbers as digits, arrays as `[a b]`
 * (so `cognito:groups` arrives as "[admin analyst]"), objects as JSON.
 */
export function stringifyClaims(claims: JWTPayload): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) result[name] = `[${value.map(String).join(' ')}]`;
    else if (typeof value === 'object') result[name] = JSON.stringify(value);
    else result[name] = String(value);
  }
  return result;
}

function scopesOf(claims: JWTPayload): string[] | null {
  const scope = claims.scope;
  return typeof scope === 'string' && scope.trim() ? scope.trim().split(/\s+/) : null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, API Gateway's `requestContext.time` format. */
export function formatRequestTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
