/** The port for the daily aggregate items of a survey. */
export interface AggregateRow {
  /** `DAY#<d>#T`, `DAY#<d>#Q#<series>`, … (see aggregation.ts). */
  sortKey: string;
  counts: Record<string, number>;
}

export interface AggregateStore {
  /** Every aggregate item of the survey for the inclusive day range: one Query, paged, no scan. */
  read(surveyId: string, fromDay: string, toDay: string): Promise<AggregateRow[]>;
  /**
   * Replaces one day's aggregate items with `rows`, atomically, provided the day's response count is
   * still `expectedN` (no response was aggregated meanwhile). Returns false when it was not.
   */
  replaceDay(surveyId: string, day: string, rows: AggregateRow[], expectedN: number): Promise<boolean>;
}
