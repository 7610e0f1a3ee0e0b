/**
 * Close the loop (问题解决率): a detractor's response becomes a follow-up task that moves forward
 * open → contacted → resolved. Moving backwards is a conflict, not an edit.
 */
import * as z from 'zod';
import { ConflictError } from '../errors';

/**
 * `excluded`: the response behind it was excluded as abuse (an admin's exclusion, never a PATCH). It
 * is terminal and leaves the resolution figures.
 */
export const followUpStatusSchema = z.enum(['open', 'contacted', 'resolved', 'excluded']);
export type FollowUpStatus = z.infer<typeof followUpStatusSchema>;
/** The statuses a person moves a follow-up through. */
export const followUpWorkflowStatusSchema = z.enum(['open', 'contacted', 'resolved']);

export interface FollowUp {
  /** `followUpIdOf(surveyId, responseId)`. */
  id: string;
  surveyId: string;
  responseId: string;
  responseDay: string;
  customerId?: string;
  /**
   * The answer that made the response a detractor: its NPS answer when that is 0–6, otherwise its
   * overall answer (bottom two points). `questionId` is missing on tasks opened before it was recorded.
   */
  score?: { questionId?: string; value: number; min: number; max: number };
  comment?: string;
  /** The segment the response named, as given (reports map it to their buckets). */
  segment?: string;
  status: FollowUpStatus;
  assignee?: string;
  note?: string;
  revision: number;
  createdAt: string;
  updatedAt: string;
  contactedAt?: string;
  resolvedAt?: string;
}

export const followUpPatchSchema = z
  .strictObject({
    status: followUpWorkflowStatusSchema.optional(),
    assignee: z.string().trim().min(1).max(200).nullable().optional(),
    note: z.string().trim().max(2000).nullable().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, 'change at least one of status, assignee, note')
  .meta({ id: 'FollowUpPatch' });
export type FollowUpPatch = z.infer<typeof followUpPatchSchema>;

export const followUpListQuerySchema = z.strictObject({
  status: followUpStatusSchema.optional(),
  surveyId: z
    .string()
    .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a survey id')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2048).optional(),
});

/** A follow-up as the routes return it. */
export const followUpSchema = z
  .strictObject({
    id: z.string(),
    surveyId: z.string(),
    responseId: z.string(),
    responseDay: z.string(),
    customerId: z.string().optional(),
    score: z
      .strictObject({ value: z.number(), min: z.number(), max: z.number(), questionId: z.string().optional() })
      .optional(),
    segment: z.string().optional(),
    comment: z.string().optional(),
    status: followUpStatusSchema,
    assignee: z.string().optional(),
    note: z.string().optional(),
    revision: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    contactedAt: z.string().optional(),
    resolvedAt: z.string().optional(),
  })
  .meta({ id: 'FollowUp' });

export const followUpPageSchema = z
  .strictObject({ items: z.array(followUpSchema), nextCursor: z.string().optional() })
  .meta({ id: 'FollowUpPage' });

const ORDER: Record<FollowUpStatus, number> = { open: 0, contacted: 1, resolved: 2, excluded: 3 };

export function applyFollowUpPatch(current: FollowUp, patch: FollowUpPatch, now: string): FollowUp {
  const next: FollowUp = { ...current, revision: current.revision + 1, updatedAt: now };
  if (patch.status && patch.status !== current.status) {
    if (ORDER[patch.status] < ORDER[current.status]) {
      throw new ConflictError(`a follow-up cannot go from ${current.status} back to ${patch.status}`, {
        currentStatus: current.status,
      });
    }
    next.status = patch.status;
    if (patch.status === 'contacted') next.contactedAt = now;
    if (patch.status === 'resolved') {
      next.resolvedAt = now;
      next.contactedAt ??= now;
    }
  }
  if (patch.assignee === null) delete next.assignee;
  else if (patch.assignee !== undefined) next.assignee = patch.assignee;
  if (patch.note === null) delete next.note;
  else if (patch.note !== undefined) next.note = patch.note;
  return next;
}

/** Resolution rate and median time to resolution over follow-ups created in a range. */
export function resolutionStats(all: readonly FollowUp[]): {
  total: number;
  resolved: number;
  resolutionRate: number | null;
  medianHoursToResolution: number | null;
} {
  // An excluded task was never a real customer's: it is not a task to resolve.
  const items = all.filter((f) => f.status !== 'excluded');
  const hours = items
    .flatMap((f) =>
      f.status === 'resolved' && f.resolvedAt ? [(Date.parse(f.resolvedAt) - Date.parse(f.createdAt)) / 3_600_000] : [],
    )
    .sort((a, b) => a - b);
  const median = medianOfSorted(hours);
  return {
    total: items.length,
    resolved: hours.length,
    resolutionRate: items.length ? hours.length / items.length : null,
    medianHoursToResolution: median === null ? null : Math.round(median * 100) / 100,
  };
}

/** The median of an ascending list; null for an empty one. */
function medianOfSorted(sorted: readonly number[]): number | null {
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid];
  if (upper === undefined) return null;
  const lower = sorted[mid - 1];
  return sorted.length % 2 || lower === undefined ? upper : (lower + upper) / 2;
}
