/**
 * When a survey's digest is due, in its owner's time zone, and which days it covers. The send time is
 * local (an hour, and for weekly digests an ISO weekday, in the IANA zone); the period is the last
 * complete UTC days before it (1 or 7), because the aggregates — and the report the digest must agree
 * with — are keyed by UTC day.
 */
import type { DayRange } from '../alerts';
import { dayOfEpoch } from './alert-schedule';
import type { DigestSettings } from './notifications-schema';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** A digest that is this late (a long outage, or a weekly digest just switched on) is skipped, not sent. */
export const DIGEST_GRACE_MS = 24 * HOUR_MS;

export interface DigestDue {
  sendAt: Date;
  period: DayRange;
  previous: DayRange;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function localParts(instant: number, timeZone: string): LocalParts {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? '0');
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

/** Local wall-clock time minus UTC at this instant. */
function offsetMs(instant: number, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return asUtc - Math.floor(instant / 60_000) * 60_000;
}

/** The instant a local date and hour happen in the zone (the later instant across a DST change). */
export function zonedInstant(year: number, month: number, day: number, hour: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day, hour);
  const first = guess - offsetMs(guess, timeZone);
  const second = guess - offsetMs(first, timeZone);
  return Math.max(first, second);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a calendar date. */
function isoWeekday(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The latest scheduled send time at or before `now`, and its periods; undefined when digests are off. */
export function latestDigestDue(now: Date, settings: DigestSettings): DigestDue | undefined {
  if (settings.frequency === 'off') return undefined;
  const today = localParts(now.getTime(), settings.timeZone);
  for (let back = 0; back <= 8; back++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day - back));
    const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (settings.frequency === 'weekly' && isoWeekday(y, m, d) !== settings.weekday) continue;
    const sendAt = zonedInstant(y, m, d, settings.hour, settings.timeZone);
    if (sendAt > now.getTime()) continue;
    const days = settings.frequency === 'weekly' ? 7 : 1;
    const to = Math.floor(sendAt / DAY_MS) - 1;
    return {
      sendAt: new Date(sendAt),
      period: { from: dayOfEpoch(to - days + 1), to: dayOfEpoch(to) },
      previous: { from: dayOfEpoch(to - 2 * days + 1), to: dayOfEpoch(to - days) },
    };
  }
  return undefined;
}
