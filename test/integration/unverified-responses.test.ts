/**
 * `GET /v1/customers/{id}/unverified-responses`: the answers that name a customer without a verified
 * identity — an unsigned claim of their id, their e-mail given as contact — which the console's
 * customer page shows in a section of their own. A verified answer is not among them; analysts may
 * read them; the read is recorded in the audit log as a read of personal data; an unknown customer
 * is a 404.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentitySecret, signedIdentity } from '../support/identity';
import { publishSurvey, SHOP } from '../support/route-fixtures';
import { startTestRuntime, type TestRuntime } from './harness';

let rt: TestRuntime;
let surveyId: string;

beforeAll(async () => {
  rt = await startTestRuntime();
  surveyId = await publishSurvey(rt);
});

afterAll(async () => {
  await rt?.stop();
});

async function answer(extra: Record<string, unknown>, comment: string): Promise<string> {
  const id = ulid();
  const sent = await rt.request('POST', `/v1/surveys/${surveyId}/responses`, {
    body: { id, surveyVersion: 1, locale: 'en', answers: { overall: 1, nps: 0, comment }, ...extra },
    headers: { origin: SHOP },
  });
  expect(sent.status, sent.text).toBe(201);
  return id;
}

type Item = { id: string; receivedAt: string; identity?: { verified: boolean; reason?: string }; contact?: unknown };

describe('unverified answers naming a customer', () => {
  it('lists the unsigned claims and the contact answers, newest first, never the verified ones; analysts may read them', async () => {
    const email = `ada.${ulid().toLowerCase()}@example.com`;
    const created = await rt.request('POST', '/v1/customers', { token: rt.tokens.admin, body: { name: 'Ada', email } });
    expect(created.status, created.text).toBe(201);
    const customerId = (created.body as { id: string }).id;
    const secret = await createIdentitySecret(rt);

    const verified = await answer(signedIdentity(secret, customerId), 'signed by the site');
    const claimed = await answer({ customerId }, 'claims to be Ada');
    const contact = await answer({ email: email.toUpperCase() }, 'gives her e-mail');
    await answer({ email: 'someone.else@example.com' }, 'names someone else');
    await rt.drainStream();

    const listed = await rt.request('GET', `/v1/customers/${customerId}/unverified-responses`, {
      token: rt.tokens.analyst,
    });
    expect(listed.status, listed.text).toBe(200);
    const items = (listed.body as { items: Item[] }).items;
    expect(items.map((r) => r.id)).toEqual([contact, claimed]);
    expect(items.map((r) => r.id)).not.toContain(verified);
    expect(items[1]?.identity).toEqual({ verified: false, reason: 'unsigned' });
    expect(items[0]?.contact).toEqual({ email, verified: false });

    // The read is in the audit log, as a read of personal data about this customer.
    const audit = await rt.request('GET', `/v1/audit?customer=${customerId}&operation=listUnverifiedResponses`, {
      token: rt.tokens.admin,
    });
    const entries = (audit.body as { items: { kind: string; status: number; actor: string }[] }).items;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: 'personal-data', status: 200, actor: 'local-analyst' });
  });

  it('answers 404 for a customer that does not exist', async () => {
    const missing = await rt.request('GET', `/v1/customers/${ulid()}/unverified-responses`, { token: rt.tokens.admin });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });
});
