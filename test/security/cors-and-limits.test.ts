/**
 * The public edge: CORS is granted only to a survey's allowed origins (widget, submission and
 * preflight), a submission from any other origin — or none — is refused and stores nothing, the
 * honeypot refuses bots, and every route with a body refuses one byte over its cap with a 413.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../integration/harness';
import { expectClientProblem } from '../support/problem-assertions';
import {
  ABSENT_ID,
  allRoutes,
  fillPath,
  label,
  SHOP,
  surveyDefinition,
  validSubmission,
} from '../support/route-fixtures';

let rt: TestRuntime;
let surveyId: string;
let draftId: string;

const DISALLOWED = [
  'https://evil.example',
  'null',
  'https://shop.example.com.evil.example',
  'http://shop.example.com',
  'https://shop.example.com:8443',
  'https://evil-shop.example.com',
  `${SHOP}/`,
  `${SHOP}, https://evil.example`,
  'https://xn--shop-example-com.evil',
];

beforeAll(async () => {
  rt = await startTestRuntime();
  const created = await rt.request('POST', '/v1/surveys', { token: rt.tokens.admin, body: surveyDefinition([SHOP]) });
  expect(created.status, created.text).toBe(201);
  surveyId = (created.body as { id: string }).id;
  const published = await rt.request('PUT', `/v1/surveys/${surveyId}`, {
    token: rt.tokens.admin,
    body: { ...surveyDefinition([SHOP]), status: 'active' },
    headers: { 'if-match': `"${(created.body as { revision: number }).revision}"` },
  });
  expect(published.status, published.text).toBe(200);
  const draft = await rt.request('POST', '/v1/surveys', { token: rt.tokens.admin, body: surveyDefinition([SHOP]) });
  draftId = (draft.body as { id: string }).id;
});

afterAll(async () => {
  await rt?.stop();
});

const widget = (origin: string, id = surveyId) =>
  rt.request('GET', `/v1/surveys/${id}/widget`, { headers: { origin } });
const submit = (origin: string | undefined, body: unknown = validSubmission(), id = surveyId) =>
  rt.request('POST', `/v1/surveys/${id}/responses`, { body, headers: origin === undefined ? {} : { origin } });
const preflight = (origin: string, id = surveyId) =>
  rt.request('OPTIONS', `/v1/surveys/${id}/responses`, {
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });

describe('CORS allow-list per survey', () => {
  it('grants the allowed origin on the widget, the submission and the preflight (control)', async () => {
    for (const response of [await widget(SHOP), await submit(SHOP), await preflight(SHOP)]) {
      expect(response.status, response.text).toBeLessThan(300);
      expect(response.headers.get('access-control-allow-origin')).toBe(SHOP);
    }
  });

  it.each(DISALLOWED.map((o) => [o] as const))(
    'grants nothing to %s and stores none of its answers',
    async (origin) => {
      const before = await rt.scanCount('RESPONSES#');
      const w = await widget(origin);
      expect(w.headers.get('access-control-allow-origin'), 'widget').toBeNull();
      const p = await preflight(origin);
      expect(p.headers.get('access-control-allow-origin'), 'preflight').toBeNull();
      expect(p.headers.get('access-control-allow-methods'), 'preflight').toBeNull();
      const s = await submit(origin);
      expect(s.headers.get('access-control-allow-origin'), 'submission').toBeNull();
      expectClientProblem(s, `submission from ${origin}`);
      expect(s.status).toBe(403);
      expect(await rt.scanCount('RESPONSES#')).toBe(before);
    },
  );

  it('refuses a submission without an Origin, and grants nothing for a draft or unknown survey', async () => {
    const before = await rt.scanCount('RESPONSES#');
    const none = await submit(undefined);
    expectClientProblem(none, 'no origin');
    expect(none.status).toBe(403);
    for (const id of [draftId, ABSENT_ID]) {
      const s = await submit(SHOP, validSubmission(), id);
      expectClientProblem(s, `survey ${id}`);
      expect(s.headers.get('access-control-allow-origin')).toBeNull();
      expect((await preflight(SHOP, id)).headers.get('access-control-allow-origin')).toBeNull();
      expect((await widget(SHOP, id)).headers.get('access-control-allow-origin')).toBeNull();
    }
    expect(await rt.scanCount('RESPONSES#')).toBe(before);
  });

  it('refuses a filled-in honeypot and stores nothing', async () => {
    const before = await rt.scanCount('RESPONSES#');
    const bot = await submit(SHOP, validSubmission({ website: 'http://spam.example' }));
    expectClientProblem(bot, 'honeypot');
    expect(await rt.scanCount('RESPONSES#')).toBe(before);
  });
});

describe('body size caps', () => {
  const bodyRoutes = allRoutes.filter((r) => r.body !== undefined);

  it.each(bodyRoutes.map((r) => [label(r), r] as const))(
    '%s: one byte over maxBodyBytes is a 413 problem; at the cap it is not',
    async (_name, route) => {
      const cap = route.maxBodyBytes ?? 64 * 1024;
      const isPublic = route.access === 'public';
      const before = await rt.itemCount();
      const path = fillPath(route.path, isPublic ? surveyId : ABSENT_ID);
      const headers = {
        'content-type': route.bodyTypes?.[0] ?? 'application/json',
        ...(isPublic ? { origin: SHOP } : {}),
      };
      // A JSON object of exactly `size` bytes (valid JSON that no schema accepts).
      const ofSize = (size: number) => `{"padding":"${'p'.repeat(size - '{"padding":""}'.length)}"}`;
      const over = await rt.request(route.method, path, {
        ...(isPublic ? {} : { token: rt.tokens.admin }),
        rawBody: ofSize(cap + 1),
        headers,
      });
      expectClientProblem(over, `${label(route)} ${cap + 1} bytes`);
      expect(over.status).toBe(413);
      const atCap = await rt.request(route.method, path, {
        ...(isPublic ? {} : { token: rt.tokens.admin }),
        rawBody: ofSize(cap),
        headers,
      });
      expectClientProblem(atCap, `${label(route)} ${cap} bytes`);
      expect(atCap.status).not.toBe(413);
      // Multi-byte characters count as bytes, not characters.
      const wide = `{"padding":"${'é'.repeat(Math.ceil(cap / 2))}"}`;
      const overWide = await rt.request(route.method, path, {
        ...(isPublic ? {} : { token: rt.tokens.admin }),
        rawBody: wide,
        headers,
      });
      expect(overWide.status, `${label(route)} ${Buffer.byteLength(wide)} bytes in ${wide.length} characters`).toBe(
        413,
      );
      expect(await rt.itemCount()).toBe(before);
    },
  );

  it("the gateway refuses bodies over API Gateway's 10 MB with a 413 problem", async () => {
    const response = await rt.request('POST', '/v1/customers/import', {
      token: rt.tokens.admin,
      rawBody: 'x'.repeat(10 * 1024 * 1024 + 1),
      headers: { 'content-type': 'text/csv' },
    });
    expectClientProblem(response, '10 MB + 1');
    expect(response.status).toBe(413);
  });
});
