/**
 * Route-table-driven fixtures for the fuzz, fault and security suites: a valid request for every
 * operation (keyed by operationId, so adding a route without a sample here is a type error) and the
 * survey definition the suites publish.
 */
import { monotonicFactory } from 'ulid';
import { type OperationId, type RouteDefinition, routes } from '../../functions/contracts/routes';

export const SHOP = 'https://shop.example.com';

const text = (en: string, zh: string) => ({ en, 'zh-CN': zh });

/** A two-locale survey with every question type; `overall` is the headline Likert. */
export function surveyDefinition(allowedOrigins: readonly string[] = [SHOP]) {
  return {
    name: 'Pressure test',
    locales: ['en', 'zh-CN'],
    defaultLocale: 'en',
    title: text('How was it?', '怎么样？'),
    thankYou: text('Thanks!', '谢谢！'),
    questions: [
      { id: 'overall', type: 'likert', points: 5, required: true, overall: true, text: text('Overall', '总体') },
      { id: 'delivery', type: 'likert', points: 5, text: text('Delivery', '配送') },
      { id: 'nps', type: 'nps', text: text('Recommend us?', '推荐吗？') },
      { id: 'effort', type: 'ces', text: text('It was easy', '很容易') },
      {
        id: 'channel',
        type: 'single_choice',
        text: text('Channel', '渠道'),
        options: [
          { id: 'web', label: text('Web', '网站') },
          { id: 'app', label: text('App', '应用') },
        ],
      },
      { id: 'comment', type: 'text', maxLength: 500, text: text('Anything else?', '还有吗？') },
    ],
    delivery: { allowedOrigins: [...allowedOrigins], samplingRate: 1, frequencyCapDays: 30, segments: ['vip', 'smb'] },
  };
}

const nextUlid = monotonicFactory();
/** A fresh, time-ordered client id (what the widget generates). */
export const responseId = (): string => nextUlid();

/** A submission that version 1 of `surveyDefinition()` accepts. */
export function validSubmission(overrides: Record<string, unknown> = {}) {
  return {
    id: responseId(),
    surveyVersion: 1,
    locale: 'en',
    answers: { overall: 4, nps: 9, comment: 'fine' },
    ...overrides,
  };
}

/** Ids of records the samples refer to. Unknown ids (well-formed but absent) are fine for most routes. */
export interface FixtureIds {
  readonly customerId: string;
  /** A second customer, merged into the first by `mergeCustomers`. */
  readonly duplicateId: string;
  readonly surveyId: string;
  readonly followUpId: string;
  /** A webhook subscription (absent = a well-formed unknown id). */
  readonly webhookId?: string;
}

export interface SampleRequest {
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export const ABSENT_ID = '01JABCDEFGHJKMNPQRSTVWXYZ0';
const today = () => new Date().toISOString().slice(0, 10);

const unsubscribeQuery = (ids: FixtureIds) => ({
  survey: ids.surveyId,
  recipient: '0'.repeat(32),
  signature: 'A'.repeat(43),
});

/** One valid request per operation. */
export const samples: { readonly [Op in OperationId]: (ids: FixtureIds) => SampleRequest } = {
  getHealth: () => ({ path: '/v1/health' }),
  getOpenApi: () => ({ path: '/v1/openapi.json' }),
  listCustomers: () => ({ path: '/v1/customers', query: { limit: '5' } }),
  createCustomer: () => ({
    path: '/v1/customers',
    body: { name: 'Han Meimei', email: `han.${responseId().toLowerCase()}@example.cn` },
  }),
  lookupCustomer: () => ({ path: '/v1/customers/lookup', query: { email: 'nobody@example.cn' } }),
  exportCustomers: () => ({ path: '/v1/customers/export', query: { format: 'jsonl', limit: '5' } }),
  importCustomers: () => ({
    path: '/v1/customers/import',
    body: [{ name: 'Imported One', email: `imp.${responseId().toLowerCase()}@example.cn` }, { name: 'Imported Two' }],
  }),
  getCustomerQuality: () => ({ path: '/v1/customers/quality' }),
  getCustomer: (ids) => ({ path: `/v1/customers/${ids.customerId}` }),
  updateCustomer: (ids) => ({ path: `/v1/customers/${ids.customerId}`, body: { company: 'ACME', tags: ['vip'] } }),
  deleteCustomer: (ids) => ({ path: `/v1/customers/${ids.customerId}` }),
  mergeCustomers: (ids) => ({ path: `/v1/customers/${ids.customerId}/merge`, body: { duplicateId: ids.duplicateId } }),
  getCustomerResponses: (ids) => ({ path: `/v1/customers/${ids.customerId}/responses` }),
  exportCustomerData: (ids) => ({ path: `/v1/customers/${ids.customerId}/personal-data` }),
  listUnverifiedResponses: (ids) => ({ path: `/v1/customers/${ids.customerId}/unverified-responses` }),
  eraseCustomer: (ids) => ({ path: `/v1/customers/${ids.customerId}/erase` }),
  getIdentitySecret: () => ({ path: '/v1/identity/secret' }),
  createIdentitySecret: () => ({ path: '/v1/identity/secret', body: {} }),
  rotateIdentitySecret: () => ({ path: '/v1/identity/secret/rotate', body: { graceHours: 24 } }),
  getSiteSettings: () => ({ path: '/v1/site-settings' }),
  updateSiteSettings: () => ({ path: '/v1/site-settings', body: { recontactDays: 7 } }),
  listSurveys: () => ({ path: '/v1/surveys' }),
  createSurvey: () => ({ path: '/v1/surveys', body: surveyDefinition() }),
  getSurvey: (ids) => ({ path: `/v1/surveys/${ids.surveyId}` }),
  updateSurvey: (ids) => ({
    path: `/v1/surveys/${ids.surveyId}`,
    body: { ...surveyDefinition(), name: 'Renamed', status: 'active' },
  }),
  closeSurvey: (ids) => ({ path: `/v1/surveys/${ids.surveyId}/close` }),
  getSurveyReport: (ids) => ({ path: `/v1/surveys/${ids.surveyId}/report` }),
  listSurveyComments: (ids) => ({ path: `/v1/surveys/${ids.surveyId}/comments` }),
  exportSurveyResponses: (ids) => ({ path: `/v1/surveys/${ids.surveyId}/responses/export` }),
  rebuildSurveyAggregates: (ids) => ({
    path: `/v1/surveys/${ids.surveyId}/aggregates/rebuild`,
    body: { from: today(), to: today() },
  }),
  listSurveyClients: (ids) => ({
    path: `/v1/surveys/${ids.surveyId}/clients`,
    query: { from: `${today()}T00:00:00Z`, to: `${today()}T23:59:59Z` },
  }),
  createExclusion: (ids) => ({
    path: `/v1/surveys/${ids.surveyId}/exclusions`,
    body: { from: `${today()}T00:00:00Z`, to: `${today()}T23:59:59Z`, reason: 'scripted answers' },
  }),
  listExclusions: (ids) => ({ path: `/v1/surveys/${ids.surveyId}/exclusions` }),
  listAudit: () => ({ path: '/v1/audit' }),
  verifyAudit: () => ({ path: '/v1/audit/verify' }),
  getSurveyAlerts: (ids) => ({ path: `/v1/surveys/${ids.surveyId}/alerts` }),
  listFollowUps: () => ({ path: '/v1/followups' }),
  updateFollowUp: (ids) => ({
    path: `/v1/followups/${ids.followUpId}`,
    body: { status: 'contacted', note: 'called back' },
  }),
  listWebhooks: () => ({ path: '/v1/webhooks' }),
  createWebhook: () => ({
    path: '/v1/webhooks',
    body: { url: 'https://hooks.example.com/rapport', events: ['response.created'], description: 'CRM sync' },
  }),
  getWebhook: (ids) => ({ path: `/v1/webhooks/${ids.webhookId ?? ABSENT_ID}` }),
  updateWebhook: (ids) => ({ path: `/v1/webhooks/${ids.webhookId ?? ABSENT_ID}`, body: { enabled: false } }),
  deleteWebhook: (ids) => ({ path: `/v1/webhooks/${ids.webhookId ?? ABSENT_ID}` }),
  rotateWebhookSecret: (ids) => ({
    path: `/v1/webhooks/${ids.webhookId ?? ABSENT_ID}/rotate`,
    body: { graceHours: 24 },
  }),
  listWebhookDeliveries: (ids) => ({ path: `/v1/webhooks/${ids.webhookId ?? ABSENT_ID}/deliveries` }),
  getWebhookDelivery: (ids) => ({ path: `/v1/webhooks/${ids.webhookId ?? ABSENT_ID}/deliveries/${ABSENT_ID}` }),
  replayWebhookDelivery: (ids) => ({
    path: `/v1/webhooks/${ids.webhookId ?? ABSENT_ID}/deliveries/${ABSENT_ID}/replay`,
    body: {},
  }),
  replayWebhookDeliveries: (ids) => ({
    path: `/v1/webhooks/${ids.webhookId ?? ABSENT_ID}/replay`,
    body: { from: `${today()}T00:00:00Z`, to: `${today()}T23:59:59Z` },
  }),
  getSurveyWidget: (ids) => ({ path: `/v1/surveys/${ids.surveyId}/widget`, headers: { origin: SHOP } }),
  submitResponse: (ids) => ({
    path: `/v1/surveys/${ids.surveyId}/responses`,
    body: validSubmission(),
    headers: { origin: SHOP },
  }),
  // Well-formed links whose signature does not hold: the routes answer 403 and write nothing.
  showUnsubscribe: (ids) => ({ path: '/v1/unsubscribe', query: unsubscribeQuery(ids) }),
  unsubscribe: (ids) => ({
    path: '/v1/unsubscribe',
    query: unsubscribeQuery(ids),
    rawBody: 'List-Unsubscribe=One-Click',
    contentType: 'application/x-www-form-urlencoded',
  }),
  preflightResponses: (ids) => ({
    path: `/v1/surveys/${ids.surveyId}/responses`,
    headers: { origin: SHOP, 'access-control-request-method': 'POST' },
  }),
  recordDisplay: (ids) => ({
    path: `/v1/surveys/${ids.surveyId}/displays`,
    body: { id: validSubmission().id, event: 'shown' },
    headers: { origin: SHOP },
  }),
  preflightDisplays: (ids) => ({
    path: `/v1/surveys/${ids.surveyId}/displays`,
    headers: { origin: SHOP, 'access-control-request-method': 'POST' },
  }),
};

/** Every route, typed loosely (the table's literal types are for the handlers). */
export const allRoutes: readonly RouteDefinition[] = routes;

export const label = (route: RouteDefinition) => `${route.operationId} (${route.method} ${route.path})`;

/** Fills `{param}` segments, URL-encoding each value (lone surrogates, which no URL can carry, become U+FFFD). */
export function fillPath(routePath: string, value: string | ((name: string) => string)): string {
  return routePath.replace(/\{([^}+]+)\+?\}/g, (_m, name: string) =>
    encodeURIComponent(Buffer.from(typeof value === 'function' ? value(name) : value, 'utf8').toString('utf8')),
  );
}

/** Creates a survey through the admin API and publishes it; returns its id. */
export async function publishSurvey(
  rt: {
    tokens: { admin: string };
    request: (
      method: string,
      path: string,
      options?: { token?: string; body?: unknown; headers?: Record<string, string> },
    ) => Promise<{ status: number; text: string; body: unknown }>;
  },
  definition: Record<string, unknown> = surveyDefinition(),
): Promise<string> {
  const created = await rt.request('POST', '/v1/surveys', {
    token: rt.tokens.admin,
    body: { ...definition, status: undefined },
  });
  if (created.status !== 201) throw new Error(`creating the survey failed: ${created.status} ${created.text}`);
  const { id, revision } = created.body as { id: string; revision: number };
  const published = await rt.request('PUT', `/v1/surveys/${id}`, {
    token: rt.tokens.admin,
    body: { ...definition, status: 'active' },
    headers: { 'if-match': `"${revision}"` },
  });
  if (published.status !== 200) throw new Error(`publishing the survey failed: ${published.status} ${published.text}`);
  return id;
}
