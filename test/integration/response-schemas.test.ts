/**
 * The route table's response schemas describe exactly what the handlers return: real responses of
 * the local runtime, for every route with a JSON body, parse against their schema with nothing left
 * over (a field the schema does not know would be stripped, and the comparison would fail). The
 * OpenAPI document and the console's generated client come from these schemas, so this is what
 * keeps the console's types honest.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouteDefinition, routes } from '../../functions/contracts/routes';
import { signedIdentity } from '../support/identity';
import { startTestRuntime, type TestResponse, type TestRuntime } from './harness';

let rt: TestRuntime;
let surveyId: string;
const checked = new Set<string>();

beforeAll(async () => {
  rt = await startTestRuntime({ seed: true });
  surveyId = rt.demoSurveyId!;
});
afterAll(async () => {
  await rt?.stop();
});

/** Parses the body with the route's schema and requires the result to equal the body. */
function conforms(operationId: string, response: TestResponse): void {
  const route = (routes as readonly RouteDefinition[]).find((r) => r.operationId === operationId)!;
  expect(response.status, `${operationId}: ${response.text.slice(0, 300)}`).toBe(route.response?.status);
  const schema = route.response?.schema;
  expect(schema, `${operationId} has a response schema`).toBeDefined();
  const parsed = schema!.safeParse(response.body);
  expect(parsed.success ? [] : parsed.error.issues, `${operationId} matches its schema`).toEqual([]);
  expect(parsed.data, `${operationId}: no field outside the schema`).toEqual(response.body);
  checked.add(operationId);
}

const admin = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  rt.request(method, path, {
    token: rt.tokens.admin,
    ...(body !== undefined ? { body } : {}),
    ...(headers ? { headers } : {}),
  });

async function submit(answers: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return rt.request('POST', `/v1/surveys/${surveyId}/responses`, {
    headers: { origin: rt.url },
    body: { id: ulid(), surveyVersion: 1, locale: 'en', answers, ...extra },
  });
}

describe('response schemas', () => {
  it('public routes: health, the widget view, a submission receipt and a display receipt', async () => {
    conforms('getHealth', await rt.request('GET', '/v1/health'));
    conforms('getSurveyWidget', await rt.request('GET', `/v1/surveys/${surveyId}/widget`));
    conforms(
      'submitResponse',
      await submit(
        {
          overall: 1,
          delivery: 2,
          nps: 3,
          effort: 2,
          channel: 'web',
          comment: 'Too slow, 太慢了',
          contact: { email: 'li.wei@example.com', consent: true },
        },
        { email: 'li.wei@example.com', segment: 'enterprise', metadata: { plan: 'gold', seats: 3, trial: false } },
      ),
    );
    expect((await submit({ overall: 5, nps: 10, comment: 'Great' }, { segment: 'smb' })).status).toBe(201);
    expect((await submit({ overall: 4 })).status).toBe(201);
    conforms(
      'recordDisplay',
      await rt.request('POST', `/v1/surveys/${surveyId}/displays`, {
        headers: { origin: rt.url },
        body: { id: ulid(), event: 'shown', segment: 'smb' },
      }),
    );
    await rt.drainStream();
  });

  it('survey routes: list, create, get, update, close, report (whole and by segment), comments, rebuild', async () => {
    conforms('listSurveys', await admin('GET', '/v1/surveys'));
    const definition = {
      name: 'Schema check',
      locales: ['en', 'zh-CN'],
      defaultLocale: 'en',
      title: { en: 'Hello', 'zh-CN': '你好' },
      questions: [
        { id: 'q1', type: 'likert', points: 7, overall: true, text: { en: 'Q', 'zh-CN': '问' } },
        { id: 'q2', type: 'text', text: { en: 'Why?', 'zh-CN': '为什么？' } },
      ],
    };
    const created = await admin('POST', '/v1/surveys', definition);
    conforms('createSurvey', created);
    const id = (created.body as { id: string }).id;
    conforms('getSurvey', await admin('GET', `/v1/surveys/${id}`));
    conforms('updateSurvey', await admin('PUT', `/v1/surveys/${id}`, { ...definition, status: 'active' }));
    conforms('closeSurvey', await admin('POST', `/v1/surveys/${id}/close`));

    conforms('getSurveyReport', await admin('GET', `/v1/surveys/${surveyId}/report?granularity=week`));
    conforms('getSurveyReport', await admin('GET', `/v1/surveys/${surveyId}/report?segment=enterprise`));
    conforms('getSurveyReport', await admin('GET', `/v1/surveys/${id}/report`));
    const comments = await admin('GET', `/v1/surveys/${surveyId}/comments?limit=1`);
    conforms('listSurveyComments', comments);
    expect((comments.body as { nextCursor?: string }).nextCursor).toBeDefined();
    const today = new Date().toISOString().slice(0, 10);
    conforms(
      'rebuildSurveyAggregates',
      await admin('POST', `/v1/surveys/${surveyId}/aggregates/rebuild`, { from: today, to: today }),
    );
  });

  it('follow-ups: the list and a move forward', async () => {
    const list = await admin('GET', `/v1/followups?surveyId=${surveyId}`);
    conforms('listFollowUps', list);
    const [first] = (list.body as { items: { id: string }[] }).items;
    expect(first).toBeDefined();
    conforms(
      'updateFollowUp',
      await admin('PATCH', `/v1/followups/${first!.id}`, { status: 'contacted', assignee: 'Mei', note: 'called' }),
    );
  });

  it('customer routes: list, create, lookup, detail, update, merge, import, quality, responses, GDPR', async () => {
    conforms('listCustomers', await admin('GET', '/v1/customers?limit=2'));
    const created = await admin('POST', '/v1/customers', {
      name: 'Zhou Min',
      email: 'zhou.min@example.cn',
      company: 'Acme',
      tags: ['a'],
      attributes: { plan: 'pro', seats: 4 },
    });
    conforms('createCustomer', created);
    const id = (created.body as { id: string }).id;
    conforms('lookupCustomer', await admin('GET', '/v1/customers/lookup?email=li.wei%40example.com'));
    conforms('updateCustomer', await admin('PATCH', `/v1/customers/${id}`, { segment: 'smb' }));
    const duplicate = await admin('POST', '/v1/customers', {
      name: 'Zhou Min',
      company: 'Acme',
      phone: '138 0000 9999',
    });
    conforms(
      'mergeCustomers',
      await admin('POST', `/v1/customers/${id}/merge`, { duplicateId: (duplicate.body as { id: string }).id }),
    );
    conforms(
      'importCustomers',
      await rt.request('POST', '/v1/customers/import', {
        token: rt.tokens.admin,
        rawBody: 'name,email\nA B,a.b@example.com\nBad,not-an-email\n',
        headers: { 'content-type': 'text/csv' },
      }),
    );
    conforms('getCustomerQuality', await admin('GET', '/v1/customers/quality'));

    const liWei = (await admin('GET', '/v1/customers/lookup?email=li.wei%40example.com')).body as { id: string };
    // A signed answer links to the customer; the e-mail-only one above is kept as contact data.
    const issued = await admin('POST', '/v1/identity/secret', {});
    conforms('createIdentitySecret', issued);
    conforms('getIdentitySecret', await admin('GET', '/v1/identity/secret'));
    const rotated = await admin('POST', '/v1/identity/secret/rotate', { graceHours: 1 });
    conforms('rotateIdentitySecret', rotated);
    conforms('getIdentitySecret', await admin('GET', '/v1/identity/secret'));
    conforms('getSiteSettings', await admin('GET', '/v1/site-settings'));
    conforms(
      'updateSiteSettings',
      await rt.request('PUT', '/v1/site-settings', { token: rt.tokens.admin, body: { recontactDays: 10 } }),
    );
    conforms('getSiteSettings', await admin('GET', '/v1/site-settings'));
    const secret = (rotated.body as { secret: string }).secret;
    const signed = await submit({ overall: 2, nps: 4, comment: 'Still slow' }, signedIdentity(secret, liWei.id));
    expect(signed.status, signed.text).toBe(201);
    await rt.drainStream();
    conforms('getCustomer', await admin('GET', `/v1/customers/${liWei.id}`));
    conforms('getCustomerResponses', await admin('GET', `/v1/customers/${liWei.id}/responses`));
    const exported = await admin('GET', `/v1/customers/${liWei.id}/personal-data`);
    conforms('exportCustomerData', exported);
    const data = exported.body as { responses: unknown[]; otherResponses: unknown[]; followUps: unknown[] };
    expect(data.responses.length).toBeGreaterThan(0);
    expect(data.otherResponses.length).toBeGreaterThan(0);
    expect(data.followUps.length).toBeGreaterThan(0);
    const unverified = await rt.request('GET', `/v1/customers/${liWei.id}/unverified-responses`, {
      token: rt.tokens.analyst,
    });
    conforms('listUnverifiedResponses', unverified);
    // The same answers as the export's otherResponses, newest first, and readable by an analyst.
    const items = (unverified.body as { items: { id: string; receivedAt: string }[] }).items;
    const ids = (list: readonly unknown[]) => list.map((r) => (r as { id: string }).id).sort();
    expect(ids(items)).toEqual(ids(data.otherResponses));
    expect(items.map((r) => r.receivedAt)).toEqual(
      items
        .map((r) => r.receivedAt)
        .sort()
        .reverse(),
    );
    conforms('eraseCustomer', await admin('POST', `/v1/customers/${liWei.id}/erase`));
  });

  it('abuse and audit routes: clients, exclusions, the audit log and its check', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const clients = await admin('GET', `/v1/surveys/${surveyId}/clients?from=${from}&to=${to}`);
    conforms('listSurveyClients', clients);
    const [client] = (clients.body as { items: { clientHash: string }[] }).items;
    expect(client).toBeDefined();
    conforms(
      'createExclusion',
      await admin('POST', `/v1/surveys/${surveyId}/exclusions`, {
        from,
        to,
        clientHash: client!.clientHash,
        reason: 'test flood',
      }),
    );
    conforms('listExclusions', await admin('GET', `/v1/surveys/${surveyId}/exclusions`));
    await rt.runNotifications();
    conforms('getSurveyAlerts', await admin('GET', `/v1/surveys/${surveyId}/alerts`));
    conforms('listAudit', await admin('GET', '/v1/audit'));
    conforms('verifyAudit', await admin('GET', '/v1/audit/verify'));
  });

  it('webhook routes: subscriptions, rotation, the delivery log and replays', async () => {
    // A receiver that is not listening: deliveries are attempted, fail, and show in the log.
    const created = await admin('POST', '/v1/webhooks', {
      url: 'http://127.0.0.1:9/hook',
      events: ['customer.created'],
      description: 'schemas',
    });
    conforms('createWebhook', created);
    const hook = created.body as { id: string; version: number };
    conforms('listWebhooks', await admin('GET', '/v1/webhooks'));
    conforms('getWebhook', await admin('GET', `/v1/webhooks/${hook.id}`));
    const updated = await admin('PATCH', `/v1/webhooks/${hook.id}`, { description: 'schemas 2' });
    conforms('updateWebhook', updated);
    conforms(
      'rotateWebhookSecret',
      await admin('POST', `/v1/webhooks/${hook.id}/rotate`, { graceHours: 1 }, { 'if-match': `"${hook.version + 1}"` }),
    );
    const customer = await admin('POST', '/v1/customers', { name: 'Webhook Schema' });
    expect(customer.status).toBe(201);
    let deliveryId = '';
    for (let i = 0; i < 100 && !deliveryId; i++) {
      await rt.drainStream();
      const page = await admin('GET', `/v1/webhooks/${hook.id}/deliveries`);
      const first = (page.body as { items: { id: string; attempts: unknown[] }[] }).items[0];
      if (first && first.attempts.length > 0) {
        conforms('listWebhookDeliveries', page);
        deliveryId = first.id;
      } else await new Promise((r) => setTimeout(r, 100));
    }
    expect(deliveryId).not.toBe('');
    conforms('getWebhookDelivery', await admin('GET', `/v1/webhooks/${hook.id}/deliveries/${deliveryId}`));
    conforms(
      'replayWebhookDelivery',
      await admin('POST', `/v1/webhooks/${hook.id}/deliveries/${deliveryId}/replay`, {}),
    );
    conforms(
      'replayWebhookDeliveries',
      await admin('POST', `/v1/webhooks/${hook.id}/replay`, {
        from: new Date(Date.now() - 3_600_000).toISOString(),
        to: new Date(Date.now() + 60_000).toISOString(),
        states: ['pending', 'retrying', 'dead-lettered', 'skipped', 'delivered'],
      }),
    );
    expect((await admin('DELETE', `/v1/webhooks/${hook.id}`)).status).toBe(204);
  });

  it('every route that returns JSON has a schema, and each was checked above', () => {
    const jsonRoutes = (routes as readonly RouteDefinition[]).filter(
      (r) => r.response && r.response.status !== 204 && !r.response.contentTypes && r.operationId !== 'getOpenApi',
    );
    for (const route of jsonRoutes) expect(route.response?.schema, route.operationId).toBeDefined();
    expect([...checked].sort()).toEqual(jsonRoutes.map((r) => r.operationId).sort());
  });
});
