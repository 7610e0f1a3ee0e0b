/**
 * How fast one client may call Rapport, enforced at the edge: by AWS WAF rate-based rules on the
 * CloudFront distribution in AWS, and by the local gateway's stand-in locally (so a flood test shows
 * the same behaviour). One definition for both. Pure data.
 */
export interface ClientRateRule {
  /** What the rule is for (WAF rule name, log lines). */
  readonly name: string;
  /** Requests allowed per client (IP, and path when `perPath`) within `windowSeconds`. */
  readonly limit: number;
  /** WAF evaluation windows: 60, 120, 300 or 600 seconds. */
  readonly windowSeconds: 60 | 120 | 300 | 600;
  /** Count per (IP, URI path): one client floods one survey no faster than a person answers. */
  readonly perPath: boolean;
  /** Which requests count: method and a path pattern (`*` = one path segment, `**` = any rest). */
  readonly method?: 'POST';
  readonly pathPattern: string;
}

/**
 * A person answers a survey once, perhaps twice after a mistake, and the widget retries a failed
 * send a few times: ten answers a minute from one address to one survey is far above that and far
 * below a script (the WAF minimum is 10). Offices behind one address still get ten a minute each.
 */
export const submissionsPerClient: ClientRateRule = {
  name: 'submissions-per-client-and-survey',
  limit: 10,
  windowSeconds: 60,
  perPath: true,
  method: 'POST',
  pathPattern: '/v1/surveys/*/responses',
};

/**
 * The widget records one display per page view where a card shows (`shown`, and `dismissed` when it
 * is closed unfinished): two requests a page view at most, and a person rarely opens more than a page
 * every two seconds, so sixty a minute from one address to one survey is above what a person makes
 * and far below a script. An office behind one address that goes over loses nothing: the widget's
 * outbox retries a 429 after its Retry-After, so those displays arrive a minute late.
 */
export const displaysPerClient: ClientRateRule = {
  name: 'displays-per-client-and-survey',
  limit: 60,
  windowSeconds: 60,
  perPath: true,
  method: 'POST',
  pathPattern: '/v1/surveys/*/displays',
};

/** Everything under /v1 from one address: generous for the console and integrations, not for floods. */
export const apiPerClient: ClientRateRule = {
  name: 'api-per-client',
  limit: 600,
  windowSeconds: 60,
  perPath: false,
  pathPattern: '/v1/**',
};

export const clientRateRules: readonly ClientRateRule[] = [submissionsPerClient, displaysPerClient, apiPerClient];

/** A rule's path pattern as an anchored regular expression (also the WAF scope-down's `RegexString`). */
export function pathRegex(rule: ClientRateRule): string {
  const source = rule.pathPattern
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return `^${source}$`;
}

/** Whether a request counts against a rule (the WAF scope-down statement says the same). */
export function ruleApplies(rule: ClientRateRule, method: string, path: string): boolean {
  if (rule.method && rule.method !== method) return false;
  return new RegExp(pathRegex(rule)).test(path);
}
