/** The port for each survey's hourly arrival counts (kept by the stream aggregator). */
export interface ArrivalStore {
  /** Answers received per hour, for the hours in [fromHour, toHour] (`yyyy-mm-ddThh`); absent hours are 0. */
  hourly(surveyId: string, fromHour: string, toHour: string): Promise<Map<string, number>>;
}
