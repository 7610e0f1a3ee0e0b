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
  /**
   * Replaces one day's aggregate items with `rows`, atomically, provided the day's response count is
   * still `expectedN` (no response was aggregated meanwhile). Records `cutoff`: from then on the
   * stream adds only responses received at or after it. Returns false when the count had changed.
   */
  replaceDay(surveyId: string, day: string, rows: AggregateRow[], expectedN: number, cutoff: string): Promise<boolean>;
}
