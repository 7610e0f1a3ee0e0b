/**
 * The port that keeps one survey's submissions within its own budget per minute
 * (`delivery.maxResponsesPerMinute`), so a flood aimed at one survey is refused at that survey and
 * never pushes the respondents of other surveys into throttling.
 */
export type Take = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface SubmissionLimiter {
  /**
   * Counts one submission to the survey in the current minute. `spreadKey` (the response id) spreads
   * the counting over several items so a busy survey's counter is never one hot key.
   */
  take(surveyId: string, perMinute: number, spreadKey: string): Promise<Take>;
}
