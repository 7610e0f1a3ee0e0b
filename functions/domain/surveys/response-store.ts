/** The port the response services need from storage. */
import type { SurveyResponse } from './response';

export interface ResponsePage {
  items: SurveyResponse[];
  nextCursor?: string;
}

export interface DayRangeQuery {
  surveyId: string;
  from: string;
  to: string;
  limit: number;
  cursor?: string;
  newestFirst: boolean;
  /** Only responses with a free-text answer. */
  withComments?: boolean;
  /** Only responses whose answer in this rated series (`<question id>@<since>`) is at most `max`. */
  maxScore?: { series: string; max: number };
  /** Strongly consistent reads (repairs must see every response already written). */
  consistent?: boolean;
}

export interface ResponseStore {
  /** Stores the response unless one with its id exists; then returns the stored one (idempotent retries). */
  putOnce(response: SurveyResponse): Promise<{ created: true } | { created: false; existing: SurveyResponse }>;
  /** Responses of a day range, walking day partitions; never scans. */
  listRange(query: DayRangeQuery): Promise<ResponsePage>;
  /** A customer's responses, newest first. */
  listByCustomer(customerId: string, limit: number, cursor?: string): Promise<ResponsePage>;
  /**
   * GDPR erasure: the response stays (statistics) but no longer names the customer and loses its
   * contact data (contact answers, hidden metadata). Idempotent.
   */
  unlinkCustomer(response: SurveyResponse, customerId: string): Promise<void>;
  /** After a merge: the response now names `toId`. Idempotent. */
  relinkCustomer(response: SurveyResponse, fromId: string, toId: string): Promise<void>;
  /** An admin excluded the response as abuse. Idempotent (a response keeps its first exclusion). */
  markExcluded(response: SurveyResponse, excluded: NonNullable<SurveyResponse['excluded']>): Promise<void>;
}
