import { wilson } from './wilson';

/**
 * Response rate of a survey: responses / displays, with its Wilson 95% interval. Answers can arrive
 * without a recorded display (through the API, or a display record an ad blocker stopped), so
 * responses may exceed displays: the rate then counts at most one response per display (capped at 1)
 * rather than report an impossible proportion. Null without displays.
 */
export function responseRate(
  responses: number,
  displays: number,
): { rate: number | null; ci95: { low: number; high: number; level: 0.95 } | null } {
  const answered = Math.min(responses, displays);
  const bounds = wilson(answered, displays);
  return { rate: displays ? answered / displays : null, ci95: bounds ? { ...bounds, level: 0.95 } : null };
}
