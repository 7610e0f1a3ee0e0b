/**
 * The console's runtime configuration, fetched from `/config.json` at start. In AWS the stack writes
 * it next to the console with the Cognito values; locally the runtime serves it. One type for the
 * writers and the reader.
 */
export interface ConsoleConfig {
  readonly oidc: {
    /** The OIDC issuer: Cognito's `https://cognito-idp.<region>.amazonaws.com/<poolId>`, locally the runtime's URL. */
    readonly authority: string;
    readonly clientId: string;
    /** Where the identity provider sends the browser back with the code: the console's URL. */
    readonly redirectUri: string;
    readonly postLogoutRedirectUri: string;
    readonly scope: string;
    /**
     * Sign-out URL, when the provider's discovery document has no `end_session_endpoint` (Cognito's
     * has none: its `/logout?client_id=…&logout_uri=…` ends the managed-login session).
     */
    readonly logoutUrl?: string;
  };
  /** Origin of the API; '' = the console's own origin (CloudFront serves `/v1/*` beside it). */
  readonly apiBase: string;
}
