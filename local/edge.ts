/**
 * What CloudFront and AWS WAF do in front of the API, for the local gateway: the per-client rate rules
 * of `functions/contracts/edge-limits.ts` (the WAF rules are built from the same definitions), with
 * WAF's answer (429 problem+json), and the viewer's address appended to X-Forwarded-For.
 */
import { type ClientRateRule, ruleApplies } from '../functions/contracts/edge-limits';
import { type GatewayResponse, problem } from './problem';

export interface Edge {
  /** A 429 when this request is over one of the rules, else undefined (and the request is counted). */
  admit(address: string, method: string, path: string, now?: number): GatewayResponse | undefined;
}

export function createEdge(rules: readonly ClientRateRule[]): Edge {
  // Fixed windows per rule and key; WAF evaluates over a sliding window, which can only be stricter
  // at the window's edges, never looser.
  const windows = new Map<string, { start: number; count: number }>();
  return {
    admit(address, method, path, now = Date.now()) {
      for (const rule of rules) {
        if (!ruleApplies(rule, method, path)) continue;
        const key = `${rule.name}\u0000${address}${rule.perPath ? `\u0000${path}` : ''}`;
        const windowMs = rule.windowSeconds * 1000;
        let window = windows.get(key);
        if (!window || now - window.start >= windowMs) {
          window = { start: now, count: 0 };
          windows.set(key, window);
        }
        window.count++;
        if (window.count > rule.limit) {
          const retryAfter = Math.max(1, Math.ceil((window.start + windowMs - now) / 1000));
          return problem(
            429,
            'rate-limited',
            'Too many requests',
            `this address sent more than ${rule.limit} such requests in ${rule.windowSeconds} s; try again in ${retryAfter} s`,
            { 'retry-after': String(retryAfter) },
          );
        }
      }
      if (windows.size > 100_000) windows.clear();
      return undefined;
    },
  };
}
