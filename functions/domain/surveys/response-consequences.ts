/**
 * What a newly stored response changes elsewhere — the business rules the stream aggregator applies:
 * the survey's daily aggregate cells, a follow-up task when the respondent is a detractor (with the
 * first comment they wrote), and the linked customer's feedback counters. Pure: the DynamoDB adapter
 * turns these into keyed, exactly-once writes.
 */
import type { FollowUp } from '../followups/followup';
import { followUpIdOf } from '../followups/followup-id';
import { type AggregateRow, aggregateAdditions, normalisedScore } from './aggregation';
import type { SurveyResponse } from './response';

export interface FeedbackChange {
  customerId: string;
  /** Counters to add: every response counts; a scored one adds its 0–100 satisfaction. */
  add: { feedbackCount: number; scoredCount?: number; scoreSum?: number };
  /** The customer's latest score, kept only if this response is newer than the one it holds. */
  latest?: {
    at: string;
    set: { lastScore: NonNullable<SurveyResponse['facts']['score']>; lastSurveyId: string; lastResponseId: string };
  };
}

export interface ResponseConsequences {
  aggregates: AggregateRow[];
  /** The hour it arrived (`yyyy-mm-ddThh`): hourly arrival counts are each survey's own baseline for surges. */
  arrivalHour: string;
  followUp?: FollowUp;
  feedback?: FeedbackChange;
}

export function consequencesOf(response: SurveyResponse): ResponseConsequences {
  const consequences: ResponseConsequences = {
    aggregates: aggregateAdditions(response.facts, response.day),
    arrivalHour: response.receivedAt.slice(0, 13),
  };
  const score = response.facts.score;
  if (response.customerId) {
    consequences.feedback = {
      customerId: response.customerId,
      add: { feedbackCount: 1, ...(score ? { scoredCount: 1, scoreSum: normalisedScore(score) } : {}) },
      ...(score
        ? {
            latest: {
              at: response.receivedAt,
              set: { lastScore: score, lastSurveyId: response.surveyId, lastResponseId: response.id },
            },
          }
        : {}),
    };
  }
  if (response.facts.detractor) {
    // The answer that made it a detractor; responses stored before that was recorded show their headline score.
    const detractorScore = response.facts.detractorScore ?? score;
    const comment = response.facts.textIds.map((id) => response.answers[id]).find((a) => typeof a === 'string');
    consequences.followUp = {
      id: followUpIdOf(response.surveyId, response.id),
      surveyId: response.surveyId,
      responseId: response.id,
      responseDay: response.day,
      ...(response.customerId ? { customerId: response.customerId } : {}),
      ...(detractorScore ? { score: detractorScore } : {}),
      ...(typeof comment === 'string' ? { comment } : {}),
      ...(response.segment !== undefined ? { segment: response.segment } : {}),
      status: 'open',
      revision: 1,
      createdAt: response.receivedAt,
      updatedAt: response.receivedAt,
    };
  }
  return consequences;
}
