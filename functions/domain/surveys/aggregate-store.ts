/** The port for the daily aggregate items of a survey. */
export interface AggregateRow {
  /** `DAY#<d>#T`, `DAY#<d>#Q#<series>`, … (see aggregation.ts). */
  sortKey: string;
  counts: Record<string, number>;
}

export interface AggregateStore {
  /** Every aggregate item of the survey for the inclusive day range: one Query, paged, no scan. */
  read(surveyId: string, fromDay: string, toDay: string): Promise<AggregateRow[]>;
  /** The day's response count as aggregated now. */
  dayCount(surveyId: string, day: string): Promise<number>;
  /** Of these responses (of the last day or so), those the stream aggregator has not counted yet. */
  uncounted(surveyId: string, responseIds: string[]): Promise<string[]>;
  /**
   * Replaces one day's aggregate items with `rows`, atomically, provided the day's response count is
   * still `expectedN` (nothing was aggregated meanwhile), and marks `uncounted` responses as counted
   * so the stream never adds them again. Returns false when something changed meanwhile.
   */
  replaceDay(
    surveyId: string,
    day: string,
    rows: AggregateRow[],
    expectedN: number,
    uncounted: string[],
  ): Promise<boolean>;
}
