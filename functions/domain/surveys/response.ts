/**
 * A stored survey response and the facts the aggregator counts, computed once at submission from the
 * version the respondent answered (so the aggregator never has to read survey definitions).
 */
import { createHash } from 'node:crypto';
import type { UnverifiedReason } from '../customers/identity-verification';
import { ValidationError } from '../errors';
import type { Answers } from './answers';
import { isRated } from './question-schema';
import { isDetractorAnswer, isSatisfiedAnswer, scaleOf, type VersionedQuestion } from './survey';

/** Series key of a question: answers to versions with the same key are comparable. */
export const seriesKey = (q: VersionedQuestion) => `${q.id}@${q.since}`;

export interface ResponseFacts {
  /** Rated answers by series key. */
  rated: Record<string, number>;
  /** Single-choice answers by series key. */
  choices: Record<string, string>;
  /** Series key of the overall question, when the survey has one and it was answered. */
  overall?: string;
  comments: number;
  /** Ids of the free-text questions answered (the follow-up quotes them). */
  textIds: string[];
  detractor: boolean;
  /**
   * The answer that made the response a detractor: the NPS answer when it is 0–6, otherwise the
   * overall answer in its bottom two points. (Absent from responses stored before it was recorded.)
   */
  detractorScore?: { questionId: string; value: number; min: number; max: number };
  /** The headline score: the overall answer, else the NPS answer. */
  score?: { value: number; min: number; max: number };
  /** Segment for reports: one of the survey's listed segments, `other`, or none when it lists none. */
  segment?: string;
}

export interface SurveyResponse {
  id: string;
  surveyId: string;
  surveyVersion: number;
  day: string;
  receivedAt: string;
  locale: string;
  answers: Answers;
  facts: ResponseFacts;
  /**
   * The customer this answer is linked to: set only for a verified identity (docs/api.md "Identity
   * verification"), moved to the survivor when that customer is merged, removed by erasure.
   */
  customerId?: string;
  /** How the identity was checked; `reason` says why an unverified one did not link. */
  identity?: { verified: true; method: 'signature' | 'token' } | { verified: false; reason: UnverifiedReason };
  /** A customer id that could not be verified: kept for people to see, never a link. */
  unverifiedCustomerId?: string;
  /** The e-mail sent with the answer (the `email` field): contact data only, never an identity. */
  contact?: { email: string; verified: false };
  segment?: string;
  /** The page the answer was given on; without query string and fragment unless the survey keeps them. */
  page?: string;
  metadata?: Record<string, string | number | boolean>;
  /** Hash of what the client sent: the same id with a different body is a conflict, not a retry. */
  bodyHash: string;
  /** Who sent it, pseudonymously (client-fingerprint.ts): what an abuse exclusion matches on. */
  clientHash?: string;
  /** Set when an admin excluded the response as abuse: it no longer counts anywhere. */
  excluded?: { exclusionId: string; at: string };
}

export function factsOf(questions: readonly VersionedQuestion[], answers: Answers, segment?: string): ResponseFacts {
  const facts: ResponseFacts = {
    rated: {},
    choices: {},
    comments: 0,
    textIds: [],
    detractor: false,
    ...(segment !== undefined ? { segment } : {}),
  };
  const overall = questions.find((q) => isRated(q) && q.overall);
  const nps = questions.find((q) => q.type === 'nps');
  for (const q of questions) {
    const value = answers[q.id];
    if (value === undefined) continue;
    if (isRated(q) && typeof value === 'number') facts.rated[seriesKey(q)] = value;
    else if (q.type === 'single_choice' && typeof value === 'string') facts.choices[seriesKey(q)] = value;
    else if (q.type === 'text') {
      facts.comments++;
      facts.textIds.push(q.id);
    }
  }
  const answerOf = (q: VersionedQuestion | undefined) => {
    const value = q ? answers[q.id] : undefined;
    const scale = q ? scaleOf(q) : undefined;
    return q && scale && typeof value === 'number' ? { questionId: q.id, value, ...scale } : undefined;
  };
  if (overall && answerOf(overall)) facts.overall = seriesKey(overall);
  const headline = answerOf(overall) ?? answerOf(nps);
  if (headline) facts.score = { value: headline.value, min: headline.min, max: headline.max };
  // Detractor: NPS 0–6, or the overall question in its bottom two points. The NPS answer is named
  // first: it is what "detractor" means wherever the survey asks it.
  const detractorAnswer = (q: VersionedQuestion | undefined) => {
    const answer = answerOf(q);
    return q && answer && isDetractorAnswer(q, answer.value) ? answer : undefined;
  };
  const cause = detractorAnswer(nps) ?? detractorAnswer(overall);
  facts.detractor = cause !== undefined;
  if (cause) facts.detractorScore = cause;
  return facts;
}

export function satisfiedOf(questions: readonly VersionedQuestion[], answers: Answers): boolean | undefined {
  const headline = [questions.find((q) => isRated(q) && q.overall), questions.find((q) => q.type === 'nps')].find(
    (q) => q !== undefined && typeof answers[q.id] === 'number',
  );
  return headline ? isSatisfiedAnswer(headline, answers[headline.id] as number) : undefined;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Milliseconds since the epoch encoded in a ULID or a UUIDv7. */
export function timestampOf(id: string): number {
  if (id.length === 26) {
    let ms = 0;
    for (const ch of id.slice(0, 10).toUpperCase()) ms = ms * 32 + CROCKFORD.indexOf(ch);
    return ms;
  }
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

const DAY_MS = 86_400_000;
/** How far a client's clock (or an offline queue) may put a response in the past or future. */
export const ACCEPTED_PAST_DAYS = 30;
export const ACCEPTED_FUTURE_MS = 60 * 60 * 1000;

/**
 * The response's day partition comes from its client-generated id, so a retry, however late, lands
 * on the same item and the conditional put deduplicates it.
 */
export function dayOf(id: string, now: Date): string {
  const ms = timestampOf(id);
  if (ms > now.getTime() + ACCEPTED_FUTURE_MS || ms < now.getTime() - ACCEPTED_PAST_DAYS * DAY_MS) {
    throw new ValidationError([
      {
        path: 'id',
        message: `the id's timestamp (${new Date(ms).toISOString()}) is more than ${ACCEPTED_PAST_DAYS} days old or in the future: generate a fresh id with a correct clock`,
      },
    ]);
  }
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * A page URL as stored: query strings and fragments often carry personal data (an e-mail in a
 * `?email=` link, a session token), so they are dropped unless the survey opts in with
 * `delivery.keepPageQuery`.
 */
export function storedPage(page: string, keepQuery: boolean): string {
  if (keepQuery) return page;
  try {
    const url = new URL(page);
    return `${url.origin}${url.pathname}`;
  } catch {
    return page.replace(/[?#][\s\S]*$/, '');
  }
}

/** Every distinct e-mail a response holds: its `contact` and its contact answers. */
export function contactEmailsOf(r: Pick<SurveyResponse, 'answers' | 'contact'>): string[] {
  const emails = new Set<string>();
  if (r.contact) emails.add(r.contact.email);
  for (const answer of Object.values(r.answers))
    if (typeof answer === 'object' && answer !== null && typeof answer.email === 'string') emails.add(answer.email);
  return [...emails];
}

export function hashBody(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
