/**
 * One funnel event of one display of a survey, as stored: kept only long enough to make retries
 * idempotent and to be counted by the stream into the day's funnel cells (aggregation.ts).
 */
import type { DisplayEvent } from './display-schema';

export interface SurveyDisplay {
  /** The client's display id: `shown` and `dismissed` of one card share it. */
  id: string;
  surveyId: string;
  event: DisplayEvent;
  /** From the display id's time, like a response's day. */
  day: string;
  /** `dismissed`: the question the card was closed at. */
  questionId?: string;
  /** The report bucket of the segment (report-segment.ts), when the survey declares segments. */
  segment?: string;
  receivedAt: string;
}

/** How long a display item is kept: past the days a late retry may still name (ACCEPTED_PAST_DAYS). */
export const DISPLAY_RETENTION_DAYS = 35;

/** The port: one conditional put per (display id, event). */
export interface DisplayStore {
  putOnce(display: SurveyDisplay): Promise<{ created: true } | { created: false; existing: SurveyDisplay }>;
  /** One recorded event of a display (a strongly consistent read), if it is recorded. */
  find(display: Pick<SurveyDisplay, 'surveyId' | 'day' | 'id' | 'event'>): Promise<SurveyDisplay | undefined>;
}
