/**
 * One look at the public health endpoint, the way a customer's browser would see it: HTTPS GET, a
 * hard timeout, and "available" only for a 2xx whose JSON body says `status: "ok"` (a 503 `degraded`
 * answer is an outage of the data path, not a success).
 */

export interface HealthObservation {
  readonly available: boolean;
  /** Milliseconds until the whole answer was read, or until the failure. */
  readonly latencyMs: number;
  /** HTTP status, when an answer came back at all. */
  readonly status?: number;
  /** Why it counts as unavailable: `timeout`, `http-503`, `body`, `network:ENOTFOUND`, … */
  readonly failure?: string;
}

export interface HealthCheckOptions {
  readonly timeoutMs: number;
  /** Monotonic clock in ms (tests may pin it). */
  readonly now?: () => number;
}

export async function checkHealth(url: string, options: HealthCheckOptions): Promise<HealthObservation> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const elapsed = () => Math.max(0, Math.round(now() - started));
  try {
    const response = await fetch(url, {
      method: 'GET',
      // Node's fetch has no HTTP cache; the header asks any cache on the way (CloudFront) to go to the origin.
      headers: { accept: 'application/json', 'user-agent': 'rapport-availability-probe', 'cache-control': 'no-cache' },
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    // The same signal bounds reading the body: a server that stalls mid-answer is a timeout too.
    const text = await response.text();
    const latencyMs = elapsed();
    if (!response.ok)
      return { available: false, latencyMs, status: response.status, failure: `http-${response.status}` };
    if (bodyStatus(text) !== 'ok') return { available: false, latencyMs, status: response.status, failure: 'body' };
    return { available: true, latencyMs, status: response.status };
  } catch (error) {
    return { available: false, latencyMs: elapsed(), failure: failureOf(error) };
  }
}

function bodyStatus(text: string): unknown {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null ? (body as { status?: unknown }).status : undefined;
  } catch {
    return undefined;
  }
}

function failureOf(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  // undici reports network failures as TypeError('fetch failed') with the system error as `cause`.
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return `network:${cause.code}`;
  return error instanceof Error ? `error:${error.name}` : 'error';
}
