/**
 * THE zod schemas of customer records. Validation, TypeScript types and the OpenAPI document all come
 * from here. Shape rules live in the schemas; rules that need configuration (the phone region) live in
 * `normalise.ts`.
 */
import * as z from 'zod';
import {
  emailSchema,
  LIMITS,
  notReservedKey,
  phoneInputSchema,
  RESERVED_KEY_MESSAGE,
  segmentSchema,
  storableNumber,
  tagSchema,
  trimmed,
} from './customer-fields-schema';

export {
  emailSchema,
  LIMITS,
  notReservedKey,
  phoneInputSchema,
  RESERVED_KEY_MESSAGE,
  RESERVED_KEYS,
  segmentSchema,
  storableNumber,
  tagSchema,
} from './customer-fields-schema';

export const attributeValueSchema = z.union([
  z.string().max(LIMITS.attributeValue, `must be at most ${LIMITS.attributeValue} characters`),
  storableNumber,
  z.boolean(),
]);

export const attributesSchema = z
  .record(
    z
      .string()
      .min(1)
      .max(LIMITS.attributeKey)
      .regex(/^[A-Za-z0-9_.-]+$/, 'attribute names may contain only letters, digits, _ . and -')
      .refine(notReservedKey, RESERVED_KEY_MESSAGE),
    attributeValueSchema,
  )
  .refine((a) => Object.keys(a).length <= LIMITS.attributes, `at most ${LIMITS.attributes} attributes`);

export const tagsSchema = z
  .array(tagSchema)
  .max(LIMITS.tags, `at most ${LIMITS.tags} tags`)
  .transform((tags) => [...new Set(tags)]);

const fieldShape = {
  name: trimmed(LIMITS.name),
  email: emailSchema,
  phone: phoneInputSchema,
  company: trimmed(LIMITS.company),
  segment: segmentSchema,
  tags: tagsSchema,
  attributes: attributesSchema,
};

const hasContact = (c: { name?: unknown; email?: unknown; phone?: unknown }) =>
  c.name !== undefined || c.email !== undefined || c.phone !== undefined;

/** Every field optional: creates and import rows take the same fields. */
const optionalFields = {
  name: fieldShape.name.optional(),
  email: fieldShape.email.optional(),
  phone: fieldShape.phone.optional(),
  company: fieldShape.company.optional(),
  segment: fieldShape.segment.optional(),
  tags: fieldShape.tags.optional(),
  attributes: fieldShape.attributes.optional(),
};

export const customerCreateSchema = z
  .strictObject(optionalFields)
  .refine(hasContact, { message: 'a customer needs at least a name, an e-mail or a phone', path: [] })
  .meta({ id: 'CustomerCreate' });

/** PATCH body: a field that is absent is left alone, `null` clears it. */
export const customerPatchSchema = z
  .strictObject({
    name: fieldShape.name.nullable().optional(),
    email: fieldShape.email.nullable().optional(),
    phone: fieldShape.phone.nullable().optional(),
    company: fieldShape.company.nullable().optional(),
    segment: fieldShape.segment.nullable().optional(),
    tags: fieldShape.tags.nullable().optional(),
    attributes: fieldShape.attributes.nullable().optional(),
    /** Alternative to the If-Match header for clients that cannot set headers. */
    version: z.number().int().positive().optional(),
  })
  .meta({ id: 'CustomerPatch' });

/** One import row: the export's columns. `id` and `createdAt` are honoured only when the row creates a record. */
export const customerImportRowSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a ULID')
      .optional(),
    ...optionalFields,
    createdAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine(hasContact, { message: 'a row needs at least a name, an e-mail or a phone', path: [] })
  .meta({ id: 'CustomerImportRow' });

export const customerImportJsonSchema = z
  .union([z.array(z.unknown()), z.strictObject({ customers: z.array(z.unknown()) })])
  .meta({
    id: 'CustomerImportJson',
    description: 'An array of rows, or {"customers": [rows]}. Rows follow CustomerImportRow.',
  });

export const customerSchema = z
  .object({
    id: z.string(),
    name: z.string().optional(),
    email: z.string().optional(),
    phone: z.string().optional().describe('E.164'),
    company: z.string().optional(),
    segment: z.string().optional(),
    tags: z.array(z.string()),
    attributes: z.record(z.string(), attributeValueSchema),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Customer' });

export const cursorQuery = z.string().max(2048).optional();
export const limitQuery = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);

export const customerListQuerySchema = z.strictObject({
  cursor: cursorQuery,
  limit: limitQuery(LIMITS.pageSize, 50),
  segment: segmentSchema.optional(),
  tag: tagSchema.optional(),
  updatedSince: z.iso.datetime({ offset: true }).optional(),
});

export const customerLookupQuerySchema = z
  .strictObject({ email: emailSchema.optional(), phone: phoneInputSchema.optional() })
  .refine((q) => (q.email === undefined) !== (q.phone === undefined), {
    message: 'give exactly one of email or phone',
    path: [],
  });

export const customerExportQuerySchema = z.strictObject({
  format: z.enum(['csv', 'jsonl']).default('csv'),
  cursor: cursorQuery,
  limit: limitQuery(LIMITS.exportPageSize, LIMITS.exportPageSize),
});

export const mergeRequestSchema = z
  .strictObject({ duplicateId: z.string().min(1).max(64) })
  .meta({ id: 'CustomerMerge' });

export const qualityQuerySchema = z.strictObject({
  staleDays: z.coerce.number().int().min(1).max(3650).default(180),
});

export const customerListSchema = z
  .object({ items: z.array(customerSchema), nextCursor: z.string().optional() })
  .meta({ id: 'CustomerPage' });

export const importReportSchema = z
  .object({
    /** False when the database stopped answering part-way: rows marked not-imported should be sent again. */
    complete: z.boolean(),
    summary: z.object({
      created: z.number(),
      updated: z.number(),
      unchanged: z.number(),
      rejected: z.number(),
      notImported: z.number(),
    }),
    rows: z.array(
      z.object({
        row: z.number().describe('1-based row number (CSV: excluding the header)'),
        status: z.enum(['created', 'updated', 'unchanged', 'rejected', 'not-imported']),
        id: z.string().optional(),
        reasons: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      }),
    ),
  })
  .meta({ id: 'ImportReport' });

export const qualityReportSchema = z
  .object({
    total: z.number(),
    completeness: z.record(z.string(), z.object({ missing: z.number(), missingPercent: z.number() })),
    invalid: z.record(z.string(), z.number()),
    stale: z.object({ days: z.number(), before: z.string(), count: z.number() }),
    duplicateCandidates: z.array(
      z.object({ name: z.string(), company: z.string().optional(), customerIds: z.array(z.string()) }),
    ),
  })
  .meta({ id: 'CustomerQualityReport' });

export type CustomerCreate = z.infer<typeof customerCreateSchema>;
export type CustomerPatch = z.infer<typeof customerPatchSchema>;
export type CustomerImportRow = z.infer<typeof customerImportRowSchema>;
export type CustomerListQuery = z.infer<typeof customerListQuerySchema>;
export type ImportReport = z.infer<typeof importReportSchema>;
export type QualityReport = z.infer<typeof qualityReportSchema>;
export type AttributeValue = z.infer<typeof attributeValueSchema>;
