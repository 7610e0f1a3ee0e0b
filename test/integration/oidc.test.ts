/**
 * The local identity provider over real HTTP: the endpoints a Cognito user pool has, the
 * authorization-code flow with PKCE as the console runs it, refresh and revocation, sign-out, and
 * the tokens it issues being taken (access) or refused (ID) by the API exactly as in AWS. And what
 * else the runtime serves beside the API: the console (SPA fallback, its CSP), its config, the demo page.
 */

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../console/build';
import { s256 } from '../../local/oidc-provider';
import { repoRoot } from '../../local/repo-paths';
import { startTestRuntime, type TestRuntime } from './harness';

let rt: TestRuntime;
beforeAll(async () => {
  if (!existsSync(path.join(repoRoot, 'console', 'dist', 'index.html'))) await buildConsole();
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt?.stop();
});

const home = () => `${rt.url}/`;
const form = (fields: Record<string, string>) => ({
  rawBody: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

function authorizeParams(challenge: string, extra: Record<string, string> = {}) {
  return {
    response_type: 'code',
    client_id: rt.identityProvider.clientId,
    redirect_uri: home(),
    scope: 'openid email profile',
    state: 'state-123',
    nonce: 'nonce-456',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
}

/** Picks a user on the sign-in page (the form's POST) and returns the redirect back to the console. */
async function pick(user: string, params: Record<string, string>): Promise<URL> {
  const response = await fetch(`${rt.url}/oauth2/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...params, user }).toString(),
  });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') ?? '');
}

async function signIn(user: 'admin' | 'analyst') {
  const verifier = randomBytes(32).toString('base64url');
  const back = await pick(user, authorizeParams(s256(verifier)));
  const res = await rt.request(
    'POST',
    '/oauth2/token',
    form({
      grant_type: 'authorization_code',
      code: back.searchParams.get('code') ?? '',
      redirect_uri: home(),
      client_id: rt.identityProvider.clientId,
      code_verifier: verifier,
    }),
  );
  expect(res.status, res.text).toBe(200);
  return res.body as { access_token: string; id_token: string; refresh_token: string; expires_in: number };
}

describe('discovery and keys', () => {
  it('publishes a Cognito-like discovery document (issuer = the runtime, no end_session_endpoint) and the JWKS', async () => {
    const res = await rt.request('GET', '/.well-known/openid-configuration');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      issuer: rt.url,
      authorization_endpoint: `${rt.url}/oauth2/authorize`,
      token_endpoint: `${rt.url}/oauth2/token`,
      jwks_uri: `${rt.url}/.well-known/jwks.json`,
      code_challenge_methods_supported: ['S256'],
    });
    expect(res.body).not.toHaveProperty('end_session_endpoint');
    const jwks = (await rt.request('GET', '/.well-known/jwks.json')).body as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]!.d).toBeUndefined();
    expect(decodeProtectedHeader(rt.tokens.admin).kid).toBe(jwks.keys[0]!.kid);
  });
});

describe('sign-in page', () => {
  it('asks admin or analyst, in English or Chinese, under a CSP with nothing inline', async () => {
    const query = new URLSearchParams(authorizeParams(s256('x'.repeat(43)))).toString();
    const en = await rt.request('GET', `/oauth2/authorize?${query}`);
    expect(en.status).toBe(200);
    expect(en.text).toContain('Sign in to Rapport');
    expect(en.text).toMatch(/name="user" value="admin"/);
    expect(en.text).toMatch(/name="user" value="analyst"/);
    expect(en.text).not.toMatch(/<script|style=/);
    expect(en.headers.get('content-security-policy')).toContain("default-src 'self'");
    const zh = await rt.request('GET', `/oauth2/authorize?${query}&lang=zh-CN`);
    expect(zh.text).toContain('登录 Rapport');
    expect(zh.text).toContain('管理员');
    const byBrowser = await rt.request('GET', `/oauth2/authorize?${query}`, {
      headers: { 'accept-language': 'zh-CN,zh;q=0.9' },
    });
    expect(byBrowser.text).toContain('分析员');
  });

  it('refuses an unknown client or callback on the page, and sends other errors back to the app', async () => {
    const challenge = s256('y'.repeat(43));
    const wrongClient = new URLSearchParams(authorizeParams(challenge, { client_id: 'nope' })).toString();
    expect((await rt.request('GET', `/oauth2/authorize?${wrongClient}`)).status).toBe(400);
    const wrongCallback = new URLSearchParams(
      authorizeParams(challenge, { redirect_uri: 'https://evil.example/' }),
    ).toString();
    const refused = await rt.request('GET', `/oauth2/authorize?${wrongCallback}`);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('is not a callback URL');
    const noPkce = await fetch(
      `${rt.url}/oauth2/authorize?${new URLSearchParams(authorizeParams('', { code_challenge: '' }))}`,
      { redirect: 'manual' },
    );
    expect(noPkce.status).toBe(302);
    const back = new URL(noPkce.headers.get('location') ?? '');
    expect(back.origin + back.pathname).toBe(home());
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('state')).toBe('state-123');
  });
});

describe('authorization code with PKCE', () => {
  it('issues Cognito-shaped access and ID tokens; the API takes the access token and refuses the ID token', async () => {
    const tokens = await signIn('admin');
    const access = decodeJwt(tokens.access_token);
    expect(access).toMatchObject({
      iss: rt.url,
      token_use: 'access',
      client_id: rt.identityProvider.clientId,
      scope: 'openid email profile',
      username: 'local-admin',
      'cognito:groups': ['admin'],
    });
    expect(access.aud).toBeUndefined();
    const id = decodeJwt(tokens.id_token);
    expect(id).toMatchObject({ token_use: 'id', aud: rt.identityProvider.clientId, nonce: 'nonce-456' });
    expect(tokens.expires_in).toBe(3600);

    expect((await rt.request('GET', '/v1/customers', { token: tokens.access_token })).status).toBe(200);
    const refused = await rt.request('GET', '/v1/customers', { token: tokens.id_token });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ detail: expect.stringContaining('access token') });
  });

  it('an analyst signs in with the analyst group', async () => {
    const tokens = await signIn('analyst');
    expect(decodeJwt(tokens.access_token)['cognito:groups']).toEqual(['analyst']);
    const write = await rt.request('POST', '/v1/customers', { token: tokens.access_token, body: { name: 'X' } });
    expect(write.status).toBe(403);
  });

  it('refuses a wrong verifier, a reused code and another callback', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const exchange = async (code: string, fields: Record<string, string> = {}) =>
      rt.request(
        'POST',
        '/oauth2/token',
        form({
          grant_type: 'authorization_code',
          code,
          redirect_uri: home(),
          client_id: rt.identityProvider.clientId,
          code_verifier: verifier,
          ...fields,
        }),
      );
    const wrong = await pick('admin', authorizeParams(s256(verifier)));
    const bad = await exchange(wrong.searchParams.get('code') ?? '', {
      code_verifier: randomBytes(32).toString('base64url'),
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'invalid_grant' });
    // The code was spent by the failed attempt: the right verifier cannot use it either.
    expect((await exchange(wrong.searchParams.get('code') ?? '')).status).toBe(400);

    const good = await pick('admin', authorizeParams(s256(verifier)));
    const code = good.searchParams.get('code') ?? '';
    expect(good.searchParams.get('state')).toBe('state-123');
    expect((await exchange(code)).status).toBe(200);
    expect((await exchange(code)).status).toBe(400);

    const other = await pick('admin', authorizeParams(s256(verifier)));
    const elsewhere = await exchange(other.searchParams.get('code') ?? '', { redirect_uri: `${rt.url}/other` });
    expect(elsewhere.body).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('refresh, revocation and sign-out', () => {
  it('renews with the refresh token until it is revoked', async () => {
    const tokens = await signIn('admin');
    const refresh = () =>
      rt.request(
        'POST',
        '/oauth2/token',
        form({
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token,
          client_id: rt.identityProvider.clientId,
        }),
      );
    const renewed = await refresh();
    expect(renewed.status).toBe(200);
    const body = renewed.body as { access_token: string; refresh_token?: string };
    expect(body.refresh_token).toBeUndefined();
    expect((await rt.request('GET', '/v1/surveys', { token: body.access_token })).status).toBe(200);

    const revoked = await rt.request(
      'POST',
      '/oauth2/revoke',
      form({ token: tokens.refresh_token, client_id: rt.identityProvider.clientId }),
    );
    expect(revoked.status).toBe(200);
    expect((await refresh()).body).toMatchObject({ error: 'invalid_grant' });
  });

  it('signs out to a registered sign-out URL only', async () => {
    const client = rt.identityProvider.clientId;
    const ok = await fetch(`${rt.url}/logout?client_id=${client}&logout_uri=${encodeURIComponent(home())}`, {
      redirect: 'manual',
    });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe(home());
    const evil = await rt.request(
      'GET',
      `/logout?client_id=${client}&logout_uri=${encodeURIComponent('https://evil.example/')}`,
    );
    expect(evil.status).toBe(400);
  });
});

describe('the console and the pages beside the API', () => {
  it('serves the console at / and at any console path, under a CSP without unsafe-inline', async () => {
    for (const p of ['/', '/surveys/01JABCDEFGHJKMNPQRSTVWXYZ0', '/customers/quality']) {
      const res = await rt.request('GET', p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.text).toMatch(/<script type="module" src="\/assets\/main-/);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
    const asset = /src="(\/assets\/main-[^"]+)"/.exec((await rt.request('GET', '/')).text)?.[1] ?? '';
    const js = await rt.request('GET', asset);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect((await rt.request('GET', '/assets/nothing-here.js')).status).toBe(404);
    // The API's paths stay the API's.
    const api = await rt.request('GET', '/v1/nope');
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toBe('application/problem+json');
  });

  it('serves /config.json with this runtime as the issuer and Cognito-style sign-out', async () => {
    const res = await rt.request('GET', '/config.json');
    expect(res.body).toEqual({
      oidc: {
        authority: rt.url,
        clientId: rt.identityProvider.clientId,
        redirectUri: home(),
        postLogoutRedirectUri: home(),
        scope: 'openid email profile',
        logoutUrl: `${rt.url}/logout?client_id=${rt.identityProvider.clientId}&logout_uri=${encodeURIComponent(home())}`,
      },
      apiBase: '',
    });
  });

  it('serves the demo page at /demo, for another survey with ?survey=', async () => {
    const res = await rt.request('GET', '/demo?survey=01JABCDEFGHJKMNPQRSTVWXYZ0');
    expect(res.status).toBe(200);
    expect(res.text).toContain('survey="01JABCDEFGHJKMNPQRSTVWXYZ0"');
    expect(res.text).not.toMatch(/<script>|style=/);
  });
});
