/**
 * The local identity provider's keys and tokens: it stands in for the Cognito user pool. It mints
 * RS256 tokens shaped like Cognito's — access tokens (`token_use: "access"`, `client_id`, `scope`,
 * `cognito:groups`, `username`, no `aud`) and ID tokens (`token_use: "id"`, `aud`) — and verifies
 * them by the rules API Gateway's JWT authorizer applies in AWS, no more and no less:
 *
 * - the header's `kid` names a key of the JWKS (unknown or missing kid → refused), RS256 only;
 * - `iss` is this issuer;
 * - `aud`, or `client_id` when there is no `aud`, is the app client;
 * - `exp` is in the future, `nbf` and `iat` are not (a few seconds of skew allowed).
 *
 * Which token *type* the API accepts is not the authorizer's business (in AWS it passes ID tokens of
 * the app client too): the handlers refuse anything but an access token (`functions/http/auth.ts`),
 * so the rule is the same in both places. Roles are the handlers' job as well.
 */

import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  type CryptoKey,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
} from 'jose';

/** The local app client: the console signs in with it, and tokens must name it. */
export const LOCAL_CLIENT_ID = 'rapport-local-console';
/** Scopes the local app client grants (the Cognito app client's OAuth scopes). */
export const LOCAL_SCOPES = 'openid email profile';
const ALGORITHM = 'RS256';
/** API Gateway tolerates a little clock skew; a few seconds is plenty on one machine. */
export const CLOCK_SKEW_SECONDS = 5;
/** Cognito's default lifetimes: one hour for access and ID tokens. */
export const TOKEN_LIFETIME_SECONDS = 3600;

export type TokenUse = 'access' | 'id';

export interface MintTokenOptions {
  readonly sub: string;
  readonly groups?: readonly string[];
  /** `access` (default; what the API takes) or `id`. */
  readonly tokenUse?: TokenUse;
  /** A jose duration (`'12h'`, `'5m'`) or an absolute epoch-seconds expiry (negative offsets: use a past number). */
  readonly expiresIn?: string | number;
  readonly issuer?: string;
  /** The app client named by the token (`client_id` of an access token, `aud` of an ID token). */
  readonly clientId?: string;
  readonly email?: string;
  /** Epoch seconds; default now (tests: a token issued in the future). */
  readonly issuedAt?: number;
  /** Epoch seconds (tests: a token not valid yet). */
  readonly notBefore?: number;
  /** Header `kid` to write instead of the signing key's (tests: an unknown key id); `null` leaves it out. */
  readonly kid?: string | null;
  /** Sign with another key (tests: a token the gateway must refuse). */
  readonly privateKey?: CryptoKey;
  /** Further claims, e.g. a nonce or a custom attribute. */
  readonly claims?: Readonly<Record<string, unknown>>;
}

export type VerifyResult =
  | { readonly ok: true; readonly claims: JWTPayload }
  | { readonly ok: false; readonly reason: string };

export interface LocalIdentityProvider {
  /** The runtime's own URL (known once the gateway listens), like a user pool's issuer URL. */
  readonly issuer: string;
  readonly clientId: string;
  /** The JSON Web Key Set served at `/.well-known/jwks.json`. */
  readonly jwks: { readonly keys: readonly JWK[] };
  mintToken(options: MintTokenOptions): Promise<string>;
  verify(token: string): Promise<VerifyResult>;
}

interface KeyPair {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly kid: string;
}

export interface IdentityProviderOptions {
  /**
   * Where the key pair is kept so tokens survive a restart (`npm start`); `null`: a fresh key pair
   * per process (tests).
   */
  readonly keyFile: string | null;
  /** The issuer, read when a token is minted or verified: the gateway's URL is known only once it listens. */
  readonly issuer: () => string;
  readonly clientId?: string;
}

export async function createLocalIdentityProvider(options: IdentityProviderOptions): Promise<LocalIdentityProvider> {
  const keys = options.keyFile ? await loadOrCreateKeyPair(options.keyFile) : await newKeyPair();
  const publicJwk: JWK = { ...(await exportJWK(keys.publicKey)), kid: keys.kid, alg: ALGORITHM, use: 'sig' };
  const clientId = options.clientId ?? LOCAL_CLIENT_ID;
  return {
    get issuer() {
      return options.issuer();
    },
    clientId,
    jwks: { keys: [publicJwk] },
    mintToken: (mint) => mintToken(mint, keys, options.issuer(), clientId),
    verify: (token) => verifyToken(token, keys, options.issuer(), clientId),
  };
}

/** A key pair the local identity provider does not trust (tests). */
export async function generateForeignPrivateKey(): Promise<CryptoKey> {
  return (await newKeyPair()).privateKey;
}

async function mintToken(options: MintTokenOptions, keys: KeyPair, issuer: string, clientId: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const tokenUse = options.tokenUse ?? 'access';
  const client = options.clientId ?? clientId;
  const groups = { 'cognito:groups': [...(options.groups ?? [])] };
  // The claims each Cognito token type carries (an access token has no `aud`; an ID token no `scope`).
  const claims: JWTPayload =
    tokenUse === 'access'
      ? {
          ...groups,
          token_use: 'access',
          client_id: client,
          scope: LOCAL_SCOPES,
          username: options.sub,
          auth_time: now,
          ...options.claims,
        }
      : {
          ...groups,
          token_use: 'id',
          'cognito:username': options.sub,
          auth_time: now,
          ...(options.email ? { email: options.email, email_verified: true } : {}),
          ...options.claims,
        };
  const header = { alg: ALGORITHM, typ: 'JWT', ...(options.kid === null ? {} : { kid: options.kid ?? keys.kid }) };
  const jwt = new SignJWT(claims)
    .setProtectedHeader(header)
    .setSubject(options.sub)
    .setIssuer(options.issuer ?? issuer)
    .setIssuedAt(options.issuedAt ?? now)
    .setJti(randomUUID())
    .setExpirationTime(options.expiresIn ?? '1h');
  if (tokenUse === 'id') jwt.setAudience(client);
  if (options.notBefore !== undefined) jwt.setNotBefore(options.notBefore);
  return jwt.sign(options.privateKey ?? keys.privateKey);
}

async function verifyToken(token: string, keys: KeyPair, issuer: string, clientId: string): Promise<VerifyResult> {
  try {
    const { kid, alg } = decodeProtectedHeader(token);
    if (alg !== ALGORITHM) return { ok: false, reason: 'the token is not signed with RS256' };
    if (kid !== keys.kid) return { ok: false, reason: 'the token names no key of this issuer (kid)' };
    const { payload } = await jwtVerify(token, keys.publicKey, {
      algorithms: [ALGORITHM],
      issuer,
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ['exp'],
    });
    // API Gateway checks `aud` when present, and `client_id` only when there is no `aud`.
    const audiences = payload.aud === undefined ? undefined : [payload.aud].flat();
    if (audiences ? !audiences.includes(clientId) : payload.client_id !== clientId)
      return { ok: false, reason: `the token was not issued to this app client (${audiences ? 'aud' : 'client_id'})` };
    // jose checks `iat` only for a maximum age; the authorizer refuses a token issued in the future.
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS)
      return { ok: false, reason: 'the token\'s "iat" claim is in the future' };
    return { ok: true, claims: payload };
  } catch (error) {
    return { ok: false, reason: describeJwtError(error) };
  }
}

function describeJwtError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `the token's "${error.claim}" claim is not valid (${error.reason})`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return 'the token signature is not valid for this issuer';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'the token is not signed with RS256';
  if (error instanceof joseErrors.JOSEError) return 'the token is not a valid JWT';
  return 'the token could not be verified';
}

async function newKeyPair(): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  return { privateKey, publicKey, kid: randomUUID() };
}

interface StoredKey {
  readonly kid: string;
  readonly privateJwk: JWK;
}

async function loadOrCreateKeyPair(keyFile: string): Promise<KeyPair> {
  if (existsSync(keyFile)) {
    const stored = JSON.parse(readFileSync(keyFile, 'utf8')) as StoredKey;
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = stored.privateJwk;
    const privateKey = await importJWK(stored.privateJwk, ALGORITHM);
    const publicKey = await importJWK(publicJwk, ALGORITHM);
    if (privateKey instanceof Uint8Array || publicKey instanceof Uint8Array)
      throw new Error(`${keyFile} does not hold an RSA key`);
    return { privateKey, publicKey, kid: stored.kid };
  }
  const keys = await newKeyPair();
  const stored: StoredKey = { kid: keys.kid, privateJwk: await exportJWK(keys.privateKey) };
  mkdirSync(path.dirname(keyFile), { recursive: true });
  // 0600: it signs admin tokens for this machine's local runtime.
  writeFileSync(keyFile, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  return keys;
}
