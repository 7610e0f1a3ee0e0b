/**
 * Response headers CloudFront adds on the static behaviours of the front door. The API (`/v1/*`) gets
 * none: its functions set their own security headers and grant CORS per survey, which a policy here
 * would override.
 */
import { Duration } from 'aws-cdk-lib';
import { HeadersFrameOption, HeadersReferrerPolicy, ResponseHeadersPolicy } from 'aws-cdk-lib/aws-cloudfront';
import type { Construct } from 'constructs';

export interface ConsoleCspSources {
  /** `https://<prefix>.auth.<region>.amazoncognito.com`: managed login, token and logout endpoints. */
  readonly cognitoDomainUrl: string;
  /** `https://cognito-idp.<region>.amazonaws.com`: OIDC discovery and JWKS of the user pool. */
  readonly cognitoIdpUrl: string;
}

/**
 * The console's Content-Security-Policy: everything from the console's own origin, nothing inline (no
 * 'unsafe-inline' anywhere), sign-in talks to Cognito only, no framing, no <base>, forms post only to
 * the console or to Cognito's managed login.
 */
export function consoleContentSecurityPolicy(sources: ConsoleCspSources): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${sources.cognitoDomainUrl} ${sources.cognitoIdpUrl}`,
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    `form-action 'self' ${sources.cognitoDomainUrl}`,
  ].join('; ');
}

/** Browser features the console never uses; denied so injected code cannot use them either. */
export const CONSOLE_PERMISSIONS_POLICY =
  'accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()';

const TWO_YEARS = Duration.days(730);

export function consoleHeadersPolicy(scope: Construct, id: string, sources: ConsoleCspSources): ResponseHeadersPolicy {
  return new ResponseHeadersPolicy(scope, id, {
    comment: 'Rapport console: strict CSP, HSTS, no framing, no referrer, no sniffing, few browser features',
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: consoleContentSecurityPolicy(sources), override: true },
      strictTransportSecurity: { accessControlMaxAge: TWO_YEARS, includeSubdomains: true, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
    },
    customHeadersBehavior: {
      customHeaders: [
        { header: 'Permissions-Policy', value: CONSOLE_PERMISSIONS_POLICY, override: true },
        // Sign-in is a full-page redirect, never a popup: no other window needs a handle on the console.
        { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
      ],
    },
  });
}

/** Any site may load the widget script (it embeds it); the files are public and carry no cookies. */
export function widgetHeadersPolicy(scope: Construct, id: string): ResponseHeadersPolicy {
  return new ResponseHeadersPolicy(scope, id, {
    comment: 'Rapport widget: any site may load the script; no sniffing; HSTS',
    corsBehavior: {
      accessControlAllowOrigins: ['*'],
      accessControlAllowMethods: ['GET', 'HEAD'],
      accessControlAllowHeaders: ['*'],
      accessControlAllowCredentials: false,
      originOverride: true,
    },
    securityHeadersBehavior: {
      contentTypeOptions: { override: true },
      strictTransportSecurity: { accessControlMaxAge: TWO_YEARS, includeSubdomains: true, override: true },
    },
  });
}
