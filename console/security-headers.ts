/**
 * THE security headers of the console's pages, one definition for both places that serve them: the
 * local runtime (`npm start`) and, in AWS, the CloudFront response headers policy. Nothing in the
 * console is inline (scripts, styles and the config are files), so the CSP needs no 'unsafe-inline';
 * the identity provider's origin is allowed for the token calls (connect-src) and the sign-in
 * redirects (form-action).
 */
export function consoleContentSecurityPolicy(identityProviderOrigin: string): string {
  const idp = identityProviderOrigin === '' ? '' : ` ${identityProviderOrigin}`;
  return [
    "default-src 'self'",
    `connect-src 'self'${idp}`,
    "img-src 'self' data:",
    `form-action 'self'${idp}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

export function consoleSecurityHeaders(identityProviderOrigin: string): Record<string, string> {
  return {
    'content-security-policy': consoleContentSecurityPolicy(identityProviderOrigin),
    'strict-transport-security': 'max-age=63072000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // Console URLs carry survey and customer ids: they never leave in a Referer.
    'referrer-policy': 'no-referrer',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'cross-origin-opener-policy': 'same-origin',
  };
}
