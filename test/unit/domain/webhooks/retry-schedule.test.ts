import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextDelayMs, parseRetryAfter, RETRY_POLICY } from '../../../../functions/domain/webhooks/retry-schedule';

const HOUR = 3_600_000;

/** The waits between the attempts of one delivery that never succeeds, for given jitter draws. */
function waits(randoms: readonly number[], retryAfterMs?: number): number[] {
  const out: number[] = [];
  for (let attempt = 1; ; attempt++) {
    const delay = nextDelayMs(attempt, randoms[attempt - 1] ?? 0.5, retryAfterMs);
    if (delay === undefined) return out;
    out.push(delay);
  }
}

describe('the retry schedule', () => {
  it('tries at least 10 times over at least 24 hours, whatever the jitter', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 0.999_999, noNaN: true }), { minLength: 13, maxLength: 13 }),
        (r) => {
          const w = waits(r);
          expect(w.length + 1).toBeGreaterThanOrEqual(10);
          expect(w.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(24 * HOUR);
          // And gives up within two days.
          expect(w.reduce((a, b) => a + b, 0)).toBeLessThan(48 * HOUR);
        },
      ),
    );
  });

  it('grows exponentially and is jittered', () => {
    const low = waits(new Array(13).fill(0));
    const high = waits(new Array(13).fill(0.999));
    expect(low[0]).toBe(8000);
    expect(high[0]).toBeGreaterThan(11_900);
    expect(low[1]).toBeGreaterThan(low[0] ?? 0);
    expect(Math.max(...high)).toBeLessThanOrEqual(RETRY_POLICY.maxDelayMs * 1.2);
  });

  it('never retries before Retry-After', () => {
    expect(nextDelayMs(1, 0.5, HOUR)).toBe(HOUR);
    expect(nextDelayMs(8, 0.5, 1000)).toBeGreaterThan(HOUR);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = new Date('2026-11-30T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 30 Nov 2026 00:10:00 GMT', now)).toBe(600_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
