/**
 * Authentication and roles on every non-public route of THE route table, through the local gateway
 * (which checks JWTs like API Gateway's Cognito authorizer) and the handlers (which check roles):
 * no token, an expired one, one signed by another key or naming no published key (kid), for another
 * app client or from another issuer, issued in the future or not valid yet, an ID token instead of
 * the access token → 401; an analyst on a write route → 403; none of them changes the table. An
 * admin is let through.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteDefinition } from '../../functions/contracts/routes';
import { generateForeignPrivateKey } from '../../local/jwt';
import { startTestRuntime, type TestRuntime } from '../integration/harness';
import { expectClientProblem } from '../support/problem-assertions';
import { ABSENT_ID, allRoutes, type FixtureIds, label, type SampleRequest, samples } from '../support/route-fixtures';

let rt: TestRuntime;
let itemsBefore: number;
const tokens: Record<string, string> = {};
const protectedRoutes = allRoutes.filter((r) => r.access !== 'public');
const writeRoutes = allRoutes.filter((r) => r.access === 'write');
const absent: FixtureIds = {
  customerId: ABSENT_ID,
  duplicateId: '01JABCDEFGHJKMNPQRSTVWXYZ1',
  surveyId: ABSENT_ID,
  followUpId: ABSENT_ID,
};

beforeAll(async () => {
  rt = await startTestRuntime();
  const past = Math.floor(Date.now() / 1000) - 120;
  tokens.expired = await rt.mintToken({ sub: 'old-admin', groups: ['admin'], expiresIn: past });
  tokens.foreignKey = await rt.mintToken({
    sub: 'forger',
    groups: ['admin'],
    privateKey: await generateForeignPrivateKey(),
  });
  const now = Math.floor(Date.now() / 1000);
  tokens.wrongClient = await rt.mintToken({ sub: 'other-app', groups: ['admin'], clientId: 'some-other-client' });
  tokens.wrongIssuer = await rt.mintToken({
    sub: 'other-pool',
    groups: ['admin'],
    issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other',
  });
  // Valid for the authorizer (aud = the app client), but the API takes access tokens only.
  tokens.idToken = await rt.mintToken({ sub: 'id-holder', groups: ['admin'], tokenUse: 'id' });
  tokens.idTokenOtherClient = await rt.mintToken({
    sub: 'id-holder',
    groups: ['admin'],
    tokenUse: 'id',
    clientId: 'some-other-client',
  });
  tokens.unknownKid = await rt.mintToken({ sub: 'rotated', groups: ['admin'], kid: 'a-key-nobody-published' });
  tokens.noKid = await rt.mintToken({ sub: 'kidless', groups: ['admin'], kid: null });
  tokens.issuedInTheFuture = await rt.mintToken({ sub: 'time-traveller', groups: ['admin'], issuedAt: now + 600 });
  tokens.notYetValid = await rt.mintToken({ sub: 'early', groups: ['admin'], notBefore: now + 600 });
  // An unsigned token ("alg": "none") claiming to be an admin.
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(
    JSON.stringify({
      sub: 'x',
      'cognito:groups': ['admin'],
      token_use: 'access',
      iss: rt.identityProvider.issuer,
      client_id: rt.identityProvider.clientId,
      exp: past + 3600,
    }),
  ).toString('base64url');
  tokens.unsigned = `${header}.${payload}.`;
  // HS256 signed with the public key as a shared secret (the classic algorithm-confusion forgery).
  const publicJwk = rt.identityProvider.jwks.keys[0]!;
  tokens.algConfusion = await new SignJWT({
    'cognito:groups': ['admin'],
    token_use: 'access',
    client_id: rt.identityProvider.clientId,
  })
    .setProtectedHeader({ alg: 'HS256', kid: publicJwk.kid! })
    .setIssuer(rt.identityProvider.issuer)
    .setSubject('confused')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
  tokens.garbage = 'not.a.jwt';
  itemsBefore = await rt.itemCount();
});

afterAll(async () => {
  await rt?.stop();
});

function send(route: RouteDefinition, sample: SampleRequest, headers: Record<string, string>) {
  const query = sample.query ? `?${new URLSearchParams(sample.query as Record<string, string>).toString()}` : '';
  return rt.request(route.method, `${sample.path}${query}`, {
    ...(sample.body !== undefined ? { body: sample.body } : {}),
    headers: { ...sample.headers, ...headers },
  });
}

const sampleOf = (route: RouteDefinition) => samples[route.operationId as keyof typeof samples](absent);

describe.each(protectedRoutes.map((r) => [label(r), r] as const))('%s', (_name, route) => {
  it('refuses a missing, expired, forged, foreign, mistimed or ID token with a 401 problem', async () => {
    const cases: [string, Record<string, string>][] = [
      ['no token', {}],
      ['empty bearer', { authorization: 'Bearer ' }],
      ['basic auth', { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` }],
      ...Object.entries(tokens).map(([name, token]): [string, Record<string, string>] => [
        name,
        { authorization: `Bearer ${token}` },
      ]),
    ];
    for (const [name, headers] of cases) {
      const response = await send(route, sampleOf(route), headers);
      expectClientProblem(response, `${label(route)} with ${name}`);
      expect(response.status, `${label(route)} with ${name}`).toBe(401);
      expect(response.headers.get('www-authenticate') ?? '', name).toMatch(/^Bearer/);
    }
    expect(await rt.itemCount()).toBe(itemsBefore);
  });

  it('refuses a signed-in user in no group with a 403 problem', async () => {
    const nobody = await rt.mintToken({ sub: 'no-groups', groups: [] });
    const response = await send(route, sampleOf(route), { authorization: `Bearer ${nobody}` });
    expectClientProblem(response, label(route));
    expect(response.status).toBe(403);
    expect(await rt.itemCount()).toBe(itemsBefore);
  });
});

describe.each(writeRoutes.map((r) => [label(r), r] as const))('%s', (_name, route) => {
  it('refuses an analyst with a 403 problem and writes nothing', async () => {
    const response = await send(route, sampleOf(route), { authorization: `Bearer ${rt.tokens.analyst}` });
    expectClientProblem(response, label(route));
    expect(response.status).toBe(403);
    expect(await rt.itemCount()).toBe(itemsBefore);
  });
});

describe('an admin', () => {
  it.each(protectedRoutes.map((r) => [label(r), r] as const))('is let through on %s', async (_name, route) => {
    const response = await send(route, sampleOf(route), { authorization: `Bearer ${rt.tokens.admin}` });
    expect([401, 403], `${label(route)} → ${response.status} ${response.text.slice(0, 200)}`).not.toContain(
      response.status,
    );
    expect(response.status, response.text.slice(0, 200)).toBeLessThan(500);
  });

  it('and an analyst on every read route', async () => {
    for (const route of protectedRoutes.filter((r) => r.access === 'read')) {
      const response = await send(route, sampleOf(route), { authorization: `Bearer ${rt.tokens.analyst}` });
      expect([401, 403], `${label(route)} → ${response.status} ${response.text.slice(0, 200)}`).not.toContain(
        response.status,
      );
    }
  });
});
