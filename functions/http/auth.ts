/**
 * Roles from the Cognito JWT claims that API Gateway's authorizer (or the local gateway, which checks
 * tokens the same way) has verified. `admin` may write; `analyst` may only read.
 *
 * The API takes ACCESS tokens only. The authorizer checks signature, issuer, audience/client and
 * lifetime, but it cannot tell token types apart: an ID token of the same app client (its `aud`)
 * passes it. So the type is checked here, from `token_use`, and the rule is the same in AWS and
 * locally (where the gateway applies the authorizer's rules and passes the claims the same way).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Access } from '../contracts/routes';
import { ForbiddenError, UnauthorizedError } from './http-errors';

export type Role = 'admin' | 'analyst';

export interface Identity {
  subject: string;
  roles: Role[];
  /** Cognito's `token_use` claim: `access` for access tokens, `id` for ID tokens. */
  tokenUse: string | undefined;
}

type JwtContext = { authorizer?: { jwt?: { claims?: Record<string, unknown> } } };

/** API Gateway flattens array claims into the string "[admin analyst]"; tokens may also carry a real array. */
export function parseGroups(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string') return [];
  const trimmed = claim.trim();
  if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
    const inner = trimmed.slice(1, -1).trim();
    if (inner.startsWith('"')) {
      try {
        return (JSON.parse(trimmed) as unknown[]).map(String);
      } catch {
        // fall through to the space-separated form
      }
    }
    return inner.split(/[\s,]+/).filter(Boolean);
  }
  return trimmed.split(/[\s,]+/).filter(Boolean);
}

export function identityOf(event: APIGatewayProxyEventV2): Identity | undefined {
  const claims = (event.requestContext as APIGatewayProxyEventV2['requestContext'] & JwtContext).authorizer?.jwt
    ?.claims;
  if (!claims || typeof claims.sub !== 'string') return undefined;
  const roles = parseGroups(claims['cognito:groups']).filter((g): g is Role => g === 'admin' || g === 'analyst');
  const tokenUse = typeof claims.token_use === 'string' ? claims.token_use : undefined;
  return { subject: claims.sub, roles, tokenUse };
}

export function authorize(access: Access, identity: Identity | undefined): void {
  if (access === 'public') return;
  if (!identity) throw new UnauthorizedError('this route needs a bearer token from the Rapport user pool');
  if (identity.tokenUse !== 'access')
    throw new UnauthorizedError(
      'send the access token as the bearer token; ID tokens and other tokens are not accepted',
    );
  const adminOnly = access === 'write' || access === 'admin';
  const allowed = adminOnly
    ? identity.roles.includes('admin')
    : identity.roles.some((r) => r === 'admin' || r === 'analyst');
  if (!allowed) {
    throw new ForbiddenError(
      access === 'write'
        ? 'only members of the admin group may change data; analysts have read-only access'
        : access === 'admin'
          ? 'only members of the admin group may read this (the audit log); analysts cannot'
          : 'your account is in neither the admin nor the analyst group',
    );
  }
}
