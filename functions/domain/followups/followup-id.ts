/** One follow-up per detractor response, however often the stream delivers it. (No zod here: the aggregator imports it.) */
export const followUpIdOf = (surveyId: string, responseId: string) => `${surveyId}-${responseId}`;
