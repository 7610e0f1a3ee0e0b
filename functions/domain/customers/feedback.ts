/** A customer's feedback behaviour, kept current by the stream aggregator from linked responses. */
export interface CustomerFeedback {
  count: number;
  /** The latest headline answer, on its own scale. */
  lastScore?: { value: number; min: number; max: number; surveyId: string; at: string };
  /** Mean satisfaction of scored responses on a 0–100 scale (answers normalised to their scale). */
  averageSatisfaction: number | null;
}

export interface FeedbackStore {
  get(customerId: string): Promise<CustomerFeedback>;
}
