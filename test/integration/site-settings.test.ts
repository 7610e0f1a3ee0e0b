/**
 * The site settings (docs/api.md "Site settings"): the site-wide recontact window an admin sets once
 * for every survey, through real HTTP into DynamoDB Local. Analysts read it and may not change it; bad
 * input is a 400 that writes nothing; a stale If-Match is a 412; a retried PUT writes nothing new; the
 * change is in the audit log; and the widget reads it with each survey's definition.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishSurvey, SHOP, surveyDefinition } from '../support/route-fixtures';
import { startTestRuntime, type TestRuntime } from './harness';

let rt: TestRuntime;
// biome-ignore lint/suspicious/noExplicitAny: response bodies are JSON the tests walk by property.
type Body = Record<string, any>;

const settings = async (token = rt.tokens.admin) => {
  const got = await rt.request('GET', '/v1/site-settings', { token });
  expect(got.status, got.text).toBe(200);
  return got;
};
const put = (body: unknown, options: { token?: string; ifMatch?: string } = {}) =>
  rt.request('PUT', '/v1/site-settings', {
    token: options.token ?? rt.tokens.admin,
    body,
    ...(options.ifMatch ? { headers: { 'if-match': options.ifMatch } } : {}),
  });

beforeAll(async () => {
  rt = await startTestRuntime();
});

afterAll(async () => {
  await rt?.stop();
});

describe('site settings', () => {
  it('are the defaults until saved: a 14-day window at revision 0, for admins and analysts', async () => {
    for (const token of [rt.tokens.admin, rt.tokens.analyst]) {
      const got = await settings(token);
      expect(got.body).toEqual({ recontactDays: 14, revision: 0 });
      expect(got.headers.get('etag')).toBe('"0"');
    }
  });

  it('refuse bad input with the field named, and an analyst or no token, writing nothing', async () => {
    const bad: [unknown, string][] = [
      [{ recontactDays: -1 }, 'recontactDays'],
      [{ recontactDays: 366 }, 'recontactDays'],
      [{ recontactDays: 1.5 }, 'recontactDays'],
      [{ recontactDays: '7' }, 'recontactDays'],
      [{}, 'recontactDays'],
      [{ recontactDays: 7, surveys: [] }, ''],
    ];
    for (const [body, field] of bad) {
      const refused = await put(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      const errors = (refused.body as Body).errors as { path: string }[];
      if (field) expect(errors.map((e) => e.path).join(' '), JSON.stringify(body)).toContain(field);
    }
    expect((await put({ recontactDays: 7 }, { token: rt.tokens.analyst })).status).toBe(403);
    expect((await rt.request('PUT', '/v1/site-settings', { body: { recontactDays: 7 } })).status).toBe(401);
    expect((await settings()).body).toEqual({ recontactDays: 14, revision: 0 });
  });

  it('an admin saves a window; a retry writes nothing new; a stale If-Match is a 412 that changes nothing', async () => {
    const saved = await put({ recontactDays: 7 });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body).toMatchObject({ recontactDays: 7, revision: 1 });
    expect(saved.headers.get('etag')).toBe('"1"');
    const retried = await put({ recontactDays: 7 });
    expect(retried.body).toEqual(saved.body);

    const stale = await put({ recontactDays: 30 }, { ifMatch: '"0"' });
    expect(stale.status, stale.text).toBe(412);
    expect((await settings()).body).toEqual(saved.body);

    const next = await put({ recontactDays: 3 }, { ifMatch: '"1"' });
    expect(next.status, next.text).toBe(200);
    expect(next.body).toMatchObject({ recontactDays: 3, revision: 2 });
    expect((await settings(rt.tokens.analyst)).body).toEqual(next.body);
  });

  it('racing saves: with the same If-Match one wins and the other is a 412; without, both apply, one after the other', async () => {
    const { revision } = (await settings()).body as Body;
    const [a, b] = await Promise.all([
      put({ recontactDays: 21 }, { ifMatch: `"${revision}"` }),
      put({ recontactDays: 28 }, { ifMatch: `"${revision}"` }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const winner = (a.status === 200 ? a : b).body as Body;
    expect((await settings()).body).toEqual(winner);
    expect(winner.revision).toBe(revision + 1);

    const [c, d] = await Promise.all([put({ recontactDays: 5 }), put({ recontactDays: 6 })]);
    expect([c.status, d.status]).toEqual([200, 200]);
    const last = (await settings()).body as Body;
    expect(last.revision).toBe(revision + 3);
    expect([5, 6]).toContain(last.recontactDays);
    // Back to what the widget test below expects.
    expect((await put({ recontactDays: 3 })).status).toBe(200);
  });

  it('each change is in the audit log (who, which operation), the retry that changed nothing too', async () => {
    const audit = await rt.request('GET', '/v1/audit?operation=updateSiteSettings', { token: rt.tokens.admin });
    expect(audit.status, audit.text).toBe(200);
    const entries = (audit.body as Body).items as Body[];
    // Two saves, the retry and the 412 were all requests an admin made; every write request is recorded.
    expect(entries.length).toBeGreaterThanOrEqual(3);
    expect(new Set(entries.map((e) => e.operation))).toEqual(new Set(['updateSiteSettings']));
  });

  it('the widget reads the window with each survey it renders', async () => {
    const surveyId = await publishSurvey(rt, surveyDefinition());
    const widget = await rt.request('GET', `/v1/surveys/${surveyId}/widget`, { headers: { origin: SHOP } });
    expect(widget.status, widget.text).toBe(200);
    expect((widget.body as Body).recontactDays).toBe(3);
  });
});
