/**
 * THE zod schemas of customer records. Validation, TypeScript types and the OpenAPI document all come
 * from here. Shape rules live in the schemas; rules that need configuration (the phone region) live in
 * `normalise.ts`.
 */
import * as z from 'zod';

export const LIMITS = {
  name: 200,
  email: 254,
  phone: 32,
  company: 200,
  segment: 64,
  tag: 50,
  tags: 20,
  attributeKey: 64,
  attributeValue: 500,
  attributes: 50,
  importRows: 1000,
  pageSize: 100,
  exportPageSize: 1000,
} as const;

const trimmed = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(LIMITS.email, `must be at most ${LIMITS.email} characters`)
  .pipe(z.email('must be a valid e-mail address'));

/** The phone is checked for shape here; `normalisePhone` turns it into E.164 with the configured region. */
export const phoneInputSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.phone, `must be at most ${LIMITS.phone} characters`)
  .regex(/^[+0-9()\-.\s]+$/, 'may contain only digits, spaces, + ( ) - and .');

export const segmentSchema = trimmed(LIMITS.segment).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');
export const tagSchema = trimmed(LIMITS.tag).regex(/^[^;]*$/, 'must not contain ";" (the CSV tag separator)');

/**
 * Names of free-form map entries: JavaScript gives `constructor`, `prototype` and `__proto__` a
 * meaning of their own (the DynamoDB marshaller, for one, mistakes a map with a `constructor` entry
 * for a class instance), so they are refused as keys.
 */
export const RESERVED_KEYS = new Set(['constructor', 'prototype', '__proto__']);
export const notReservedKey = (key: string) => !RESERVED_KEYS.has(key);
export const RESERVED_KEY_MESSAGE = 'constructor, prototype and __proto__ cannot be used as names';

/** Numbers DynamoDB and JavaScript both keep exactly: no silent rounding, no underflow. */
export const storableNumber = z
  .number()
  .refine(
    (n) => Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER && (n === 0 || Math.abs(n) >= 1e-9),
    `must be a number between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER} (and not smaller than 1e-9 in size)`,
  );

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
