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
    let segment = reportSegment(survey.delivery.segments, body.segment);
    const event = (e: SurveyDisplay['event'], questionId?: string): SurveyDisplay => ({
      id: body.id,
      surveyId,
      event: e,
      day: dayOf(body.id, now),
      ...(questionId !== undefined ? { questionId } : {}),
      ...(segment !== undefined ? { segment } : {}),
      receivedAt: now.toISOString(),
    });
    if (body.event === 'dismissed') {
      // A card can only be closed once it was shown, so a dismissal records its display too, first
      // (the same idempotent put the `shown` record makes, whichever of the two arrives first: the
      // widget's outbox sends them in parallel and retries each on its own). Every counted dismissal
      // then has its display counted, in the same day and segment bucket, so drop-off never exceeds
      // displays, and a dismissal without a `shown` (forged, or its `shown` lost) counts as a display.
      // Read first: a failed conditional put costs a write unit, and display partitions are sized
      // by their writes (docs/scaling.md), while nearly every dismissal finds its display recorded.
      const recorded = await this.deps.displays.find({
        surveyId,
        day: dayOf(body.id, now),
        id: body.id,
        event: 'shown',
      });
      const shown = recorded
        ? { created: false as const, existing: recorded }
        : await this.deps.displays.putOnce(event('shown'));
      // The display's bucket is where it was first recorded: its dismissal is counted there too.
      if (!shown.created) segment = shown.existing.segment;
    }
    const display = event(body.event, body.questionId);
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
