/**
 * The local identity provider: stands in for the Cognito user pool. It mints RS256 tokens shaped like
 * Cognito ID tokens (`cognito:groups`, `token_use`) and verifies them the way API Gateway's JWT
 * authorizer does (signature, issuer, audience, expiry) — and nothing more: roles are the handler's job.
 */

import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
} from 'jose';

export const LOCAL_ISSUER = 'rapport-local-idp';
export const LOCAL_AUDIENCE = 'rapport-local-client';
const ALGORITHM = 'RS256';
/** API Gateway tolerates a little clock skew; a few seconds is plenty on one machine. */
const CLOCK_TOLERANCE_SECONDS = 5;

export interface MintTokenOptions {
  readonly sub: string;
  readonly groups?: readonly string[];
  /** A jose duration (`'12h'`, `'5m'`) or an absolute epoch-seconds expiry (negative offsets: use a past number). */
  readonly expiresIn?: string | number;
  readonly issuer?: string;
  readonly audience?: string;
  readonly email?: string;
  /** Sign with another key (tests: a token the gateway must refuse). */
  readonly privateKey?: CryptoKey;
  /** Further claims, e.g. a custom attribute. */
  readonly claims?: Readonly<Record<string, unknown>>;
}

export type VerifyResult =
  | { readonly ok: true; readonly claims: JWTPayload }
  | { readonly ok: false; readonly reason: string };

export interface LocalIdentityProvider {
  readonly issuer: string;
  readonly audience: string;
  readonly publicJwk: JWK;
  mintToken(options: MintTokenOptions): Promise<string>;
  verify(token: string): Promise<VerifyResult>;
}

interface KeyPair {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly kid: string;
}

/**
 * `keyFile`: where the key pair is kept so printed tokens survive a restart (`npm start`);
 * `null`: a fresh key pair per process (tests).
 */
export async function createLocalIdentityProvider(options: { keyFile: string | null }): Promise<LocalIdentityProvider> {
  const keys = options.keyFile ? await loadOrCreateKeyPair(options.keyFile) : await newKeyPair();
  const publicJwk = { ...(await exportJWK(keys.publicKey)), kid: keys.kid, alg: ALGORITHM, use: 'sig' };
  return {
    issuer: LOCAL_ISSUER,
    audience: LOCAL_AUDIENCE,
    publicJwk,
    mintToken: (mint) => mintToken(mint, keys),
    verify: (token) => verifyToken(token, keys.publicKey),
  };
}

/** A key pair the local identity provider does not trust (tests). */
export async function generateForeignPrivateKey(): Promise<CryptoKey> {
  return (await newKeyPair()).privateKey;
}

async function mintToken(options: MintTokenOptions, keys: KeyPair): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = {
    ...options.claims,
    'cognito:groups': [...(options.groups ?? [])],
    'cognito:username': options.sub,
    token_use: 'id',
    auth_time: now,
    ...(options.email ? { email: options.email } : {}),
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, kid: keys.kid, typ: 'JWT' })
    .setSubject(options.sub)
    .setIssuer(options.issuer ?? LOCAL_ISSUER)
    .setAudience(options.audience ?? LOCAL_AUDIENCE)
    .setIssuedAt(now)
    .setJti(randomUUID())
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(options.privateKey ?? keys.privateKey);
}

async function verifyToken(token: string, publicKey: CryptoKey): Promise<VerifyResult> {
  try {
    const { payload } = await jwtVerify(token, publicKey, {
      algorithms: [ALGORITHM],
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp'],
    });
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
