/**
 * The OpenAPI 3.1 document, generated from the route table and its zod schemas, so that the
 * document, the validation and the types cannot disagree. Served at GET /v1/openapi.json and written
 * to docs/openapi.json by `npm run openapi`.
 */

import type { ZodType } from 'zod';
import * as z from 'zod';
import { type RouteDefinition, routes } from '../contracts/routes';
import { envelopeSchemaOf, webhookEventDescriptions, webhookEventTypes } from '../domain/webhooks/webhook-events';

type JsonSchema = Record<string, unknown>;

const problemSchema: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', '#/components/schemas/') : rewriteRefs(v);
    }
    return out;
  }
  return node;
}

function schemaOf(schema: ZodType, io: 'input' | 'output', components: Record<string, JsonSchema>): JsonSchema {
  const json = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
  const { $schema: _s, $defs, ...rest } = json;
  for (const [name, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
    components[name] = rewriteRefs(def) as JsonSchema;
  }
  return rewriteRefs(rest) as JsonSchema;
}

const errorStatuses = (route: RouteDefinition): Record<string, string> => {
  const out: Record<string, string> = { '400': 'Invalid request', '503': 'Temporarily unavailable (Retry-After)' };
  if (route.access !== 'public') Object.assign(out, { '401': 'No or invalid token', '403': 'Role not allowed' });
  if (route.path.includes('{')) out['404'] = 'Not found';
  if (route.body) Object.assign(out, { '413': 'Body too large', '415': 'Wrong content type' });
  if (route.conditional) out['412'] = 'Stale If-Match';
  if (route.method === 'POST' || route.method === 'PATCH') out['409'] = 'Conflict (e.g. e-mail or phone taken)';
  if (route.access === 'write') out['422'] = 'Idempotency-Key reused with a different request';
  return out;
};

export function openApiDocument(): JsonSchema {
  const components: Record<string, JsonSchema> = { Problem: problemSchema };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes as readonly RouteDefinition[]) {
    const parameters: JsonSchema[] = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (route.query) {
      const q = schemaOf(route.query, 'input', components);
      const required = new Set((q.required as string[] | undefined) ?? []);
      for (const [name, schema] of Object.entries((q.properties ?? {}) as Record<string, JsonSchema>)) {
        parameters.push({ name, in: 'query', required: required.has(name), schema });
      }
    }
    if (route.access === 'write') {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,128}$' },
        description:
          'Retrying with the same key returns the first successful outcome (kept 24 h) instead of writing again',
      });
    }
    if (route.conditional) {
      parameters.push({
        name: 'If-Match',
        in: 'header',
        required: false,
        schema: { type: 'string' },
        description: 'ETag ("<version>") of the record you read',
      });
    }
    const responses: Record<string, unknown> = {};
    const ok = route.response;
    if (ok) {
      const content: Record<string, unknown> = {};
      if (ok.schema) content['application/json'] = { schema: schemaOf(ok.schema, 'output', components) };
      for (const type of ok.contentTypes ?? []) content[type] = { schema: { type: 'string' } };
      responses[String(ok.status)] = { description: 'Success', ...(Object.keys(content).length ? { content } : {}) };
    }
    for (const [status, description] of Object.entries(errorStatuses(route))) {
      responses[status] = {
        description,
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
    }
    const operation: Record<string, unknown> = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.path.split('/')[2] ?? 'misc'],
      parameters,
      responses,
      security: route.access === 'public' ? [] : [{ cognito: [] }],
      'x-rapport-access': route.access,
    };
    if (route.body) {
      const content: Record<string, unknown> = {};
      for (const type of route.bodyTypes ?? ['application/json']) {
        content[type] =
          type === 'application/json'
            ? { schema: schemaOf(route.body, 'input', components) }
            : { schema: { type: 'string' } };
      }
      operation.requestBody = { required: true, content };
    }
    const methods = paths[route.path] ?? {};
    methods[route.method.toLowerCase()] = operation;
    paths[route.path] = methods;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Rapport API',
      version: '1',
      description:
        'Customer records and satisfaction surveys. Admin routes need a Cognito JWT: group `admin` may write, `analyst` may read. Errors are RFC 9457 problem+json.',
    },
    servers: [{ url: '/' }],
    paths,
    webhooks: webhookDocuments(components),
    components: {
      schemas: components,
      securitySchemes: { cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}

const signatureHeaders: JsonSchema[] = [
  {
    name: 'webhook-id',
    in: 'header',
    required: true,
    schema: { type: 'string' },
    description: 'msg_<delivery id>: the same on every attempt and replay of this event (deduplicate on it)',
  },
  {
    name: 'webhook-timestamp',
    in: 'header',
    required: true,
    schema: { type: 'string' },
    description: 'Seconds since the epoch when this attempt was signed (refuse old ones: replay protection)',
  },
  {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    schema: { type: 'string' },
    description:
      'Space-separated `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, one per valid secret (two during a rotation); Standard Webhooks',
  },
];

/** The OpenAPI 3.1 `webhooks` section: what Rapport POSTs to subscribers, one entry per event type. */
function webhookDocuments(components: Record<string, JsonSchema>): Record<string, unknown> {
  return Object.fromEntries(
    webhookEventTypes.map((type) => [
      type,
      {
        post: {
          operationId: `webhook:${type}`,
          summary: webhookEventDescriptions[type],
          tags: ['webhooks'],
          parameters: signatureHeaders,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaOf(envelopeSchemaOf(type), 'output', components) } },
          },
          responses: {
            '2XX': { description: 'Received: any 2xx settles the delivery' },
            default: {
              description:
                'Anything else (or no answer within 10 s, or a redirect) is retried with backoff for more than 24 h; a `Retry-After` is honoured',
            },
          },
        },
      },
    ]),
  );
}
