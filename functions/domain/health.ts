import * as z from 'zod';

export const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    checks: z.object({ dynamodb: z.enum(['ok', 'failing']) }),
    time: z.string(),
  })
  .meta({ id: 'Health' });

export type Health = z.infer<typeof healthSchema>;
