/**
 * The "Notifications" part of the survey editor's draft: recipients (each with their language), the
 * digest's schedule in the owner's time zone, and the alert thresholds — as form strings, turned into
 * the API's `notifications` and checked with the API's own rules and words (the same field paths as
 * its problem+json), so a mistake shows at its field before saving.
 */
import type { Survey, SurveyCreate } from '../api/types';
import type { Locale } from '../i18n/i18n';

export type Notifications = NonNullable<SurveyCreate['notifications']>;
export type DigestFrequency = 'off' | 'daily' | 'weekly';

export interface DraftRecipient {
  readonly key: string;
  readonly email: string;
  readonly locale: Locale;
}

export interface DraftNotifications {
  readonly recipients: readonly DraftRecipient[];
  readonly frequency: DigestFrequency;
  readonly timeZone: string;
  readonly hour: string;
  /** ISO weekday, 1 = Monday. */
  readonly weekday: string;
  readonly minimumDropCsat: string;
  readonly minimumDropNps: string;
  readonly minimumDropCes: string;
  readonly minimumSample: string;
  readonly currentDays: string;
  readonly baselineDays: string;
}

/** The API's defaults (functions/domain/alerts, notifications schema), as the form shows them. */
export const ALERT_FORM_DEFAULTS = {
  minimumDropCsat: '5',
  minimumDropNps: '10',
  minimumDropCes: '0.3',
  minimumSample: '30',
  currentDays: '7',
  baselineDays: '28',
} as const;

let keys = 0;
export const recipientKey = () => `r${Date.now().toString(36)}${(++keys).toString(36)}`;

/** The browser's own time zone: what a new survey's digest is read in until someone changes it. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function emptyNotifications(): DraftNotifications {
  return {
    recipients: [],
    frequency: 'off',
    timeZone: browserTimeZone(),
    hour: '8',
    weekday: '1',
    ...ALERT_FORM_DEFAULTS,
  };
}

export function notificationsDraftOf(survey: Survey): DraftNotifications {
  const n = survey.notifications;
  if (!n) return emptyNotifications();
  return {
    recipients: n.recipients.map((r) => ({ key: recipientKey(), email: r.email, locale: r.locale })),
    frequency: n.digest.frequency,
    timeZone: n.digest.timeZone,
    hour: String(n.digest.hour),
    weekday: String(n.digest.weekday),
    minimumDropCsat: String(n.alerts.minimumDrop.csat),
    minimumDropNps: String(n.alerts.minimumDrop.nps),
    minimumDropCes: String(n.alerts.minimumDrop.ces),
    minimumSample: String(n.alerts.minimumSample),
    currentDays: String(n.alerts.currentDays),
    baselineDays: String(n.alerts.baselineDays),
  };
}

/** A number field as the API gets it: blank = the API's default, otherwise the number as typed. */
const num = (value: string) => (value.trim() === '' ? undefined : Number(value));

export function toNotifications(d: DraftNotifications): Notifications {
  const drop = {
    ...(num(d.minimumDropCsat) !== undefined ? { csat: num(d.minimumDropCsat) } : {}),
    ...(num(d.minimumDropNps) !== undefined ? { nps: num(d.minimumDropNps) } : {}),
    ...(num(d.minimumDropCes) !== undefined ? { ces: num(d.minimumDropCes) } : {}),
  };
  const alerts = {
    minimumDrop: drop,
    ...(num(d.minimumSample) !== undefined ? { minimumSample: num(d.minimumSample) } : {}),
    ...(num(d.currentDays) !== undefined ? { currentDays: num(d.currentDays) } : {}),
    ...(num(d.baselineDays) !== undefined ? { baselineDays: num(d.baselineDays) } : {}),
  };
  return {
    recipients: d.recipients.map((r) => ({ email: r.email.trim(), locale: r.locale })),
    digest: {
      frequency: d.frequency,
      timeZone: d.timeZone.trim(),
      hour: Number(d.hour),
      weekday: Number(d.weekday),
    },
    alerts,
  } as Notifications;
}

/** Whether the browser's time-zone database knows the name (the API checks the same way). */
export function isTimeZone(name: string): boolean {
  if (!name.trim()) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name.trim() });
    return true;
  } catch {
    return false;
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface NotificationMessages {
  email: string;
  twice: string;
  timeZone: string;
  between: (min: number, max: number) => string;
  windowTooLong: string;
}

/** The API's rules, by the API's field paths. */
export function checkNotifications(d: DraftNotifications, m: NotificationMessages): Record<string, string> {
  const issues: Record<string, string> = {};
  const p = 'notifications';
  const seen = new Set<string>();
  d.recipients.forEach((r, i) => {
    const email = r.email.trim().toLowerCase();
    if (!EMAIL.test(email)) issues[`${p}/recipients/${i}/email`] = m.email;
    else if (seen.has(email)) issues[`${p}/recipients`] = m.twice;
    seen.add(email);
  });
  if (!isTimeZone(d.timeZone)) issues[`${p}/digest/timeZone`] = m.timeZone;
  const range = (value: string, path: string, min: number, max: number, integer = true) => {
    if (value.trim() === '') return;
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n)))
      issues[path] = m.between(min, max);
  };
  range(d.minimumDropCsat, `${p}/alerts/minimumDrop/csat`, 0, 100, false);
  range(d.minimumDropNps, `${p}/alerts/minimumDrop/nps`, 0, 200, false);
  range(d.minimumDropCes, `${p}/alerts/minimumDrop/ces`, 0, 6, false);
  range(d.minimumSample, `${p}/alerts/minimumSample`, 30, 1_000_000);
  range(d.currentDays, `${p}/alerts/currentDays`, 1, 90);
  range(d.baselineDays, `${p}/alerts/baselineDays`, 1, 365);
  const days =
    Number(d.currentDays || ALERT_FORM_DEFAULTS.currentDays) +
    Number(d.baselineDays || ALERT_FORM_DEFAULTS.baselineDays);
  if (days > 400) issues[`${p}/alerts/baselineDays`] ??= m.windowTooLong;
  return issues;
}
