/** HTTP ↔ domain for survey definitions, analytics and follow-ups (admin API). */
import type { FollowUpService } from '../../domain/followups/followup-service';
import type { ExclusionService } from '../../domain/surveys/exclusion-service';
import type { RebuildService } from '../../domain/surveys/rebuild-service';
import type { ReportService } from '../../domain/surveys/report-service';
import type { ResponseStore } from '../../domain/surveys/response-store';
import type { Survey } from '../../domain/surveys/survey';
import type { SurveyService } from '../../domain/surveys/survey-service';
import type { Implementations } from '../../http/http-function';
import type { HttpReply } from '../../http/request';

type SurveyOperations = Pick<
  Implementations<'admin-api'>,
  | 'getCustomerResponses'
  | 'listSurveys'
  | 'createSurvey'
  | 'getSurvey'
  | 'updateSurvey'
  | 'closeSurvey'
  | 'getSurveyReport'
  | 'listSurveyComments'
  | 'exportSurveyResponses'
  | 'rebuildSurveyAggregates'
  | 'listFollowUps'
  | 'updateFollowUp'
  | 'listSurveyClients'
  | 'createExclusion'
  | 'listExclusions'
>;

export interface SurveyOperationDeps {
  surveys: SurveyService;
  reports: ReportService;
  responses: ResponseStore;
  rebuilds: RebuildService;
  followUps: FollowUpService;
  exclusions: ExclusionService;
}

const withEtag = (status: number, s: Survey): HttpReply => ({ status, body: s, headers: { etag: `"${s.revision}"` } });
type Json<T> = Exclude<T, string>;

export function surveyOperations(deps: SurveyOperationDeps): SurveyOperations {
  return {
    getCustomerResponses: async ({ params, query }) => ({
      status: 200,
      body: await deps.responses.listByCustomer(params.id, query.limit, query.cursor),
    }),

    listSurveys: async ({ query }) => ({
      status: 200,
      body: await deps.surveys.list({
        limit: query.limit,
        ...(query.cursor ? { cursor: query.cursor } : {}),
        ...(query.status ? { status: query.status } : {}),
      }),
    }),

    createSurvey: async ({ body }) => {
      const survey = await deps.surveys.create(body as Json<typeof body>);
      return {
        ...withEtag(201, survey),
        headers: { etag: `"${survey.revision}"`, location: `/v1/surveys/${survey.id}` },
      };
    },

    getSurvey: async ({ params }) => withEtag(200, await deps.surveys.get(params.id)),

    updateSurvey: async ({ params, body, ifMatch }) =>
      withEtag(200, await deps.surveys.update(params.id, body as Json<typeof body>, ifMatch)),

    closeSurvey: async ({ params, ifMatch }) => withEtag(200, await deps.surveys.close(params.id, ifMatch)),

    getSurveyReport: async ({ params, query }) => ({ status: 200, body: await deps.reports.report(params.id, query) }),

    listSurveyComments: async ({ params, query }) => ({
      status: 200,
      body: await deps.reports.comments(params.id, query),
    }),

    exportSurveyResponses: async ({ params, query }) => {
      const survey = await deps.surveys.get(params.id);
      const { from, to } = deps.reports.range(query);
      const page = await deps.responses.listRange({
        surveyId: survey.id,
        from,
        to,
        limit: query.limit,
        newestFirst: false,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      const headers: Record<string, string> = {};
      if (page.nextCursor) headers['rapport-next-cursor'] = page.nextCursor;
      return {
        status: 200,
        // Loaded on first use: only this export needs the CSV writer.
        text: (await import('../../domain/surveys/responses-csv')).responsesCsv(survey.questions, page.items, true),
        contentType: 'text/csv; charset=utf-8',
        headers,
      };
    },

    rebuildSurveyAggregates: async ({ params, body }) => ({
      status: 200,
      body: await deps.rebuilds.rebuild(params.id, body as Json<typeof body>),
    }),

    listSurveyClients: async ({ params, query }) => ({
      status: 200,
      body: await deps.exclusions.clients(params.id, query),
    }),

    createExclusion: async ({ params, body, identity }) => {
      const exclusion = await deps.exclusions.exclude(
        params.id,
        body as Json<typeof body>,
        identity?.subject ?? 'unknown',
      );
      return {
        status: 201,
        body: exclusion,
        headers: { location: `/v1/surveys/${params.id}/exclusions/${exclusion.id}` },
      };
    },

    listExclusions: async ({ params }) => ({ status: 200, body: { items: await deps.exclusions.list(params.id) } }),

    listFollowUps: async ({ query }) => ({ status: 200, body: await deps.followUps.list(query) }),

    updateFollowUp: async ({ params, body, ifMatch }) => {
      const next = await deps.followUps.patch(params.id, body as Json<typeof body>, ifMatch);
      return { status: 200, body: next, headers: { etag: `"${next.revision}"` } };
    },
  };
}
