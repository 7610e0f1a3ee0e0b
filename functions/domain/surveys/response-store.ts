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
   * Responses that belong to a customer in some way other than a link: unverified claims of their id
   * (`claims`), or responses whose contact data holds an e-mail (`contact`). Found through index
   * entries, never a scan.
   */
  listClaims(customerId: string): Promise<SurveyResponse[]>;
  listByContact(email: string): Promise<SurveyResponse[]>;
  /** Erasure, once the responses holding the e-mail are stripped: the index entries under it go too. */
  forgetContact(email: string): Promise<void>;
  /**
   * Erasure: the response stays (statistics) but loses everything about the person: its link or
   * claim, contact data, metadata, page and free text (`response-erasure.ts`), and the index entries
   * that pointed at it. Idempotent.
   */
  redact(response: SurveyResponse): Promise<void>;
  /**
   * Erasure's first step for a response that may have opened a follow-up: sets `erasedAt` (only), so
   * the stream, which opens follow-ups outside any transaction and then checks `erasedAt`, strips a
   * task it opens from here on; the response keeps its index entries until `redact`. Idempotent.
   */
  markErased(response: SurveyResponse): Promise<void>;
  /** An admin excluded the response as abuse. Idempotent (a response keeps its first exclusion). */
  markExcluded(response: SurveyResponse, excluded: NonNullable<SurveyResponse['excluded']>): Promise<void>;
}
