/** Query schemas of the analytics routes (report, comments, export, rebuild). */
import { z } from 'zod';
import { segmentSchema } from '../customers/customer-schema';

export const daySchema = z.iso.date('must be a date YYYY-MM-DD');

const range = {
  from: daySchema.optional(),
  to: daySchema.optional(),
};

export const reportQuerySchema = z.strictObject({
  ...range,
  granularity: z.enum(['day', 'week', 'month']).default('day'),
  segment: segmentSchema.optional(),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export const commentsQuerySchema = z.strictObject({
  ...range,
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  maxScore: z.coerce.number().int().min(0).max(10).optional(),
});
export type CommentsQuery = z.infer<typeof commentsQuerySchema>;

export const responsesExportQuerySchema = z.strictObject({
  ...range,
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(1000),
});

export const rebuildRequestSchema = z
  .strictObject({ from: daySchema, to: daySchema, cursor: z.string().max(2048).optional() })
  .meta({ id: 'AggregateRebuild' });
export type RebuildRequest = z.infer<typeof rebuildRequestSchema>;
