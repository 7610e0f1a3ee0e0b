/**
 * The local identity provider's HTTP endpoints — the ones a Cognito user pool and its domain have, so
 * the console signs in locally by the same OIDC code path as in AWS (authorization code + PKCE):
 *
 *   GET  /.well-known/openid-configuration   discovery (no end_session_endpoint, like Cognito's)
 *   GET  /.well-known/jwks.json              the signing key
 *   GET  /oauth2/authorize                   a page to pick admin or analyst (English / Chinese)
 *   POST /oauth2/authorize                   the pick: redirects back with a one-time code
 *   POST /oauth2/token                       authorization_code (PKCE S256 checked) and refresh_token
 *   POST /oauth2/revoke                      revokes a refresh token
 *   GET  /logout?client_id&logout_uri        Cognito's sign-out: back to a registered sign-out URL
 *
 * Codes and refresh tokens live in memory: a restart signs everyone out, which the console handles
 * like an expired session (it signs in again and keeps the drafts).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SiteRequest, StaticRoutes } from './gateway';
import { LOCAL_SCOPES, type LocalIdentityProvider, TOKEN_LIFETIME_SECONDS } from './jwt';
import { loginCss, loginErrorPage, loginLocale, loginPage } from './oidc-login-page';
import type { GatewayResponse } from './problem';
import { strictCsp } from './security-headers';

/** The two people of the local user pool: one per group. */
export const LOCAL_USERS = {
  admin: { sub: 'local-admin', groups: ['admin'], email: 'admin@rapport.local' },
  analyst: { sub: 'local-analyst', groups: ['analyst'], email: 'analyst@rapport.local' },
} as const;
export type LocalUser = keyof typeof LOCAL_USERS;

const CODE_LIFETIME_MS = 5 * 60_000;
/** Cognito's default refresh-token lifetime. */
const REFRESH_LIFETIME_MS = 30 * 86_400_000;
const FORM_LIMIT_BYTES = 16 * 1024;

export interface OidcProviderOptions {
  readonly identityProvider: LocalIdentityProvider;
  /** Callback URLs of the app client (the console's URL). */
  readonly redirectUris: () => readonly string[];
  /** Sign-out URLs of the app client. */
  readonly logoutUris: () => readonly string[];
  /** Lifetime of access and ID tokens; tests shorten it to see the console renew. */
  readonly tokenLifetimeSeconds?: number;
}

interface PendingCode {
  readonly user: LocalUser;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly nonce: string | undefined;
  readonly expiresAt: number;
}

interface RefreshGrant {
  readonly user: LocalUser;
  readonly expiresAt: number;
}

const json = (status: number, body: unknown): GatewayResponse => ({
  statusCode: status,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' },
  body: Buffer.from(JSON.stringify(body)),
});

const oauthError = (error: string, description: string, status = 400) =>
  json(status, { error, error_description: description });

const redirect = (location: string): GatewayResponse => ({
  statusCode: 302,
  headers: { location, 'cache-control': 'no-store' },
  body: Buffer.alloc(0),
});

const html = (status: number, body: string): GatewayResponse => ({
  statusCode: status,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // The sign-in form posts to this origin, then the provider redirects to the app's callback.
    'content-security-policy': strictCsp({ formAction: "'self'" }),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  },
  body: Buffer.from(body),
});

const token = () => randomBytes(32).toString('base64url');

/** RFC 7636: BASE64URL(SHA256(ASCII(code_verifier))). */
export const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export function createOidcProvider(options: OidcProviderOptions): StaticRoutes {
  const idp = options.identityProvider;
  const lifetime = options.tokenLifetimeSeconds ?? TOKEN_LIFETIME_SECONDS;
  const codes = new Map<string, PendingCode>();
  const refreshTokens = new Map<string, RefreshGrant>();

  const discovery = () => {
    const issuer = idp.issuer;
    return {
      issuer,
      authorization_endpoint: `${issuer}/oauth2/authorize`,
      token_endpoint: `${issuer}/oauth2/token`,
      revocation_endpoint: `${issuer}/oauth2/revoke`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      scopes_supported: LOCAL_SCOPES.split(' '),
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['none'],
      code_challenge_methods_supported: ['S256'],
    };
  };

  async function issueTokens(user: LocalUser, nonce: string | undefined) {
    const who = LOCAL_USERS[user];
    const expiresIn = Math.floor(Date.now() / 1000) + lifetime;
    const base = { sub: who.sub, groups: who.groups, email: who.email, expiresIn };
    return {
      access_token: await idp.mintToken({ ...base, tokenUse: 'access' }),
      id_token: await idp.mintToken({ ...base, tokenUse: 'id', ...(nonce ? { claims: { nonce } } : {}) }),
      token_type: 'Bearer',
      expires_in: lifetime,
    };
  }

  /** Checks what must hold before anything is shown or redirected: the client and its callback. */
  function checkClient(params: URLSearchParams): string | undefined {
    if (params.get('client_id') !== idp.clientId) return `unknown client_id: this provider serves ${idp.clientId}`;
    const uri = params.get('redirect_uri') ?? '';
    if (!options.redirectUris().includes(uri))
      return `redirect_uri ${uri || '(none)'} is not a callback URL of the app client`;
    return undefined;
  }

  /** Errors the app should hear about go back to its callback, with the state, as OAuth asks. */
  function checkRequest(params: URLSearchParams): string | undefined {
    if (params.get('response_type') !== 'code') return 'response_type must be code';
    if (!params.get('code_challenge')) return 'PKCE is required: send code_challenge';
    if (params.get('code_challenge_method') !== 'S256') return 'code_challenge_method must be S256';
    const scopes = (params.get('scope') ?? '').split(' ').filter(Boolean);
    if (!scopes.includes('openid')) return 'scope must include openid';
    const known = new Set(LOCAL_SCOPES.split(' '));
    const unknown = scopes.find((s) => !known.has(s));
    return unknown ? `scope ${unknown} is not granted to this app client` : undefined;
  }

  function backToClient(params: URLSearchParams, extra: Record<string, string>): GatewayResponse {
    const target = new URL(params.get('redirect_uri') ?? '');
    for (const [k, v] of Object.entries(extra)) target.searchParams.set(k, v);
    const state = params.get('state');
    if (state) target.searchParams.set('state', state);
    return redirect(target.toString());
  }

  async function readForm(request: SiteRequest): Promise<URLSearchParams | undefined> {
    const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') return undefined;
    const body = await request.body();
    if (body.length > FORM_LIMIT_BYTES) return undefined;
    return new URLSearchParams(body.toString('utf8'));
  }

  async function authorize(method: string, request: SiteRequest): Promise<GatewayResponse> {
    const params = method === 'POST' ? await readForm(request) : request.query;
    const locale = loginLocale(
      request.query.size ? request.query : (params ?? request.query),
      request.headers['accept-language'],
    );
    if (!params) return html(400, loginErrorPage(locale, 'the form must be sent as application/x-www-form-urlencoded'));
    const clientProblem = checkClient(params);
    if (clientProblem) return html(400, loginErrorPage(locale, clientProblem));
    const requestProblem = checkRequest(params);
    if (requestProblem) return backToClient(params, { error: 'invalid_request', error_description: requestProblem });
    if (method === 'GET') return html(200, loginPage(locale, params));
    const user = params.get('user');
    if (user !== 'admin' && user !== 'analyst') return html(400, loginErrorPage(locale, 'choose admin or analyst'));
    const code = token();
    codes.set(code, {
      user,
      redirectUri: params.get('redirect_uri') ?? '',
      codeChallenge: params.get('code_challenge') ?? '',
      nonce: params.get('nonce') ?? undefined,
      expiresAt: Date.now() + CODE_LIFETIME_MS,
    });
    return backToClient(params, { code });
  }

  async function exchange(request: SiteRequest): Promise<GatewayResponse> {
    const form = await readForm(request);
    if (!form) return oauthError('invalid_request', 'send the form as application/x-www-form-urlencoded');
    if (form.get('client_id') !== idp.clientId) return oauthError('invalid_client', 'unknown client_id', 401);
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const code = form.get('code') ?? '';
      const pending = codes.get(code);
      // One use only, whatever the outcome: a replayed or guessed code never yields tokens.
      codes.delete(code);
      if (!pending || pending.expiresAt < Date.now())
        return oauthError('invalid_grant', 'the code is unknown, used or expired');
      if (form.get('redirect_uri') !== pending.redirectUri)
        return oauthError('invalid_grant', 'redirect_uri differs from the authorization request');
      const verifier = form.get('code_verifier') ?? '';
      if (!VERIFIER.test(verifier)) return oauthError('invalid_grant', 'code_verifier is missing or malformed');
      if (s256(verifier) !== pending.codeChallenge)
        return oauthError('invalid_grant', 'code_verifier does not match the code_challenge');
      const refresh = token();
      refreshTokens.set(refresh, { user: pending.user, expiresAt: Date.now() + REFRESH_LIFETIME_MS });
      return json(200, { ...(await issueTokens(pending.user, pending.nonce)), refresh_token: refresh });
    }
    if (grant === 'refresh_token') {
      const held = refreshTokens.get(form.get('refresh_token') ?? '');
      if (!held || held.expiresAt < Date.now())
        return oauthError('invalid_grant', 'the refresh token is unknown, revoked or expired');
      // Like Cognito: new access and ID tokens; the refresh token stays the same.
      return json(200, await issueTokens(held.user, undefined));
    }
    return oauthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  }

  async function revoke(request: SiteRequest): Promise<GatewayResponse> {
    const form = await readForm(request);
    if (!form) return oauthError('invalid_request', 'send the form as application/x-www-form-urlencoded');
    if (form.get('client_id') !== idp.clientId) return oauthError('invalid_client', 'unknown client_id', 401);
    refreshTokens.delete(form.get('token') ?? '');
    return { statusCode: 200, headers: { 'cache-control': 'no-store' }, body: Buffer.alloc(0) };
  }

  function logout(request: SiteRequest): GatewayResponse {
    const locale = loginLocale(request.query, request.headers['accept-language']);
    if (request.query.get('client_id') !== idp.clientId) return html(400, loginErrorPage(locale, 'unknown client_id'));
    const target = request.query.get('logout_uri') ?? '';
    if (!options.logoutUris().includes(target))
      return html(
        400,
        loginErrorPage(locale, `logout_uri ${target || '(none)'} is not a sign-out URL of the app client`),
      );
    return redirect(target);
  }

  return async (method, rawPath, request) => {
    if (method === 'GET' && rawPath === '/.well-known/openid-configuration') return json(200, discovery());
    if (method === 'GET' && rawPath === '/.well-known/jwks.json') return json(200, idp.jwks);
    if (rawPath === '/oauth2/authorize' && (method === 'GET' || method === 'POST')) return authorize(method, request);
    if (method === 'GET' && rawPath === '/oauth2/login.css')
      return {
        statusCode: 200,
        headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' },
        body: Buffer.from(loginCss),
      };
    if (method === 'POST' && rawPath === '/oauth2/token') return exchange(request);
    if (method === 'POST' && rawPath === '/oauth2/revoke') return revoke(request);
    if (method === 'GET' && rawPath === '/logout') return logout(request);
    return undefined;
  };
}
