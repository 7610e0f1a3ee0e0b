/**
 * When a failed delivery is tried again: exponential backoff with jitter over more than a day, so a
 * receiver that is down for a night still gets everything. 13 attempts; the nominal waits (10 s ×
 * 3^k, capped at 6 h) add up to about 33 h, and even with every jitter at its lowest (×0.8) the
 * last attempt comes more than 26 h after the first. A receiver's `Retry-After` is honoured: the next
 * attempt never comes before it (capped at the longest wait, so the window stays bounded).
 */
export const RETRY_POLICY = {
  maxAttempts: 13,
  baseDelayMs: 10_000,
  factor: 3,
  maxDelayMs: 6 * 3_600_000,
  /** Each wait is its nominal value × a random factor in [1 − jitter, 1 + jitter]. */
  jitter: 0.2,
  /** One attempt's budget: connect, send and the first bytes of the answer. */
  timeoutMs: 10_000,
} as const;

/** The nominal wait after failed attempt `attempt` (1-based), before jitter. */
export function nominalDelayMs(attempt: number): number {
  return Math.min(RETRY_POLICY.maxDelayMs, RETRY_POLICY.baseDelayMs * RETRY_POLICY.factor ** (attempt - 1));
}

/**
 * The wait before the next attempt after failed attempt `attempt`, or undefined when it was the last.
 * `random` is in [0, 1).
 */
export function nextDelayMs(attempt: number, random: number, retryAfterMs?: number): number | undefined {
  if (attempt >= RETRY_POLICY.maxAttempts) return undefined;
  const jittered = nominalDelayMs(attempt) * (1 - RETRY_POLICY.jitter + 2 * RETRY_POLICY.jitter * random);
  const honoured = retryAfterMs !== undefined ? Math.max(jittered, retryAfterMs) : jittered;
  return Math.round(Math.min(honoured, RETRY_POLICY.maxDelayMs * (1 + RETRY_POLICY.jitter)));
}

/** `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3), in ms from `now`; undefined if unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d{1,10}$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
