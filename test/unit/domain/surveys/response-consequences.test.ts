/**
 * A detractor's follow-up names the answer that made the response a detractor (NPS first), with its
 * question and scale, and carries the segment the response named.
 */
import { describe, expect, it } from 'vitest';
import { factsOf, type SurveyResponse } from '../../../../functions/domain/surveys/response';
import { consequencesOf } from '../../../../functions/domain/surveys/response-consequences';
import type { VersionedQuestion } from '../../../../functions/domain/surveys/survey';

const text = { en: 'q' };
const questions: VersionedQuestion[] = [
  { id: 'overall', type: 'likert', points: 5, required: false, overall: true, text, since: 1 },
  { id: 'nps', type: 'nps', required: false, text, since: 1 },
];

function followUpOf(answers: Record<string, number>, segment?: string) {
  const response: SurveyResponse = {
    id: '01JABCDEFGHJKMNPQRSTVWXYZ0',
    surveyId: 'S1',
    surveyVersion: 1,
    day: '2026-03-01',
    receivedAt: '2026-03-01T10:00:00.000Z',
    locale: 'en',
    answers,
    facts: factsOf(questions, answers),
    bodyHash: 'x',
    ...(segment !== undefined ? { segment } : {}),
  };
  return consequencesOf(response).followUp;
}

describe('a detractor’s follow-up', () => {
  it('scores the NPS answer when that made the detractor, even beside a good overall answer', () => {
    expect(followUpOf({ overall: 4, nps: 3 })?.score).toEqual({ questionId: 'nps', value: 3, min: 0, max: 10 });
  });

  it('scores the overall answer when only that is a detractor answer', () => {
    expect(followUpOf({ overall: 2, nps: 9 })?.score).toEqual({ questionId: 'overall', value: 2, min: 1, max: 5 });
    expect(followUpOf({ overall: 1 })?.score).toEqual({ questionId: 'overall', value: 1, min: 1, max: 5 });
  });

  it('names the NPS answer when both are detractor answers', () => {
    expect(followUpOf({ overall: 1, nps: 6 })?.score).toMatchObject({ questionId: 'nps', value: 6 });
  });

  it('is not opened for a response that is no detractor', () => {
    expect(followUpOf({ overall: 3, nps: 7 })).toBeUndefined();
  });

  it('carries the segment the response named, as given', () => {
    expect(followUpOf({ nps: 0 }, 'walk-in')?.segment).toBe('walk-in');
    expect(followUpOf({ nps: 0 })).not.toHaveProperty('segment');
  });
});
