/** Follow-up use cases: list by status or survey, and move a task forward. */
import { NotFoundError, PreconditionFailedError } from '../errors';
import type { Clock } from '../ports';
import { applyFollowUpPatch, type FollowUp, type FollowUpPatch } from './followup';
import type { FollowUpPage, FollowUpStore } from './followup-store';

export class FollowUpService {
  constructor(
    private readonly store: FollowUpStore,
    private readonly clock: Clock,
  ) {}

  list(query: {
    status?: FollowUp['status'];
    surveyId?: string;
    limit: number;
    cursor?: string;
  }): Promise<FollowUpPage> {
    const page = query.cursor ? { cursor: query.cursor } : {};
    if (!query.status && query.surveyId)
      return this.store.listBySurvey({ surveyId: query.surveyId, limit: query.limit, ...page });
    return this.store.list({
      status: query.status ?? 'open',
      limit: query.limit,
      ...(query.surveyId ? { surveyId: query.surveyId } : {}),
      ...page,
    });
  }

  async get(id: string): Promise<FollowUp> {
    const item = await this.store.get(id);
    if (!item) throw new NotFoundError(`follow-up ${id} does not exist`);
    return item;
  }

  async patch(id: string, patch: FollowUpPatch, expectedRevision?: number): Promise<FollowUp> {
    const current = await this.get(id);
    if (expectedRevision !== undefined && expectedRevision !== current.revision) {
      throw new PreconditionFailedError(`follow-up ${id} is at revision ${current.revision}, not ${expectedRevision}`);
    }
    const next = applyFollowUpPatch(current, patch, this.clock.now().toISOString());
    await this.store.update(current, next);
    return next;
  }
}
