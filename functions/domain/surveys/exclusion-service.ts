/**
 * Excluding abuse: find the responses of a time range (optionally one client's), mark them excluded,
 * close their follow-ups, and rebuild the days they fell on from the remaining raw responses — the
 * same repair path as `POST …/aggregates/rebuild`, so the figures are exact again. Every step can be
 * repeated: a retried exclusion (same Idempotency-Key, hence the same id) finishes what the first
 * attempt started.
 */
import { NotFoundError, ValidationError } from '../errors';
import { followUpIdOf } from '../followups/followup-id';
import type { FollowUpStore } from '../followups/followup-store';
import type { Clock, IdGenerator } from '../ports';
import { bucketDays } from '../statistics';
import type { ClientsQuery, Exclusion, ExclusionRequest, ExclusionStore } from './exclusion';
import { EXCLUSION_MAX_RESPONSES } from './exclusion';
import type { RebuildService } from './rebuild-service';
import type { SurveyResponse } from './response';
import { consequencesOf } from './response-consequences';
import type { ResponseStore } from './response-store';
import type { SurveyStore } from './survey-store';

export interface ExclusionDeps {
  surveys: SurveyStore;
  responses: ResponseStore;
  followUps: Pick<FollowUpStore, 'get' | 'update' | 'restore'>;
  exclusions: ExclusionStore;
  rebuilds: Pick<RebuildService, 'rebuildDays'>;
  clock: Clock;
  ids: IdGenerator;
}

const CONCURRENCY = 16;

export interface ClientSummary {
  clientHash: string;
  responses: number;
  detractors: number;
  firstAt: string;
  lastAt: string;
}

export class ExclusionService {
  constructor(private readonly deps: ExclusionDeps) {}

  async exclude(surveyId: string, request: ExclusionRequest, actor: string): Promise<Exclusion> {
    const survey = await this.deps.surveys.get(surveyId);
    if (!survey) throw new NotFoundError(`survey ${surveyId} does not exist`);
    const { days, matches } = await this.responsesIn(surveyId, request.from, request.to, (r) =>
      request.clientHash ? r.clientHash === request.clientHash : true,
    );
    const exclusion = await this.deps.exclusions.putOnce({
      id: this.deps.ids.next('exclusion'),
      surveyId,
      from: new Date(request.from).toISOString(),
      to: new Date(request.to).toISOString(),
      ...(request.clientHash ? { clientHash: request.clientHash } : {}),
      reason: request.reason,
      createdBy: actor,
      createdAt: this.deps.clock.now().toISOString(),
      excluded: 0,
      followUpsClosed: 0,
    });
    const at = this.deps.clock.now().toISOString();
    let followUpsClosed = 0;
    const pending = matches.filter((r) => !r.excluded || r.excluded.exclusionId === exclusion.id);
    await inBatches(pending, async (response) => {
      await this.deps.responses.markExcluded(response, { exclusionId: exclusion.id, at });
      if (response.facts.detractor && (await this.closeFollowUp(response, at))) followUpsClosed++;
    });
    // Rebuilding every day of the range, not only those with matches, keeps a retry simple and exact.
    await this.deps.rebuilds.rebuildDays(survey, days);
    const done = { ...exclusion, excluded: pending.length, followUpsClosed };
    await this.deps.exclusions.update(done);
    return done;
  }

  list(surveyId: string): Promise<Exclusion[]> {
    return this.deps.exclusions.list(surveyId);
  }

  /** Who sent the answers of a time range, busiest first: how a flood shows itself. */
  async clients(surveyId: string, query: ClientsQuery): Promise<{ items: ClientSummary[] }> {
    const survey = await this.deps.surveys.get(surveyId);
    if (!survey) throw new NotFoundError(`survey ${surveyId} does not exist`);
    const { matches } = await this.responsesIn(surveyId, query.from, query.to, (r) => !r.excluded);
    const byClient = new Map<string, ClientSummary>();
    for (const r of matches) {
      if (!r.clientHash) continue;
      const summary = byClient.get(r.clientHash) ?? {
        clientHash: r.clientHash,
        responses: 0,
        detractors: 0,
        firstAt: r.receivedAt,
        lastAt: r.receivedAt,
      };
      summary.responses++;
      if (r.facts.detractor) summary.detractors++;
      if (r.receivedAt < summary.firstAt) summary.firstAt = r.receivedAt;
      if (r.receivedAt > summary.lastAt) summary.lastAt = r.receivedAt;
      byClient.set(r.clientHash, summary);
    }
    return { items: [...byClient.values()].sort((a, b) => b.responses - a.responses).slice(0, 50) };
  }

  private async responsesIn(
    surveyId: string,
    from: string,
    to: string,
    keep: (r: SurveyResponse) => boolean,
  ): Promise<{ days: string[]; matches: SurveyResponse[] }> {
    const fromIso = new Date(from).toISOString();
    const toIso = new Date(to).toISOString();
    const days = bucketDays(fromIso.slice(0, 10), toIso.slice(0, 10), 'day');
    const matches: SurveyResponse[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.responses.listRange({
        surveyId,
        from: fromIso.slice(0, 10),
        to: toIso.slice(0, 10),
        limit: 1000,
        newestFirst: false,
        consistent: true,
        ...(cursor ? { cursor } : {}),
      });
      for (const r of page.items) {
        if (r.receivedAt >= fromIso && r.receivedAt < toIso && keep(r)) matches.push(r);
      }
      if (matches.length > EXCLUSION_MAX_RESPONSES) {
        throw new ValidationError([
          {
            path: 'to',
            message: `more than ${EXCLUSION_MAX_RESPONSES} responses fall in this range: split it into narrower ranges`,
          },
        ]);
      }
      cursor = page.nextCursor;
    } while (cursor);
    return { days, matches };
  }

  /**
   * True when the response's follow-up is closed as excluded (now or by an earlier attempt). The stream
   * opens a detractor's task seconds after the answer, with a put that leaves an existing task alone;
   * if it has not yet, the task is created here already closed (the stream's rules, by the same id), so
   * the stream's later put finds it instead of opening a task for an excluded answer. If the stream's
   * put came first, its open task is the one closed.
   */
  private async closeFollowUp(response: SurveyResponse, at: string): Promise<boolean> {
    const id = followUpIdOf(response.surveyId, response.id);
    let current = await this.deps.followUps.get(id);
    if (!current) {
      const task = consequencesOf(response).followUp;
      if (!task) return false;
      await this.deps.followUps.restore([{ ...task, status: 'excluded', updatedAt: at }]);
      current = await this.deps.followUps.get(id);
      if (!current) return false;
    }
    if (current.status !== 'excluded')
      await this.deps.followUps.update(current, {
        ...current,
        status: 'excluded',
        revision: current.revision + 1,
        updatedAt: at,
      });
    return true;
  }
}

async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}
