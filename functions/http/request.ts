/**
 * Turns an API Gateway v2 event into a validated request for one route: content type (415), size
 * cap (413), JSON syntax and the route's zod schemas for query and body (400 with field paths).
 * Nothing reaches the domain unvalidated.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ZodType } from 'zod';
import * as z from 'zod';
import type { RouteDefinition } from '../contracts/routes';
import { NotFoundError, ValidationError } from '../domain/errors';
import { issuesOf } from '../domain/issues';
import type { Identity } from './auth';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from './http-errors';

const emptyQuery = z.strictObject({});

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export interface HttpRequest<Q = unknown, B = unknown, P extends string = string> {
  route: RouteDefinition;
  /** The path's `{name}` parameters, checked to be ids (letters, digits, `-`). */
  params: Record<P, string>;
  query: Q;
  /** Parsed and validated JSON, or the raw text for non-JSON content types the route accepts (CSV). */
  body: B;
  contentType?: string;
  headers: Record<string, string>;
  /** The version number from `If-Match`, when the route is conditional and the header was sent. */
  ifMatch?: number;
  identity?: Identity;
  requestId: string;
  /** The client's address and user agent (only ever stored hashed, for abuse repair). */
  client: { address: string; userAgent: string };
}

/**
 * The address of the client. The edge (CloudFront, or the local gateway standing in for it) appends
 * the viewer's address to X-Forwarded-For, and API Gateway then appends the address that connected to
 * it: the viewer is the second-to-last entry. Entries before it are whatever the client chose to send
 * and are never trusted. With fewer entries (a call that did not come through an edge) it is the
 * connecting peer.
 */
export function clientAddressOf(event: APIGatewayProxyEventV2, headers: Record<string, string>): string {
  const forwarded = (headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return (
    (forwarded.length >= 2 ? forwarded[forwarded.length - 2] : undefined) ?? event.requestContext?.http?.sourceIp ?? ''
  );
}

export interface HttpReply {
  status: number;
  /** JSON body. */
  body?: unknown;
  /** Non-JSON body (CSV, JSON lines) with its content type. */
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export function lowerCaseHeaders(headers: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}

function validate<S extends ZodType>(schema: S, value: unknown, prefix: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(issuesOf(result.error, prefix));
  return result.data;
}

function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(value);
  if (!match) {
    throw new ValidationError([{ path: 'header/if-match', message: 'must be the ETag of the record, e.g. "3"' }]);
  }
  return Number(match[1]);
}

function decodeBody(event: APIGatewayProxyEventV2): string {
  if (!event.body) return '';
  if (!event.isBase64Encoded) return event.body;
  const bytes = Buffer.from(event.body, 'base64');
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  try {
    return text.decode(bytes);
  } catch {
    throw new ValidationError([{ path: 'body', message: 'is not valid UTF-8' }]);
  }
}

export function parseRequest(
  event: APIGatewayProxyEventV2,
  route: RouteDefinition,
  identity: Identity | undefined,
): HttpRequest {
  const headers = lowerCaseHeaders(event.headers);
  for (const [name, value] of Object.entries(event.pathParameters ?? {})) {
    // Every id is a ULID or UUIDv7: anything else cannot name a record (and must never reach a key).
    if (!value || !/^[A-Za-z0-9-]{1,64}$/.test(value))
      throw new NotFoundError(`no ${name} "${String(value).slice(0, 64)}" exists`);
  }
  // The size first: an oversized body is refused before anything of the request is parsed (413 whatever
  // else is wrong with it).
  const raw = event.body ?? '';
  const size = event.isBase64Encoded ? Math.floor((raw.length * 3) / 4) : Buffer.byteLength(raw, 'utf8');
  const cap = route.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (route.body && size > cap) {
    throw new PayloadTooLargeError(`the body is ${size} bytes; this route accepts at most ${cap} bytes`);
  }
  const query = validate(route.query ?? emptyQuery, event.queryStringParameters ?? {}, 'query');
  const request: HttpRequest = {
    route,
    params: Object.fromEntries(Object.entries(event.pathParameters ?? {}).map(([k, v]) => [k, v ?? ''])),
    query,
    body: undefined,
    headers,
    requestId: event.requestContext?.requestId ?? 'unknown',
    client: { address: clientAddressOf(event, headers), userAgent: (headers['user-agent'] ?? '').slice(0, 512) },
    ...(identity ? { identity } : {}),
  };
  if (route.conditional) {
    const version = parseIfMatch(headers['if-match']);
    if (version !== undefined) request.ifMatch = version;
  }
  if (!route.body) return request;

  const accepted = route.bodyTypes ?? ['application/json'];
  const contentType = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!accepted.includes(contentType)) {
    throw new UnsupportedMediaTypeError(
      `send the body as ${accepted.join(' or ')}${contentType ? ` (got ${contentType})` : ' (no Content-Type header was sent)'}`,
      { accepted },
    );
  }
  request.contentType = contentType;
  const text = decodeBody(event);
  if (contentType !== 'application/json') {
    request.body = text;
    return request;
  }
  if (text.trim() === '') throw new ValidationError([{ path: 'body', message: 'a JSON body is required' }]);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ValidationError([{ path: 'body', message: `is not valid JSON: ${(err as Error).message}` }]);
  }
  request.body = validate(route.body, json, '');
  return request;
}
