import type { FollowUp, FollowUpStatus } from './followup';

export interface FollowUpPage {
  items: FollowUp[];
  nextCursor?: string;
}

export interface FollowUpStore {
  get(id: string): Promise<FollowUp | undefined>;
  /** Replaces `previous` (matched on its revision). */
  update(previous: FollowUp, next: FollowUp): Promise<void>;
  list(options: { status: FollowUpStatus; surveyId?: string; limit: number; cursor?: string }): Promise<FollowUpPage>;
  listBySurvey(options: { surveyId: string; limit: number; cursor?: string }): Promise<FollowUpPage>;
  /** GDPR erasure: the task stays (resolution statistics) but no longer names the customer. Idempotent. */
  unlinkCustomer(id: string, customerId: string): Promise<void>;
  /** After a merge: the task now names `toId`. Idempotent. */
  relinkCustomer(id: string, fromId: string, toId: string): Promise<void>;
  /**
   * Repair (the aggregate rebuild): creates each task that does not exist (its response's stream
   * record never reached the aggregator) and brings `score` and `segment` of existing ones up to what
   * their response says; status, assignee, note, comment and revision are never touched. Returns how
   * many tasks it created or changed.
   */
  restore(followUps: readonly FollowUp[]): Promise<number>;
  /** Every follow-up of a survey created in [fromIso, toIso). */
  createdBetween(surveyId: string, fromIso: string, toIso: string): Promise<FollowUp[]>;
}
