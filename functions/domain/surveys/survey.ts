/**
 * The survey and its versions. Questions of a survey that has been live are versioned: editing them
 * creates a new version, each response records the version it answered, and each question carries
 * the version at which its scale last changed (`since`), so reports never mix incompatible answers.
 */
import { isRated, type Question } from './question-schema';
import type { Locale, SurveyCreate, SurveyStatus } from './survey-schema';

/** `since`: the first survey version whose answers to this question are comparable with the current ones. */
export type VersionedQuestion = Question & { since: number };

export interface Survey extends Omit<SurveyCreate, 'questions'> {
  id: string;
  status: SurveyStatus;
  /** Question version: answers carry it. */
  version: number;
  /** Every edit, for optimistic locking (ETag). */
  revision: number;
  questions: VersionedQuestion[];
  createdAt: string;
  updatedAt: string;
  activatedAt?: string;
  closedAt?: string;
}

/** What must stay the same for two versions' answers to a question to be counted together. */
export function compatibilityKey(q: Question): string {
  switch (q.type) {
    case 'likert':
      return `likert:${q.points}`;
    case 'single_choice':
      return `single_choice:${q.options.map((o) => o.id).join(',')}`;
    default:
      return q.type;
  }
}

const sameQuestions = (a: readonly Question[], b: readonly Question[]) =>
  JSON.stringify(a.map(stripSince)) === JSON.stringify(b.map(stripSince));

export function stripSince(q: Question | VersionedQuestion): Question {
  const { since: _s, ...rest } = q as VersionedQuestion;
  return rest as Question;
}

/**
 * The questions after an edit. A survey that has never been live is edited in place (nobody has
 * answered it). Otherwise changed questions start a new version; a question keeps its `since` unless
 * its compatibility key changed.
 */
export function nextQuestions(
  current: Pick<Survey, 'version' | 'questions' | 'activatedAt'>,
  edited: Question[],
): { version: number; questions: VersionedQuestion[]; newVersion: boolean } {
  if (!current.activatedAt) {
    return {
      version: current.version,
      questions: edited.map((q) => ({ ...q, since: current.version })),
      newVersion: false,
    };
  }
  if (sameQuestions(current.questions, edited)) {
    return { version: current.version, questions: current.questions, newVersion: false };
  }
  const version = current.version + 1;
  const before = new Map(current.questions.map((q) => [q.id, q]));
  const questions = edited.map((q) => {
    const old = before.get(q.id);
    return { ...q, since: old && compatibilityKey(old) === compatibilityKey(q) ? old.since : version };
  });
  return { version, questions, newVersion: true };
}

export function overallQuestion(questions: readonly Question[]) {
  return questions.find((q) => isRated(q) && q.overall);
}

/** The survey's headline question: its overall question, else its NPS question. */
export function headlineQuestion(questions: readonly Question[]) {
  return overallQuestion(questions) ?? questions.find((q) => q.type === 'nps');
}

/** Scale of a rated question: min and max points. */
export function scaleOf(q: Question): { min: number; max: number } | undefined {
  switch (q.type) {
    case 'likert':
      return { min: 1, max: q.points };
    case 'nps':
      return { min: 0, max: 10 };
    case 'ces':
      return { min: 1, max: 7 };
    default:
      return undefined;
  }
}

/** Detractor: NPS ≤ 6, or the overall question in its bottom two points. */
export function isDetractorAnswer(q: Question, value: number): boolean {
  if (q.type === 'nps') return value <= 6;
  const scale = scaleOf(q);
  return scale !== undefined && value <= scale.min + 1;
}

/** Satisfied for the CSAT metric: top two points of a rated scale (NPS: promoters). */
export function isSatisfiedAnswer(q: Question, value: number): boolean {
  if (q.type === 'nps') return value >= 9;
  const scale = scaleOf(q);
  return scale !== undefined && value >= scale.max - 1;
}

export function pickLocale(survey: Pick<Survey, 'locales' | 'defaultLocale'>, wanted?: string): Locale {
  if (wanted) {
    const exact = survey.locales.find((l) => l.toLowerCase() === wanted.toLowerCase());
    if (exact) return exact;
    const languageOf = (tag: string) => (tag.split('-')[0] ?? tag).toLowerCase();
    const lang = languageOf(wanted);
    const byLang = survey.locales.find((l) => languageOf(l) === lang);
    if (byLang) return byLang;
  }
  return survey.defaultLocale;
}
