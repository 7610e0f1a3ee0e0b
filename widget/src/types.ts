/**
 * The survey contract as `GET /v1/surveys/{id}/widget` returns it, imported (types only, erased by the
 * build) from the API's own definitions so the widget can never drift from what the server sends.
 */

import type { ResponseSubmission } from '../../functions/domain/surveys/response-schema';
import type { Locale, LocalText, Question } from '../../functions/domain/surveys/survey-schema';
import type { WidgetView } from '../../functions/domain/surveys/survey-service';

export type { Locale, LocalText, Question };
export type WidgetSurvey = WidgetView;
/** What the widget POSTs to `/v1/surveys/{id}/responses`: the API's own submission schema. */
export type SubmissionBody = ResponseSubmission;

export type ContactAnswer = { email: string; consent: boolean };
export type Answer = number | string | ContactAnswer;

/** What the host passes with `Rapport.open()` (or attributes): who answers, and context. */
export interface OpenOptions {
  /** Links the answer to the customer only with `customerSignature` or `identityToken` (signed by the site's server). */
  customerId?: string;
  /** HMAC-SHA256 (hex) of `customerId` with the identity secret. */
  customerSignature?: string;
  /** Short-lived HS256 JWT with `sub` = customer id, signed with the identity secret. */
  identityToken?: string;
  segment?: string;
  metadata?: Record<string, string | number | boolean>;
  /** Open even if sampling or the frequency cap would not show the survey to this visitor. */
  force?: boolean;
}

/**
 * What the survey UI asks of the loader (`window.Rapport.__ui`, a name the build does not shorten, as
 * the two halves are built apart): the UI never fetches, samples, stores or sends on its own.
 */
export interface LoaderBridge {
  /** The survey's definition (fetched once per page), from the element's `api` or the script tag's. */
  load(api: string | null, id: string): Promise<WidgetSurvey>;
  /** Whether this visitor is asked (targeting, sampling, cap, limits), for elements in the page's markup. */
  eligible(survey: WidgetSurvey): boolean;
  /** Queues an answer in the outbox under a fresh id (its time files the answer under its day); returns the id. */
  send(api: string | null, surveyId: string, body: Omit<SubmissionBody, 'id'>): string;
  /** Answered or dismissed: starts the frequency cap. */
  seen(surveyId: string): void;
}
