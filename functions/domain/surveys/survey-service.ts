/** Survey use cases: define, version, activate, close, list, and the public view the widget renders. */
import type * as z from 'zod';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../errors';
import type { Clock, IdGenerator } from '../ports';
import { defaultSiteSettings } from './site-settings-schema';
import type { SiteSettingsStore } from './site-settings-store';
import { nextQuestions, type Survey, stripSince } from './survey';
import type { SurveyCreate, SurveyStatus, SurveyUpdate } from './survey-schema';
import type { SurveyPage, SurveyStore } from './survey-store';
import type { widgetSurveySchema } from './widget-survey-schema';

export interface SurveyServiceDeps {
  store: SurveyStore;
  /** The site-wide settings the widget needs with each survey (the recontact window). */
  site: SiteSettingsStore;
  clock: Clock;
  ids: IdGenerator;
}

/** What the widget needs (no internal fields: origins, names, versions' history): its one schema's type. */
export type WidgetView = z.infer<typeof widgetSurveySchema>;

export class SurveyService {
  constructor(private readonly deps: SurveyServiceDeps) {}

  async create(input: SurveyCreate): Promise<Survey> {
    const now = this.deps.clock.now().toISOString();
    const survey: Survey = {
      ...input,
      id: this.deps.ids.next('survey'),
      status: 'draft',
      version: 1,
      revision: 1,
      questions: input.questions.map((q) => ({ ...q, since: 1 })),
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.deps.store.create(survey);
      return survey;
    } catch (err) {
      // Only a retry of this very create (same Idempotency-Key, hence the same id) finds the id taken.
      const stored = err instanceof ConflictError ? await this.deps.store.get(survey.id) : undefined;
      if (stored) return stored;
      throw err;
    }
  }

  async get(id: string): Promise<Survey> {
    const survey = await this.deps.store.get(id);
    if (!survey) throw new NotFoundError(`survey ${id} does not exist`);
    return survey;
  }

  list(options: { limit: number; cursor?: string; status?: SurveyStatus }): Promise<SurveyPage> {
    return this.deps.store.list(options);
  }

  async update(id: string, input: SurveyUpdate, expectedRevision?: number): Promise<Survey> {
    const current = await this.get(id);
    this.checkRevision(current, expectedRevision);
    if (current.status === 'closed') throw new ConflictError(`survey ${id} is closed and can no longer be edited`);
    const { status, questions, ...rest } = input;
    const nextStatus = status ?? current.status;
    if (current.status === 'active' && nextStatus === 'draft') {
      throw new ConflictError('a survey that is live cannot go back to draft: close it instead');
    }
    const now = this.deps.clock.now().toISOString();
    const versioned = nextQuestions(current, questions);
    const next: Survey = {
      ...current,
      ...rest,
      status: nextStatus,
      version: versioned.version,
      questions: versioned.questions,
      revision: current.revision + 1,
      updatedAt: now,
      ...(nextStatus === 'active' && !current.activatedAt ? { activatedAt: now } : {}),
    };
    await this.deps.store.update(current, next);
    return next;
  }

  async close(id: string, expectedRevision?: number): Promise<Survey> {
    const current = await this.get(id);
    this.checkRevision(current, expectedRevision);
    if (current.status === 'closed') return current;
    const now = this.deps.clock.now().toISOString();
    const next: Survey = {
      ...current,
      status: 'closed',
      revision: current.revision + 1,
      updatedAt: now,
      closedAt: now,
    };
    await this.deps.store.update(current, next);
    return next;
  }

  /** The active survey as the widget renders it; draft, closed and unknown surveys are all "not found". */
  async widgetView(id: string): Promise<WidgetView> {
    const [survey, site] = await Promise.all([this.deps.store.get(id), this.deps.site.get()]);
    if (survey?.status !== 'active') throw new NotFoundError(`survey ${id} is not open for answers`);
    return {
      id: survey.id,
      version: survey.version,
      locales: survey.locales,
      defaultLocale: survey.defaultLocale,
      title: survey.title,
      ...(survey.thankYou ? { thankYou: survey.thankYou } : {}),
      questions: survey.questions.map(stripSince),
      delivery: { samplingRate: survey.delivery.samplingRate, frequencyCapDays: survey.delivery.frequencyCapDays },
      ...(survey.targeting ? { targeting: survey.targeting } : {}),
      recontactDays: (site ?? defaultSiteSettings).recontactDays,
    };
  }

  private checkRevision(current: Survey, expected: number | undefined) {
    if (expected !== undefined && expected !== current.revision) {
      throw new PreconditionFailedError(`survey ${current.id} is at revision ${current.revision}, not ${expected}`, {
        currentRevision: current.revision,
      });
    }
  }
}
