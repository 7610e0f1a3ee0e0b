/** The port for the daily aggregate cells of a survey. */
import type { AggregateRow } from './aggregation';

export type { AggregateRow };

export interface AggregateStore {
  /** Every aggregate cell of the survey for the inclusive day range: one Query, paged, no scan. */
  read(surveyId: string, fromDay: string, toDay: string): Promise<AggregateRow[]>;
  /** The day's response count as aggregated now. */
  dayCount(surveyId: string, day: string): Promise<number>;
  /** Of these responses (of the last day or so), those the stream aggregator has not counted yet. */
  uncounted(surveyId: string, responseIds: string[]): Promise<string[]>;
  /**
   * Replaces one day's aggregate cells with `rows`, provided the day's response count is still
   * `expectedN` (nothing was aggregated meanwhile), and marks `uncounted` responses as counted so the
   * stream never adds them again. Atomic, except that markers too many to fit beside the cells in one
   * transaction are written first: should the replacement then fail, those responses are missing
   * from the day until it is rebuilt again. Returns false when something changed meanwhile (rebuild
   * again: every stored response is counted, marked or not).
   */
  replaceDay(
    surveyId: string,
    day: string,
    rows: AggregateRow[],
    expectedN: number,
    uncounted: string[],
  ): Promise<boolean>;
}
