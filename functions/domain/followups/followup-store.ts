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
  /** Every follow-up of a survey created in [fromIso, toIso). */
  createdBetween(surveyId: string, fromIso: string, toIso: string): Promise<FollowUp[]>;
}
