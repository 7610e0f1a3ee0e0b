/**
 * Zod schemas of the public unsubscribe route (a digest's one-click link): the link's query and the
 * RFC 8058 form body. A module of their own so the public API loads only these, not the admin API's
 * alert schemas (notification-routes-schema.ts).
 */
import * as z from 'zod';
import { RECIPIENT_REF_PATTERN } from './recipient-ref';

export const unsubscribeQuerySchema = z.strictObject({
  survey: z.string().regex(/^[A-Za-z0-9]{1,64}$/, 'must be a survey id'),
  recipient: z.string().regex(RECIPIENT_REF_PATTERN, 'must be the recipient reference from the link'),
  signature: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be the signature from the link'),
});
export type UnsubscribeQuery = z.infer<typeof unsubscribeQuerySchema>;

/** RFC 8058 one-click body: `List-Unsubscribe=One-Click` (form-encoded or multipart). */
export const unsubscribeFormSchema = z
  .strictObject({ 'List-Unsubscribe': z.literal('One-Click') })
  .meta({ id: 'UnsubscribeForm' });
