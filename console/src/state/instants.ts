/**
 * Date-time pickers (`<input type="datetime-local">`) work in the browser's time zone and without
 * seconds; the API takes ISO instants. These convert both ways, so a range picked on screen is the
 * range the API receives.
 */

import { locale } from '../i18n/i18n';

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as a datetime-local value in this browser's time zone (minute precision). */
export function toLocalInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value as an ISO instant, or undefined when it is empty or not a date-time. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** The last `hours` up to the next whole minute (so what just arrived is inside). */
export function lastHours(hours: number, now = new Date()): { from: string; to: string } {
  const to = new Date(Math.ceil((now.getTime() + 1) / 60_000) * 60_000);
  return { from: toLocalInput(new Date(to.getTime() - hours * 3_600_000)), to: toLocalInput(to) };
}

/** A short, still distinguishable label for a client hash (the full hash is in the title). */
export const shortHash = (hash: string) => (hash.length > 12 ? `${hash.slice(0, 10)}…` : hash);

const compact = () =>
  new Intl.DateTimeFormat(locale.value, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });

/** A moment without the year (these lists cover recent days): "Nov 30, 1:30 AM". */
export const shortDateTime = (iso: string) => compact().format(new Date(iso));

/** Two moments as one short span, the shared parts said once: "Nov 30, 1:30 – 1:42 AM". */
export const shortSpan = (fromIso: string, toIso: string) =>
  compact().formatRange(new Date(fromIso), new Date(Math.max(Date.parse(fromIso), Date.parse(toIso))));
