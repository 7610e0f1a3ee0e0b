/**
 * The survey contract as `GET /v1/surveys/{id}/widget` returns it, imported (types only, erased by the
 * build) from the API's own definitions so the widget can never drift from what the server sends.
 */

import type { ResponseSubmission } from '../../functions/domain/surveys/response-schema';
import type { Locale, LocalText, Question } from '../../functions/domain/surveys/survey-schema';
import type { WidgetView } from '../../functions/domain/surveys/survey-service';
import type { Triggers } from '../../functions/domain/surveys/targeting-schema';
import type { Reason } from './reasons';

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
  load(api: string | null, id: string): WidgetSurvey | Promise<WidgetSurvey>;
  /** Whether this visitor is asked (targeting, sampling, cap, limits), for elements in the page's markup. */
  eligible(survey: WidgetSurvey): boolean;
  /** Queues an answer in the outbox under a fresh id (its time files the answer under its day); returns the id. */
  send(api: string | null, surveyId: string, body: Omit<SubmissionBody, 'id'>): string;
  /**
   * A card of this survey was shown, dismissed (at `questionId`) or submitted: the loader counts the
   * display, starts the recontact window and the frequency cap, and records the funnel.
   */
  on(event: CardEvent, survey: WidgetSurvey, detail: { questionId?: string | undefined }, el: CardElement): void;
}

/** What a `<rapport-survey>` element tells the page (as `rapport:<event>`) and the loader. */
export type CardEvent = 'shown' | 'dismissed' | 'submitted';

/** The `<rapport-survey>` element as the loader sees it. */
export type CardElement = HTMLElement & { open(options?: OpenOptions): void; options: OpenOptions; close(): void };

/**
 * One decision of the loader, kept for debug output: the survey and what happened, told apart by
 * its type: shown (why, a string), waiting (for these triggers, a list), not shown (the reason's code,
 * a number), or its definition could not be read (the error, with the survey's URL under the API).
 */
export type DebugLine =
  | [surveyId: string, detail: string | readonly string[] | Reason]
  | [surveyId: string, error: unknown, url: string];

/** The rarer triggers, armed: calls `fire` (with the words for debug output) when one fires; returns what it waits for. */
export type RareTriggers = (triggers: Triggers, fire: (why: string) => void, views: number) => string[];

/**
 * What the lazily fetched chunks hand the loader (`rapport-triggers`, `rapport-debug`), on
 * `window.Rapport` under names the build does not shorten (each chunk is built apart).
 */
export interface LoaderChunks {
  __triggers?: RareTriggers;
  /** Prints these decisions (after those handed over before), in words. */
  __debug?: (lines: DebugLine[]) => void;
}
