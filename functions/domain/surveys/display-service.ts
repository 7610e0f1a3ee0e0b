/**
 * Public funnel records: the same gate as answers (an active survey, an allowed Origin; the route's
 * body cap), filed under the day of the client's display id, stored once per (display, event).
 */
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import type { Clock } from '../ports';
import type { DisplayStore, SurveyDisplay } from './display';
import type { DisplaySubmission } from './display-schema';
import { reportSegment } from './report-segment';
import { dayOf } from './response';
import type { SurveyStore } from './survey-store';

export interface DisplayServiceDeps {
  surveys: Pick<SurveyStore, 'get'>;
  displays: DisplayStore;
  clock: Clock;
}

export class DisplayService {
  constructor(private readonly deps: DisplayServiceDeps) {}

  async record(
    surveyId: string,
    origin: string | undefined,
    body: DisplaySubmission,
  ): Promise<{ display: SurveyDisplay; created: boolean }> {
    const survey = await this.deps.surveys.get(surveyId);
    if (survey?.status !== 'active') throw new NotFoundError(`survey ${surveyId} is not open for answers`);
    if (!origin || !survey.delivery.allowedOrigins.includes(origin)) {
      throw new ForbiddenError(`this survey does not accept displays from ${origin ?? 'pages without an Origin'}`);
    }
    if (body.event === 'shown' && body.questionId !== undefined) {
      throw new ValidationError([
        { path: 'questionId', message: 'only a dismissal names the question it happened at' },
      ]);
    }
    if (body.questionId !== undefined && !survey.questions.some((q) => q.id === body.questionId)) {
      throw new ValidationError([{ path: 'questionId', message: `is not a question of survey ${surveyId}` }]);
    }
    const now = this.deps.clock.now();
    const segment = reportSegment(survey.delivery.segments, body.segment);
    const display: SurveyDisplay = {
      id: body.id,
      surveyId,
      event: body.event,
      day: dayOf(body.id, now),
      ...(body.questionId !== undefined ? { questionId: body.questionId } : {}),
      ...(segment !== undefined ? { segment } : {}),
      receivedAt: now.toISOString(),
    };
    const stored = await this.deps.displays.putOnce(display);
    if (stored.created) return { display, created: true };
    // A retry carries the same body; the same id and event with another question or segment is not one.
    const e = stored.existing;
    if (e.questionId !== display.questionId || e.segment !== display.segment) {
      throw new ConflictError(`display ${body.id} was already recorded as ${body.event} with different details`);
    }
    return { display: e, created: false };
  }
}
