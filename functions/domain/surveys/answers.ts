/**
 * Checks a submission's answers against the survey version it answers: known question ids, the right
 * type and range, required answers present, text within its length, and the survey's logic — an
 * answer to a question the logic hid is refused, and a hidden required question is not required
 * (branching.ts, the evaluator the widget runs too). Returns the clean answers.
 */
import { type FieldIssue, ValidationError } from '../errors';
import { describeLogic, walk } from './branching';
import type { VersionedQuestion } from './survey';

export type Answer = number | string | { email: string; consent: true };
export type Answers = Record<string, Answer>;

export function validateAnswers(questions: readonly VersionedQuestion[], raw: Record<string, unknown>): Answers {
  const issues: FieldIssue[] = [];
  const byId = new Map(questions.map((q) => [q.id, q]));
  for (const id of Object.keys(raw)) {
    if (!byId.has(id)) issues.push({ path: `answers/${id}`, message: 'is not a question of this survey version' });
  }
  const clean: Answers = {};
  const route = walk(questions, raw);
  const shown = new Set(route.shown);
  const endedAt = route.endedAfter ? questions.indexOf(route.endedAfter) : questions.length;
  for (const [i, q] of questions.entries()) {
    const path = `answers/${q.id}`;
    const value = raw[q.id];
    const blank = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
    if (!shown.has(q)) {
      // Hidden by logic: not required, and an answer to it was not given by anyone who was asked.
      if (!blank) {
        const ended = route.endedAfter;
        issues.push({
          path,
          message:
            i > endedAt && ended?.endIf
              ? `was not asked: the survey ends after ${ended.id} when ${describeLogic(ended.endIf)}`
              : `was not asked: it is shown only when ${q.showIf ? describeLogic(q.showIf) : 'its condition holds'}`,
        });
      }
      continue;
    }
    if (blank) {
      if (q.required) issues.push({ path, message: 'is required' });
      continue;
    }
    const bad = (message: string) => issues.push({ path, message });
    switch (q.type) {
      case 'likert':
      case 'nps':
      case 'ces': {
        const [min, max] = q.type === 'likert' ? [1, q.points] : q.type === 'nps' ? [0, 10] : [1, 7];
        if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
          bad(`must be a whole number from ${min} to ${max}`);
        } else clean[q.id] = value;
        break;
      }
      case 'single_choice':
        if (typeof value !== 'string' || !q.options.some((o) => o.id === value)) {
          bad(`must be one of ${q.options.map((o) => o.id).join(', ')}`);
        } else clean[q.id] = value;
        break;
      case 'text':
        if (typeof value !== 'string') bad('must be text');
        else if ([...value.trim()].length > q.maxLength) bad(`must be at most ${q.maxLength} characters`);
        else clean[q.id] = value.trim();
        break;
      case 'contact':
        if (typeof value !== 'object' || value === null || typeof (value as { email?: unknown }).email !== 'string') {
          bad('must be {"email": …, "consent": true}');
        } else if ((value as { consent?: unknown }).consent !== true) {
          bad('an e-mail is kept only with consent: set consent to true or leave the question out');
        } else clean[q.id] = { email: (value as { email: string }).email, consent: true };
        break;
    }
  }
  if (issues.length) throw new ValidationError(issues);
  return clean;
}
