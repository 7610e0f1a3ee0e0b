/**
 * The handlers' half of authentication: whatever the authorizer passed, only an ACCESS token of a
 * known group gets in (API Gateway's authorizer cannot tell an ID token of the same client apart).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../functions/domain/errors';
import { authorize, identityOf } from '../../functions/http/auth';
import { UnauthorizedError } from '../../functions/http/http-errors';

/** The event as API Gateway builds it: claims stringified, arrays as "[a b]". */
const eventWith = (claims: Record<string, string> | undefined) =>
  ({
    requestContext: claims ? { authorizer: { jwt: { claims, scopes: null } } } : {},
  }) as unknown as APIGatewayProxyEventV2;

const access = { sub: 'u1', token_use: 'access', 'cognito:groups': '[admin]', client_id: 'c' };

describe('identityOf and authorize', () => {
  it('let an access token of the admin group write and read', () => {
    const identity = identityOf(eventWith(access));
    expect(identity).toEqual({ subject: 'u1', roles: ['admin'], tokenUse: 'access' });
    expect(() => authorize('write', identity)).not.toThrow();
    expect(() => authorize('read', identity)).not.toThrow();
  });

  it('refuse an ID token, or a token without token_use, with a 401 on every protected route', () => {
    for (const claims of [
      { ...access, token_use: 'id', aud: 'c' },
      { sub: 'u1', 'cognito:groups': '[admin]' },
    ]) {
      const identity = identityOf(eventWith(claims));
      expect(() => authorize('read', identity)).toThrow(UnauthorizedError);
      expect(() => authorize('write', identity)).toThrow(UnauthorizedError);
      expect(() => authorize('public', identity)).not.toThrow();
    }
  });

  it('refuse a missing token with 401, and an analyst on a write route with 403', () => {
    expect(() => authorize('read', identityOf(eventWith(undefined)))).toThrow(UnauthorizedError);
    const analyst = identityOf(eventWith({ ...access, 'cognito:groups': '[analyst]' }));
    expect(() => authorize('read', analyst)).not.toThrow();
    expect(() => authorize('write', analyst)).toThrow(ForbiddenError);
  });
});
