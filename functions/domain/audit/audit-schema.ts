/**
 * THE zod schemas of the audit routes (query, page, chain check): validation, types and OpenAPI come
 * from here. Apart from the chain logic (audit-entry.ts) so functions that only append entries (the
 * public API's unsubscribe) do not build them.
 */
import * as z from 'zod';

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

export const auditQuerySchema = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
  actor: z.string().min(1).max(128).optional(),
  /** Entries about this customer (the id is hashed as entries store it). */
  customer: z
    .string()
    .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a customer id')
    .optional(),
  operation: z
    .string()
    .regex(/^[a-zA-Z]{1,64}$/)
    .optional(),
  outcome: z.enum(['success', 'refused', 'failed']).optional(),
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditVerifyQuerySchema = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
});

export const auditEntrySchema = z
  .strictObject({
    seq: z.number().int(),
    at: z.string(),
    actor: z.string(),
    roles: z.array(z.string()),
    operation: z.string(),
    method: z.string(),
    path: z.string(),
    ids: z.record(z.string(), z.string()),
    queryNames: z.array(z.string()),
    status: z.number().int(),
    replayed: z.boolean(),
    requestId: z.string(),
    kind: z.enum(['write', 'personal-data']),
    prev: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEntry' });

export const auditPageSchema = z
  .strictObject({ items: z.array(auditEntrySchema), nextCursor: z.string().optional() })
  .meta({ id: 'AuditPage' });

export const chainCheckSchema = z
  .strictObject({
    from: z.string(),
    to: z.string(),
    checked: z.number().int(),
    firstSeq: z.number().int().nullable(),
    lastSeq: z.number().int().nullable(),
    broken: z.strictObject({ seq: z.number().int(), reason: z.string() }).optional(),
  })
  .meta({ id: 'AuditChainCheck' });
