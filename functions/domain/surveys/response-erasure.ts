/**
 * What erasing a person takes out of a survey response that is theirs (linked to them, claiming to be
 * them, or holding their e-mail), and out of the follow-up it opened. The response itself stays, so
 * reports and a rebuild of the aggregates give the same figures as before: every free-text answer is
 * replaced by a placeholder (it still counts as a comment), contact answers go (they are not counted).
 */
import type { FollowUp } from '../followups/followup';
import type { Answers } from './answers';
import type { SurveyResponse } from './response';

export const ERASED_TEXT = '[erased]';

/** Fields of a response that describe the person: removed by erasure. */
export const PERSONAL_RESPONSE_FIELDS = [
  'customerId',
  'unverifiedCustomerId',
  'contact',
  'metadata',
  'page',
] as const satisfies readonly (keyof SurveyResponse)[];

/** Fields of a follow-up that may describe the person: the customer, the quoted comment, staff notes. */
export const PERSONAL_FOLLOW_UP_FIELDS = [
  'customerId',
  'comment',
  'note',
  'assignee',
] as const satisfies readonly (keyof FollowUp)[];

export function erasedAnswers(response: Pick<SurveyResponse, 'answers' | 'facts'>): Answers {
  const text = new Set(response.facts.textIds);
  const out: Answers = {};
  for (const [id, answer] of Object.entries(response.answers)) {
    if (typeof answer === 'object') continue;
    out[id] = text.has(id) && typeof answer === 'string' ? ERASED_TEXT : answer;
  }
  return out;
}
