/**
 * Verified identities (docs/api.md "Identity verification"): a survey answer links to a customer only
 * when the site's backend signed the customer id — an HMAC-SHA256 signature or a short-lived HS256
 * identity token made with the identity secret. Anything else (no signature, a wrong or expired one,
 * a forged id, an e-mail) is kept as an unverified answer that never touches a customer record.
 */

import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDynamoClient } from '../../local/local-env';
import { identityToken, signCustomerId, signedIdentity } from '../support/identity';
import { publishSurvey, SHOP, surveyDefinition } from '../support/route-fixtures';
import { scanItems } from '../support/table-scan';
import { startTestRuntime, type TestRuntime } from './harness';

let rt: TestRuntime;
let surveyId: string;
// biome-ignore lint/suspicious/noExplicitAny: response bodies are JSON the tests walk by property.
type Body = Record<string, any>;

const admin = () => rt.tokens.admin;
const get = (path: string, token = admin()) => rt.request('GET', path, { token });

beforeAll(async () => {
  rt = await startTestRuntime();
  surveyId = await publishSurvey(rt, surveyDefinition());
});

afterAll(async () => {
  await rt?.stop();
});

async function customer(name: string): Promise<string> {
  const created = await rt.request('POST', '/v1/customers', {
    token: admin(),
    body: { name, email: `${name.toLowerCase().replace(/\W+/g, '.')}.${ulid().toLowerCase()}@example.cn` },
  });
  expect(created.status, created.text).toBe(201);
  return (created.body as Body).id;
}

/** A detractor's answer with a comment: linked, it would count in the customer's feedback and name them in a follow-up. */
async function answer(identity: Record<string, unknown>, comment = 'terrible, refund me') {
  const id = ulid();
  const sent = await rt.request('POST', `/v1/surveys/${surveyId}/responses`, {
    body: { id, surveyVersion: 1, locale: 'en', answers: { overall: 1, nps: 0, comment }, ...identity },
    headers: { origin: SHOP },
  });
  expect(sent.status, sent.text).toBe(201);
  return { id, body: sent.body as Body };
}

/** Everything that would show the answer linked: the customer's feedback, responses and follow-ups. */
async function linkedTo(customerId: string) {
  await rt.drainStream();
  const record = (await get(`/v1/customers/${customerId}`)).body as Body;
  const responses = ((await get(`/v1/customers/${customerId}/responses`)).body as Body).items as Body[];
  const followUps = ((await get(`/v1/followups?surveyId=${surveyId}&limit=100`)).body as Body).items as Body[];
  return {
    feedbackCount: record.feedback.count as number,
    responseIds: responses.map((r) => r.id as string),
    followUpResponseIds: followUps.filter((f) => f.customerId === customerId).map((f) => f.responseId as string),
  };
}

async function storedResponse(id: string): Promise<Body> {
  const dynamo = createLocalDynamoClient(rt.dynamoEndpoint);
  try {
    const item = (await scanItems(dynamo, rt.tableName)).find((i) => i.entity === 'response' && i.SK === id);
    expect(item, `response ${id} is stored`).toBeDefined();
    return item as Body;
  } finally {
    dynamo.destroy();
  }
}

describe('before any identity secret exists', () => {
  it('a signed customer id cannot be verified: the answer is kept, unlinked, and says why', async () => {
    expect((await get('/v1/identity/secret')).status).toBe(404);
    const id = await customer('No Secret Yet');
    const sent = await answer(signedIdentity('rsk_not-the-secret', id));
    expect(sent.body).toMatchObject({ identity: 'unverified', identityProblem: { reason: 'no-secret' } });
    expect(await linkedTo(id)).toEqual({ feedbackCount: 0, responseIds: [], followUpResponseIds: [] });
  });
});

describe('with an identity secret', () => {
  let secret: string;

  beforeAll(async () => {
    // A bodiless POST creates nothing: only a deliberate request (a JSON body) does.
    expect((await rt.request('POST', '/v1/identity/secret', { token: admin() })).status).toBe(415);
    const created = await rt.request('POST', '/v1/identity/secret', { token: admin(), body: {} });
    expect(created.status, created.text).toBe(201);
    secret = (created.body as Body).secret;
    expect(secret).toMatch(/^rsk_[A-Za-z0-9_-]{43}$/);
  });

  it('is shown once: a second create is a 409; the status names it by fingerprint only; analysts may not create', async () => {
    const again = await rt.request('POST', '/v1/identity/secret', { token: admin(), body: {} });
    expect(again.status).toBe(409);
    expect(again.text).not.toContain(secret);
    const status = await get('/v1/identity/secret', rt.tokens.analyst);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ version: 1, fingerprint: expect.stringMatching(/^[0-9a-f]{12}$/) });
    expect(status.text).not.toContain(secret);
    expect((await rt.request('POST', '/v1/identity/secret', { token: rt.tokens.analyst, body: {} })).status).toBe(403);
  });

  it('an HMAC-SHA256 signature of the customer id links the answer: feedback, responses, follow-up', async () => {
    const id = await customer('Signed Person');
    const sent = await answer(signedIdentity(secret, id));
    expect(sent.body).toMatchObject({ identity: 'verified' });
    expect(sent.body).not.toHaveProperty('identityProblem');
    expect(await linkedTo(id)).toEqual({ feedbackCount: 1, responseIds: [sent.id], followUpResponseIds: [sent.id] });
    // The signature is a credential: it is not stored.
    const stored = await storedResponse(sent.id);
    expect(JSON.stringify(stored)).not.toContain(signCustomerId(secret, id));
    expect(stored).toMatchObject({ customerId: id, identity: { verified: true, method: 'signature' } });
  });

  it('an identity token (HS256, sub = customer id, short-lived) links the answer', async () => {
    const id = await customer('Token Person');
    const sent = await answer({ identityToken: await identityToken(secret, id) });
    expect(sent.body).toMatchObject({ identity: 'verified' });
    expect(await linkedTo(id)).toMatchObject({ feedbackCount: 1, responseIds: [sent.id] });
    expect(await storedResponse(sent.id)).toMatchObject({ customerId: id, identity: { method: 'token' } });
  });

  it('a forged customer id (wrong signature) is never linked: no feedback, no follow-up naming the victim', async () => {
    const victim = await customer('Forged Victim');
    const forgedWithOtherSecret = await answer(signedIdentity(`rsk_${'x'.repeat(43)}`, victim), 'the attacker’s text');
    const signatureOfAnotherId = await answer({
      customerId: victim,
      customerSignature: signCustomerId(secret, ulid()),
    });
    for (const sent of [forgedWithOtherSecret, signatureOfAnotherId])
      expect(sent.body).toMatchObject({ identity: 'unverified', identityProblem: { reason: 'bad-signature' } });
    expect(await linkedTo(victim)).toEqual({ feedbackCount: 0, responseIds: [], followUpResponseIds: [] });
    const stored = await storedResponse(forgedWithOtherSecret.id);
    expect(stored).not.toHaveProperty('customerId');
    expect(stored).toMatchObject({
      unverifiedCustomerId: victim,
      identity: { verified: false, reason: 'bad-signature' },
    });
    // The claim is kept where the person's data export (and erasure) finds it, never as a link.
    const exported = (await get(`/v1/customers/${victim}/personal-data`)).body as Body;
    expect(exported.responses).toEqual([]);
    expect((exported.otherResponses as Body[]).map((r) => r.id).sort()).toEqual(
      [forgedWithOtherSecret.id, signatureOfAnotherId.id].sort(),
    );
  });

  it('a customer id without a signature is kept unverified, not linked', async () => {
    const id = await customer('Unsigned Person');
    const sent = await answer({ customerId: id });
    expect(sent.body).toMatchObject({ identity: 'unverified', identityProblem: { reason: 'unsigned' } });
    expect(await linkedTo(id)).toEqual({ feedbackCount: 0, responseIds: [], followUpResponseIds: [] });
  });

  it('an e-mail never links: it stays the answer’s contact, marked unverified', async () => {
    const created = await rt.request('POST', '/v1/customers', {
      token: admin(),
      body: { name: 'Mail Person', email: `mail.person.${ulid().toLowerCase()}@example.cn` },
    });
    const { id, email } = created.body as Body;
    const sent = await answer({ email: email.toUpperCase() });
    expect(sent.body).not.toHaveProperty('identity');
    // Stored with its contact pointer in one transaction: a retry still finds it and is replayed.
    const retry = await rt.request('POST', `/v1/surveys/${surveyId}/responses`, {
      body: {
        id: sent.id,
        surveyVersion: 1,
        locale: 'en',
        answers: { overall: 1, nps: 0, comment: 'terrible, refund me' },
        email: email.toUpperCase(),
      },
      headers: { origin: SHOP },
    });
    expect(retry.status, retry.text).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await linkedTo(id)).toEqual({ feedbackCount: 0, responseIds: [], followUpResponseIds: [] });
    const stored = await storedResponse(sent.id);
    expect(stored).not.toHaveProperty('customerId');
    expect(stored.contact).toEqual({ email, verified: false });
  });

  it('refuses identity tokens that are expired, too long-lived, signed with another key or for another id', async () => {
    const id = await customer('Token Checks');
    const cases: [Record<string, unknown>, string][] = [
      [
        { identityToken: await identityToken(secret, id, { issuedAt: new Date(Date.now() - 3_600_000) }) },
        'expired-token',
      ],
      [{ identityToken: await identityToken(secret, id, { seconds: 24 * 3600 }) }, 'token-too-long-lived'],
      [{ identityToken: await identityToken(`rsk_${'y'.repeat(43)}`, id) }, 'bad-token'],
      [
        { customerId: await customer('Someone Else'), identityToken: await identityToken(secret, id) },
        'subject-mismatch',
      ],
    ];
    for (const [identity, reason] of cases) {
      const sent = await answer(identity);
      expect(sent.body, reason).toMatchObject({ identity: 'unverified', identityProblem: { reason } });
    }
    expect(await linkedTo(id)).toEqual({ feedbackCount: 0, responseIds: [], followUpResponseIds: [] });
  });

  it('a verified id of no customer is dropped by the aggregator: the answer is kept, linked to nobody', async () => {
    const nobody = ulid();
    const sent = await answer(signedIdentity(secret, nobody));
    expect(sent.body).toMatchObject({ identity: 'verified' });
    await rt.drainStream();
    const stored = await storedResponse(sent.id);
    expect(stored).not.toHaveProperty('customerId');
    expect(stored).not.toHaveProperty('GSI1PK');
    expect(JSON.stringify(stored)).not.toContain(nobody);
    expect(rt.stats.deadLettered).toBe(0);
  });

  it('rotation: the new secret works at once, the previous one during its grace period, then no more', async () => {
    const id = await customer('Rotating Person');
    const stale = await rt.request('POST', '/v1/identity/secret/rotate', {
      token: admin(),
      body: {},
      headers: { 'if-match': '"99"' },
    });
    expect(stale.status).toBe(412);

    const key = `rotate-${ulid()}`;
    const rotate = () =>
      rt.request('POST', '/v1/identity/secret/rotate', {
        token: admin(),
        body: { graceHours: 1 },
        headers: { 'idempotency-key': key },
      });
    const rotated = await rotate();
    expect(rotated.status, rotated.text).toBe(200);
    const next = (rotated.body as Body).secret as string;
    expect(next).not.toBe(secret);
    expect(rotated.body).toMatchObject({ version: 2, previous: { validUntil: expect.any(String) } });
    // A retry of the same rotation is the same rotation, not a second one.
    const retried = await rotate();
    expect((retried.body as Body).secret).toBe(next);
    expect(((await get('/v1/identity/secret')).body as Body).version).toBe(2);

    expect((await answer(signedIdentity(next, id))).body).toMatchObject({ identity: 'verified' });
    expect((await answer(signedIdentity(secret, id))).body).toMatchObject({ identity: 'verified' });

    // After a leak: rotate with no grace, and the leaked secret stops working at once.
    const revoked = await rt.request('POST', '/v1/identity/secret/rotate', {
      token: admin(),
      body: { graceHours: 0 },
    });
    expect(revoked.status).toBe(200);
    const newest = (revoked.body as Body).secret as string;
    expect(revoked.body).not.toHaveProperty('previous');
    expect((await answer(signedIdentity(next, id))).body).toMatchObject({
      identity: 'unverified',
      identityProblem: { reason: 'bad-signature' },
    });
    expect((await answer({ identityToken: await identityToken(newest, id) })).body).toMatchObject({
      identity: 'verified',
    });
    expect(await linkedTo(id)).toMatchObject({ feedbackCount: 3 });
    secret = newest;
  });
});
