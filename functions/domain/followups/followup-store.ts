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
  /**
   * Erasure: the task stays (resolution statistics) but loses its customer, the comment it quotes and
   * the staff's note and assignee (`PERSONAL_FOLLOW_UP_FIELDS`). Idempotent; true when the task exists.
   */
  redact(id: string): Promise<boolean>;
  /**
   * Creates each task that does not exist and brings `score` and `segment` of existing ones up to what
   * their response says; status, assignee, note, comment and revision of an existing task are never
   * touched. Used by the aggregate rebuild (a response's stream record never reached the aggregator)
   * and by an exclusion (a task the stream has not opened yet is created already `excluded`). A task
   * created for a response erased meanwhile is stripped as the erasure would. Returns how many tasks it
   * created or changed.
   */
  restore(followUps: readonly FollowUp[]): Promise<number>;
  /** Every follow-up of a survey created in [fromIso, toIso). */
  createdBetween(surveyId: string, fromIso: string, toIso: string): Promise<FollowUp[]>;
}
