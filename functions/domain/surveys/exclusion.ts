/**
 * Repair when garbage got in anyway: an admin excludes the responses of a time range — all of them,
 * or only one client's (by the pseudonymous client hash) — and they stop counting everywhere.
 */
import * as z from 'zod';
import { clientHashSchemaPattern } from './client-fingerprint';
import { CLIENTS_MAX_DAYS, EXCLUSION_MAX_DAYS } from './exclusion-limits';

/** Responses one exclusion may mark; a larger flood is excluded in several narrower ranges. */
export const EXCLUSION_MAX_RESPONSES = 10_000;

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-11-29T14:00:00Z' });

export const exclusionRequestSchema = z
  .strictObject({
    from: instant,
    to: instant,
    clientHash: z
      .string()
      .regex(clientHashSchemaPattern, 'must be a client hash as GET /v1/surveys/{id}/clients lists them')
      .optional(),
    reason: z.string().trim().min(3).max(500),
  })
  .superRefine((r, ctx) => {
    const from = Date.parse(r.from);
    const to = Date.parse(r.to);
    if (!(to > from)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    if (to - from > EXCLUSION_MAX_DAYS * 86_400_000)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `an exclusion covers at most ${EXCLUSION_MAX_DAYS} days` });
  })
  .meta({ id: 'ExclusionRequest' });
export type ExclusionRequest = z.infer<typeof exclusionRequestSchema>;

export const clientsQuerySchema = z
  .strictObject({ from: instant, to: instant })
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), { path: ['to'], message: 'must be after from' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= CLIENTS_MAX_DAYS * 86_400_000, {
    path: ['to'],
    message: `look at most ${CLIENTS_MAX_DAYS} days at a time`,
  });
export type ClientsQuery = z.infer<typeof clientsQuerySchema>;

export interface Exclusion {
  id: string;
  surveyId: string;
  from: string;
  to: string;
  clientHash?: string;
  reason: string;
  /** Who excluded (the admin's subject) and when. */
  createdBy: string;
  createdAt: string;
  /** Responses this exclusion took out of the figures. */
  excluded: number;
  /** Follow-ups it closed as `excluded`. */
  followUpsClosed: number;
}

export const exclusionSchema = z
  .strictObject({
    id: z.string(),
    surveyId: z.string(),
    from: z.string(),
    to: z.string(),
    clientHash: z.string().optional(),
    reason: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    excluded: z.number().int(),
    followUpsClosed: z.number().int(),
  })
  .meta({ id: 'Exclusion' });

export const exclusionListSchema = z.strictObject({ items: z.array(exclusionSchema) }).meta({ id: 'ExclusionList' });

export const clientSummariesSchema = z
  .strictObject({
    items: z.array(
      z.strictObject({
        clientHash: z.string(),
        responses: z.number().int(),
        detractors: z.number().int(),
        firstAt: z.string(),
        lastAt: z.string(),
      }),
    ),
  })
  .meta({ id: 'ClientSummaries' });

/** The port for exclusion records. */
export interface ExclusionStore {
  /** Stores the record unless one with its id exists (a retried exclusion); returns the stored one. */
  putOnce(exclusion: Exclusion): Promise<Exclusion>;
  update(exclusion: Exclusion): Promise<void>;
  list(surveyId: string): Promise<Exclusion[]>;
}
