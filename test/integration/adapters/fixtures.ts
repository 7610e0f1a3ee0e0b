/**
 * Domain objects as the services would hand them to the adapters: customers, surveys, responses and
 * follow-ups built with the domain's own functions (facts, versions, follow-up ids), never by hand.
 */
import { monotonicFactory } from 'ulid';
import type { Customer, CustomerFields } from '../../../functions/domain/customers/customer';
import type { FollowUp, FollowUpStatus } from '../../../functions/domain/followups/followup';
import { followUpIdOf } from '../../../functions/domain/followups/followup-id';
import type { Answers } from '../../../functions/domain/surveys/answers';
import { reportSegment } from '../../../functions/domain/surveys/report-segment';
import { factsOf, hashBody, type SurveyResponse } from '../../../functions/domain/surveys/response';
import { nextQuestions, type Survey } from '../../../functions/domain/surveys/survey';
import { type Question, surveyCreateSchema } from '../../../functions/domain/surveys/survey-schema';

const nextUlid = monotonicFactory();

/** A fresh ULID; with `at`, one whose timestamp is that instant (a response's id decides its day). */
export const newId = (at?: Date) => (at ? nextUlid(at.getTime()) : nextUlid());

let phoneSeq = 10_000_000 + Math.floor(Math.random() * 80_000_000);
export const uniqueEmail = (hint = 'c') => `${hint}-${newId().toLowerCase()}@example.cn`;
/** A valid mainland mobile number in E.164, different on every call. */
export const uniquePhone = () => `+86138${String(phoneSeq++).padStart(8, '0')}`;

export function customer(fields: Partial<CustomerFields> = {}, at = new Date()): Customer {
  return {
    id: newId(),
    version: 1,
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
    name: '王芳',
    tags: [],
    attributes: {},
    ...fields,
  };
}

/** The record after a change, as the service writes it: next version, new `updatedAt`. */
export function edited(previous: Customer, changes: Partial<CustomerFields>, at = new Date()): Customer {
  const next: Customer = { ...previous, ...changes, version: previous.version + 1, updatedAt: at.toISOString() };
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined) delete next[field as keyof CustomerFields];
  }
  return next;
}

const text = (en: string, zh: string) => ({ en, 'zh-CN': zh });

/** A two-locale survey with every question type (overall Likert, NPS, choice, comment, contact). */
export const surveyDefinition = () =>
  surveyCreateSchema.parse({
    name: 'Post-purchase',
    locales: ['en', 'zh-CN'],
    defaultLocale: 'en',
    title: text('How was your purchase?', '您对这次购买满意吗？'),
    questions: [
      { id: 'overall', type: 'likert', points: 5, required: true, overall: true, text: text('Overall', '总体') },
      { id: 'delivery', type: 'likert', points: 5, text: text('Delivery', '配送') },
      { id: 'nps', type: 'nps', text: text('Recommend us?', '您会推荐我们吗？') },
      {
        id: 'channel',
        type: 'single_choice',
        text: text('Channel', '渠道'),
        options: [
          { id: 'web', label: text('Web', '网站') },
          { id: 'app', label: text('App', '应用') },
        ],
      },
      { id: 'comment', type: 'text', maxLength: 500, text: text('Anything else?', '还有什么建议？') },
      {
        id: 'contact',
        type: 'contact',
        text: text('May we contact you?', '我们可以联系您吗？'),
        consentText: text('Yes, e-mail me', '可以，请发邮件'),
      },
    ],
    delivery: { allowedOrigins: ['https://shop.example.com'], segments: ['vip', 'smb'] },
  });

export function draftSurvey(at = new Date()): Survey {
  const input = surveyDefinition();
  return {
    ...input,
    id: newId(),
    status: 'draft',
    version: 1,
    revision: 1,
    questions: input.questions.map((q) => ({ ...q, since: 1 })),
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
  };
}

/** The survey after the service's publish step. */
export function published(survey: Survey, at = new Date()): Survey {
  return {
    ...survey,
    status: 'active',
    revision: survey.revision + 1,
    updatedAt: at.toISOString(),
    activatedAt: survey.activatedAt ?? at.toISOString(),
  };
}

/** The survey after an edit of its questions (a new version once it has been live). */
export function withQuestions(survey: Survey, questions: Question[], at = new Date()): Survey {
  const versioned = nextQuestions(survey, questions);
  return {
    ...survey,
    version: versioned.version,
    questions: versioned.questions,
    revision: survey.revision + 1,
    updatedAt: at.toISOString(),
  };
}

export interface ResponseOptions {
  /** When the respondent pressed Submit (the id's timestamp, so the day partition). */
  at?: Date;
  customerId?: string;
  segment?: string;
  metadata?: Record<string, string | number | boolean>;
  /** A UUIDv7 id instead of a ULID (the widget may send either). */
  uuid?: boolean;
}

export function surveyResponse(survey: Survey, answers: Answers, options: ResponseOptions = {}): SurveyResponse {
  const at = options.at ?? new Date();
  const id = options.uuid ? uuidV7(at) : newId(at);
  return {
    id,
    surveyId: survey.id,
    surveyVersion: survey.version,
    day: at.toISOString().slice(0, 10),
    receivedAt: at.toISOString(),
    locale: 'en',
    answers,
    facts: factsOf(survey.questions, answers, reportSegment(survey.delivery.segments, options.segment)),
    bodyHash: hashBody({ id, answers }),
    ...(options.customerId ? { customerId: options.customerId } : {}),
    ...(options.segment ? { segment: options.segment } : {}),
    ...(options.metadata ? { metadata: options.metadata } : {}),
  };
}

function uuidV7(at: Date): string {
  const hex = at.getTime().toString(16).padStart(12, '0');
  const random = [...crypto.getRandomValues(new Uint8Array(10))].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8)}-7${random.slice(0, 3)}-a${random.slice(3, 6)}-${random.slice(6, 18)}`;
}

export function followUp(
  surveyId: string,
  options: { status?: FollowUpStatus; createdAt?: Date; customerId?: string } = {},
): FollowUp {
  const at = (options.createdAt ?? new Date()).toISOString();
  const responseId = newId(options.createdAt);
  return {
    id: followUpIdOf(surveyId, responseId),
    surveyId,
    responseId,
    responseDay: at.slice(0, 10),
    ...(options.customerId ? { customerId: options.customerId } : {}),
    score: { value: 1, min: 1, max: 5 },
    status: options.status ?? 'open',
    revision: 1,
    createdAt: at,
    updatedAt: at,
  };
}
