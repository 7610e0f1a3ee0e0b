/**
 * Repair: recompute a survey's daily aggregates from the raw responses (after a bug in how facts were
 * counted, say, or stream records that were dead-lettered). Paged by day and resumable: each call
 * rebuilds up to `DAYS_PER_CALL` days and returns a cursor for the next. Each day is replaced with
 * counts of every stored response; responses the stream has not counted yet are marked counted, so
 * neither path ever counts a response twice. The day's detractors get their follow-up tasks if the
 * stream never opened them, and existing tasks the score and segment their response gives.
 */
import { NotFoundError, ServiceUnavailableError, ValidationError } from '../errors';
import type { FollowUp } from '../followups/followup';
import type { FollowUpStore } from '../followups/followup-store';
import type { Clock } from '../ports';
import { bucketDays } from '../statistics';
import type { AggregateRow, AggregateStore } from './aggregate-store';
import { sumRows } from './aggregation';
import { reportSegment } from './report-segment';
import { factsOf } from './response';
import { consequencesOf } from './response-consequences';
import type { ResponseStore } from './response-store';
import type { Survey, VersionedQuestion } from './survey';
import type { SurveyStore } from './survey-store';

export const DAYS_PER_CALL = 7;
/** Older responses can no longer arrive through the stream (24-hour retention, plus a margin). */
export const STREAM_HORIZON_MS = 26 * 3600 * 1000;
const ATTEMPTS = 3;

export interface RebuildDeps {
  surveys: SurveyStore;
  responses: ResponseStore;
  aggregates: AggregateStore;
  followUps: Pick<FollowUpStore, 'restore'>;
  clock: Clock;
}

export interface RebuildResult {
  /** Per day: responses counted, and follow-up tasks created or corrected. */
  rebuilt: { day: string; responses: number; followUpsRestored: number }[];
  nextCursor?: string;
}

export class RebuildService {
  constructor(private readonly deps: RebuildDeps) {}

  async rebuild(surveyId: string, request: { from: string; to: string; cursor?: string }): Promise<RebuildResult> {
    const survey = await this.deps.surveys.get(surveyId);
    if (!survey) throw new NotFoundError(`survey ${surveyId} does not exist`);
    let days: string[];
    try {
      days = bucketDays(request.from, request.to, 'day');
    } catch (err) {
      throw new ValidationError([{ path: 'from', message: (err as Error).message }]);
    }
    let start = 0;
    if (request.cursor) {
      start = days.indexOf(request.cursor);
      if (start < 0) throw new ValidationError([{ path: 'cursor', message: 'is not a day of this range' }]);
    }
    const versions = new Map<number, VersionedQuestion[]>();
    const rebuilt: RebuildResult['rebuilt'] = [];
    for (const day of days.slice(start, start + DAYS_PER_CALL))
      rebuilt.push({ day, ...(await this.rebuildDay(survey, day, versions)) });
    const next = days[start + DAYS_PER_CALL];
    return { rebuilt, ...(next ? { nextCursor: next } : {}) };
  }

  /** Rebuilds these days of the survey now (an exclusion uses it after marking responses). */
  async rebuildDays(survey: Survey, days: readonly string[]): Promise<RebuildResult['rebuilt']> {
    const versions = new Map<number, VersionedQuestion[]>();
    const rebuilt: RebuildResult['rebuilt'] = [];
    for (const day of days) rebuilt.push({ day, ...(await this.rebuildDay(survey, day, versions)) });
    return rebuilt;
  }

  private async rebuildDay(
    survey: Survey,
    day: string,
    versions: Map<number, VersionedQuestion[]>,
  ): Promise<{ responses: number; followUpsRestored: number }> {
    const surveyId = survey.id;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const horizon = new Date(this.deps.clock.now().getTime() - STREAM_HORIZON_MS).toISOString();
      const recent: string[] = [];
      const expectedN = await this.deps.aggregates.dayCount(surveyId, day);
      const rows = new Map<string, AggregateRow>();
      const followUps: FollowUp[] = [];
      let counted = 0;
      let cursor: string | undefined;
      do {
        const page = await this.deps.responses.listRange({
          surveyId,
          from: day,
          to: day,
          limit: 500,
          newestFirst: false,
          consistent: true,
          ...(cursor ? { cursor } : {}),
        });
        for (const response of page.items) {
          if (response.receivedAt >= horizon) recent.push(response.id);
          // An excluded response counts nowhere; marking it counted (with the recent ones) also keeps
          // the stream from adding it later.
          if (response.excluded) continue;
          let questions = versions.get(response.surveyVersion);
          if (!questions) {
            questions = (await this.deps.surveys.getVersion(surveyId, response.surveyVersion)) ?? [];
            versions.set(response.surveyVersion, questions);
          }
          counted++;
          const facts = factsOf(questions, response.answers, reportSegment(survey.delivery.segments, response.segment));
          // The same rules as the stream's, applied to the recomputed facts.
          const effects = consequencesOf({ ...response, facts });
          sumRows(rows, effects.aggregates);
          if (effects.followUp) followUps.push(effects.followUp);
        }
        cursor = page.nextCursor;
      } while (cursor);
      const uncounted = recent.length ? await this.deps.aggregates.uncounted(surveyId, recent) : [];
      if (await this.deps.aggregates.replaceDay(surveyId, day, [...rows.values()], expectedN, uncounted)) {
        return { responses: counted, followUpsRestored: await this.deps.followUps.restore(followUps) };
      }
    }
    throw new ServiceUnavailableError(
      `responses for ${day} kept arriving during the rebuild; nothing is lost: rebuild the day again`,
      5,
    );
  }
}
