/**
 * Public submissions: checked against the survey version they answer, linked to a customer only when
 * the site proved who it is (a signed customer id or identity token), stored exactly once under the
 * client's id.
 *
 * The public function never reads customer records (a compromise of the internet-facing function
 * must not expose personal data): it stores the verified id, and the stream aggregator — which has
 * the rights — confirms the customer exists, follows a merge to its survivor, or drops the link.
 */

import {
  type IdentityCheck,
  type IdentityClaim,
  UNVERIFIED_HELP,
  type UnverifiedReason,
} from '../customers/identity-verification';
import { ConflictError, ForbiddenError, NotFoundError, TooManyRequestsError, ValidationError } from '../errors';
import type { Clock } from '../ports';
import { type Answers, validateAnswers } from './answers';
import { type ClientInfo, clientHashOf, type SaltStore } from './client-fingerprint';
import { type RejectionReason, SubmissionRejected } from './rejection';
import { reportSegment } from './report-segment';
import { dayOf, factsOf, hashBody, type SurveyResponse, satisfiedOf, storedPage } from './response';
import type { ResponseSubmission } from './response-schema';
import type { ResponseStore } from './response-store';
import type { SubmissionLimiter } from './submission-limiter';
import { pickLocale } from './survey';
import type { SurveyStore } from './survey-store';

/** The per-survey budget of surveys saved before the setting existed. */
export const DEFAULT_RESPONSES_PER_MINUTE = 600;

export interface ResponseServiceDeps {
  surveys: SurveyStore;
  responses: ResponseStore;
  identity: { check(claim: IdentityClaim, now: Date): Promise<IdentityCheck | undefined> };
  clock: Clock;
  /** The survey's own per-minute budget; without it, submissions are not limited per survey. */
  limiter?: SubmissionLimiter;
  /** Daily salts for the client hash kept with each response; without them no hash is kept. */
  salts?: SaltStore;
}

export interface SubmissionResult {
  response: SurveyResponse;
  /** False when this was a retry of a response already stored. */
  created: boolean;
  /** Whether the headline answer counts as satisfied (for the CSAT business metric). */
  satisfied?: boolean;
}

/** Deliberately vague: it must not tell a bot which field tripped it. */
export const HONEYPOT_MESSAGE = 'this submission cannot be accepted';

/** The honeypot counts as filled in unless it is absent, null or an empty string. */
const isFilledIn = (value: unknown) => value !== undefined && value !== null && value !== '';

/** What the 201 says about the identity an answer named. */
export type IdentityOutcome =
  | { identity: 'verified' }
  | { identity: 'unverified'; identityProblem: { reason: UnverifiedReason; detail: string } }
  | Record<string, never>;

export function identityOutcomeOf(response: SurveyResponse): IdentityOutcome {
  if (!response.identity) return {};
  return response.identity.verified
    ? { identity: 'verified' }
    : {
        identity: 'unverified',
        identityProblem: { reason: response.identity.reason, detail: UNVERIFIED_HELP[response.identity.reason] },
      };
}

export class ResponseService {
  constructor(private readonly deps: ResponseServiceDeps) {}

  /** Origins allowed to embed the survey (CORS): empty for surveys that are not active. */
  async allowedOrigins(surveyId: string): Promise<string[]> {
    const survey = await this.deps.surveys.get(surveyId);
    return survey?.status === 'active' ? survey.delivery.allowedOrigins : [];
  }

  async submit(
    surveyId: string,
    origin: string | undefined,
    body: ResponseSubmission,
    client?: ClientInfo,
  ): Promise<SubmissionResult> {
    const reject = (reason: RejectionReason, error: Error): never => {
      throw new SubmissionRejected(reason, error);
    };
    const survey = await this.deps.surveys.get(surveyId);
    if (survey?.status !== 'active')
      return reject('survey-not-open', new NotFoundError(`survey ${surveyId} is not open for answers`));
    if (!origin || !survey.delivery.allowedOrigins.includes(origin)) {
      return reject(
        'origin-not-allowed',
        new ForbiddenError(`this survey does not accept answers from ${origin ?? 'pages without an Origin'}`),
      );
    }
    if (isFilledIn(body.website)) return reject('honeypot', new ValidationError([], HONEYPOT_MESSAGE));

    // Another version (older, or newer than a cached definition): its immutable snapshot decides.
    const questions =
      body.surveyVersion === survey.version
        ? survey.questions
        : await this.deps.surveys.getVersion(surveyId, body.surveyVersion);
    if (!questions) {
      return reject(
        'invalid',
        new ValidationError([
          { path: 'surveyVersion', message: `version ${body.surveyVersion} of this survey does not exist` },
        ]),
      );
    }
    let answers: Answers;
    try {
      answers = validateAnswers(questions, body.answers);
      if (Object.keys(answers).length === 0)
        throw new ValidationError([{ path: 'answers', message: 'answer at least one question' }]);
    } catch (err) {
      return reject('invalid', err as Error);
    }
    const now = this.deps.clock.now();
    let day: string;
    try {
      day = dayOf(body.id, now);
    } catch (err) {
      return reject('invalid', err as Error);
    }
    if (this.deps.limiter) {
      const perMinute = survey.delivery.maxResponsesPerMinute ?? DEFAULT_RESPONSES_PER_MINUTE;
      const take = await this.deps.limiter.take(surveyId, perMinute, body.id);
      if (!take.allowed) {
        return reject(
          'rate-limited',
          new TooManyRequestsError(
            `this survey accepts ${perMinute} answers a minute and has had them: the answer is kept and can be sent again in ${take.retryAfterSeconds} s`,
            take.retryAfterSeconds,
          ),
        );
      }
    }
    const clientHash =
      client && this.deps.salts
        ? clientHashOf(await this.deps.salts.saltFor(now.toISOString().slice(0, 10)), client)
        : undefined;
    const identity = await this.deps.identity.check(
      { customerId: body.customerId, customerSignature: body.customerSignature, identityToken: body.identityToken },
      now,
    );
    const { website: _w, ...hashed } = body;
    const response: SurveyResponse = {
      id: body.id,
      surveyId,
      surveyVersion: body.surveyVersion,
      day,
      receivedAt: now.toISOString(),
      locale: pickLocale(survey, body.locale),
      answers,
      facts: factsOf(questions, answers, reportSegment(survey.delivery.segments, body.segment)),
      // The signature and token are credentials: only their hash (inside bodyHash) is kept.
      bodyHash: hashBody(hashed),
      ...identityFields(identity),
      ...(body.email ? { contact: { email: body.email, verified: false as const } } : {}),
      ...(body.segment ? { segment: body.segment } : {}),
      ...(body.page ? { page: storedPage(body.page, survey.delivery.keepPageQuery === true) } : {}),
      ...(body.metadata ? { metadata: body.metadata } : {}),
      ...(clientHash ? { clientHash } : {}),
    };
    const stored = await this.deps.responses.putOnce(response);
    const satisfied = satisfiedOf(questions, answers);
    if (stored.created) return { response, created: true, ...(satisfied !== undefined ? { satisfied } : {}) };
    if (stored.existing.bodyHash !== response.bodyHash || stored.existing.surveyId !== surveyId) {
      return reject('conflict', new ConflictError(`response ${body.id} was already submitted with different answers`));
    }
    return { response: stored.existing, created: false };
  }
}

/** A verified identity links the answer; an unverified one is kept as a claim that never links. */
function identityFields(check: IdentityCheck | undefined): Partial<SurveyResponse> {
  if (!check) return {};
  if (check.verified) return { customerId: check.customerId, identity: { verified: true, method: check.method } };
  return {
    identity: { verified: false, reason: check.reason },
    ...(check.customerId ? { unverifiedCustomerId: check.customerId } : {}),
  };
}
