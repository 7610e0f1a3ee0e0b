/**
 * THE security headers of the console's pages, one definition for both places that serve them: the
 * local runtime (`npm start`) and, in AWS, the CloudFront response headers policy. Nothing in the
 * console is inline (scripts, styles and the config are files), so the CSP needs no 'unsafe-inline'.
 * The identity provider's origins are allowed for the console's calls (connect-src: discovery and
 * keys on the issuer, token and revocation on the sign-in domain — two origins with Cognito:
 * `https://cognito-idp.<region>.amazonaws.com` and `https://<domain>.auth.<region>.amazoncognito.com`)
 * and for forms (form-action). Locally both are the runtime's own origin.
 */
export function consoleContentSecurityPolicy(identityProviderOrigins: readonly string[]): string {
  const idp = [...new Set(identityProviderOrigins.filter(Boolean))].map((o) => ` ${o}`).join('');
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

export function consoleSecurityHeaders(identityProviderOrigins: readonly string[]): Record<string, string> {
  return {
    'content-security-policy': consoleContentSecurityPolicy(identityProviderOrigins),
    'strict-transport-security': 'max-age=63072000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // Console URLs carry survey and customer ids: they never leave in a Referer.
    'referrer-policy': 'no-referrer',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'cross-origin-opener-policy': 'same-origin',
  };
}
