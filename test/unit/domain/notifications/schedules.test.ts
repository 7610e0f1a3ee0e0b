/**
 * When the notification job acts: alert evaluations once per current window (disjoint windows, caught
 * up after a missed run), digests at the owner's local hour and weekday in their IANA zone (DST
 * included), over the complete UTC days before it.
 */
import { describe, expect, it } from 'vitest';
import { dueEvaluationDay, epochDay } from '../../../../functions/domain/notifications/alert-schedule';
import { latestDigestDue, zonedInstant } from '../../../../functions/domain/notifications/digest-schedule';
import { digestSettingsSchema } from '../../../../functions/domain/notifications/notifications-schema';

const settings = (s: Record<string, unknown>) => digestSettingsSchema.parse(s);

describe('dueEvaluationDay', () => {
  it('is the latest complete UTC day whose day number is a multiple of the window', () => {
    for (const at of ['2026-11-30T01:00:00Z', '2026-12-03T23:59:59Z', '2027-02-28T12:00:00Z']) {
      const now = new Date(at);
      const due = dueEvaluationDay(now, 7);
      expect(epochDay(due) % 7).toBe(0);
      const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
      expect(due <= yesterday).toBe(true);
      expect(epochDay(yesterday) - epochDay(due)).toBeLessThan(7);
    }
  });

  it('moves by whole windows: consecutive evaluations never share a day of their current window', () => {
    const a = dueEvaluationDay(new Date('2026-11-30T06:00:00Z'), 7);
    const b = dueEvaluationDay(new Date('2026-12-07T06:00:00Z'), 7);
    expect(epochDay(b) - epochDay(a)).toBe(7);
    expect(dueEvaluationDay(new Date('2026-11-30T06:00:00Z'), 1)).toBe('2026-11-29');
  });
});

describe('latestDigestDue', () => {
  it('is off when the frequency is off', () => {
    expect(latestDigestDue(new Date(), settings({}))).toBeUndefined();
  });

  it('daily at 08:00 in Shanghai is 00:00 UTC and covers the UTC day just ended', () => {
    const due = latestDigestDue(
      new Date('2026-11-30T03:00:00Z'),
      settings({ frequency: 'daily', timeZone: 'Asia/Shanghai', hour: 8 }),
    );
    expect(due?.sendAt.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(due?.period).toEqual({ from: '2026-11-29', to: '2026-11-29' });
    expect(due?.previous).toEqual({ from: '2026-11-28', to: '2026-11-28' });
  });

  it('before the hour, the latest due digest is yesterday’s', () => {
    const due = latestDigestDue(
      new Date('2026-11-29T23:30:00Z'), // 07:30 on the 30th in Shanghai
      settings({ frequency: 'daily', timeZone: 'Asia/Shanghai', hour: 8 }),
    );
    expect(due?.sendAt.toISOString()).toBe('2026-11-29T00:00:00.000Z');
  });

  it('weekly on Monday 09:00 in Paris covers the seven UTC days before it', () => {
    const due = latestDigestDue(
      new Date('2026-12-03T10:00:00Z'), // a Thursday
      settings({ frequency: 'weekly', timeZone: 'Europe/Paris', hour: 9, weekday: 1 }),
    );
    expect(due?.sendAt.toISOString()).toBe('2026-11-30T08:00:00.000Z'); // Monday, CET = UTC+1
    expect(due?.period).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(due?.previous).toEqual({ from: '2026-11-16', to: '2026-11-22' });
  });

  it('follows daylight saving time: 09:00 in New York is 13:00 UTC in summer, 14:00 in winter', () => {
    expect(new Date(zonedInstant(2026, 7, 1, 9, 'America/New_York')).toISOString()).toBe('2026-07-01T13:00:00.000Z');
    expect(new Date(zonedInstant(2026, 12, 1, 9, 'America/New_York')).toISOString()).toBe('2026-12-01T14:00:00.000Z');
    // 02:30 does not exist on the spring-forward day: the digest goes at the first instant after the gap.
    const gap = zonedInstant(2026, 3, 8, 2, 'America/New_York');
    expect(new Date(gap).toISOString()).toBe('2026-03-08T07:00:00.000Z');
  });
});
