/** Trend buckets over calendar days (UTC dates, as the aggregate items are keyed). */

export type Granularity = 'day' | 'week' | 'month';

/** Longest day range a trend may cover, both ends included. */
export const MAX_RANGE_DAYS = 400;

const DAY_MS = 86_400_000;
const DAY_FORMAT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds since the epoch of a real calendar date 'YYYY-MM-DD'; RangeError otherwise. */
function parseDay(day: string): number {
  const match = DAY_FORMAT.exec(day);
  if (!match) throw new RangeError(`${JSON.stringify(day)} is not a date YYYY-MM-DD`);
  const date = new Date(0);
  // setUTCFullYear rather than Date.UTC, which maps years 0–99 to 1900–1999.
  date.setUTCFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (formatDay(date.getTime()) !== day) throw new RangeError(`${day} is not a calendar date`);
  return date.getTime();
}

function formatDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Bucket of a day: the day itself; for 'week' the Monday that starts its ISO 8601 week, as
 * 'YYYY-MM-DD' (a date, not '2025-W01', so buckets sort and chart like days — note the Monday may
 * fall in the previous month or year); for 'month' 'YYYY-MM'.
 */
export function bucketKey(day: string, granularity: Granularity): string {
  const ms = parseDay(day);
  switch (granularity) {
    case 'day':
      return day;
    case 'week': {
      const daysSinceMonday = (new Date(ms).getUTCDay() + 6) % 7;
      return formatDay(ms - daysSinceMonday * DAY_MS);
    }
    case 'month':
      return day.slice(0, 7);
    default:
      throw new RangeError(`unknown granularity ${JSON.stringify(granularity)}`);
  }
}

/**
 * Buckets covering the inclusive range from..to, in chronological order. The first and last bucket
 * may be partial (a week starting before `from`, a month ending after `to`). RangeError when a date
 * is invalid, from > to, or the range spans more than MAX_RANGE_DAYS days.
 */
export function bucketDays(from: string, to: string, granularity: Granularity): string[] {
  const start = parseDay(from);
  const end = parseDay(to);
  if (start > end) throw new RangeError(`range starts (${from}) after it ends (${to})`);
  const days = (end - start) / DAY_MS + 1;
  if (days > MAX_RANGE_DAYS) throw new RangeError(`range of ${days} days exceeds ${MAX_RANGE_DAYS}`);
  const keys: string[] = [];
  for (let ms = start; ms <= end; ms += DAY_MS) {
    const key = bucketKey(formatDay(ms), granularity);
    if (keys[keys.length - 1] !== key) keys.push(key);
  }
  return keys;
}
