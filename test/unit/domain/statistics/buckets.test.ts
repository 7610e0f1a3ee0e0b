import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketDays, bucketKey, MAX_RANGE_DAYS } from '../../../../functions/domain/statistics/buckets';

describe('bucketKey', () => {
  it('keys a day by itself, its ISO week by that week’s Monday, its month by YYYY-MM', () => {
    expect(bucketKey('2025-03-14', 'day')).toBe('2025-03-14');
    expect(bucketKey('2025-03-14', 'week')).toBe('2025-03-10'); // Friday → Monday
    expect(bucketKey('2025-03-10', 'week')).toBe('2025-03-10'); // a Monday is its own week
    expect(bucketKey('2025-03-16', 'week')).toBe('2025-03-10'); // Sunday ends the ISO week
    expect(bucketKey('2025-03-14', 'month')).toBe('2025-03');
  });

  it('lets a week straddle a year end', () => {
    // 2025-01-01 is a Wednesday of ISO week 2025-W01, which starts Monday 2024-12-30.
    expect(bucketKey('2025-01-01', 'week')).toBe('2024-12-30');
    expect(bucketKey('2024-02-29', 'week')).toBe('2024-02-26');
  });

  it('refuses impossible dates and unknown granularities', () => {
    for (const bad of ['2023-02-29', '2024-13-01', '2024-1-01', '2024-01-32', '20240101', '', '2024-01-01T00:00:00Z']) {
      expect(() => bucketKey(bad, 'day'), bad).toThrow(RangeError);
    }
    expect(() => bucketKey('2024-01-01', 'year' as never)).toThrow(RangeError);
  });

  it('a week key is always a Monday at most six days before the day', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }),
        (date) => {
          const day = date.toISOString().slice(0, 10);
          const monday = new Date(`${bucketKey(day, 'week')}T00:00:00Z`);
          expect(monday.getUTCDay()).toBe(1);
          const gap = (Date.parse(`${day}T00:00:00Z`) - monday.getTime()) / 86_400_000;
          expect(gap).toBeGreaterThanOrEqual(0);
          expect(gap).toBeLessThanOrEqual(6);
        },
      ),
    );
  });
});

describe('bucketDays', () => {
  it('lists the buckets covering an inclusive range in order', () => {
    expect(bucketDays('2024-02-28', '2024-03-01', 'day')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(bucketDays('2024-12-28', '2025-01-06', 'week')).toEqual(['2024-12-23', '2024-12-30', '2025-01-06']);
    expect(bucketDays('2024-01-31', '2024-03-01', 'month')).toEqual(['2024-01', '2024-02', '2024-03']);
    expect(bucketDays('2024-05-05', '2024-05-05', 'week')).toEqual(['2024-04-29']);
  });

  it('validates the range', () => {
    expect(() => bucketDays('2024-02-02', '2024-02-01', 'day')).toThrow(RangeError);
    expect(() => bucketDays('2024-02-30', '2024-03-01', 'day')).toThrow(RangeError);
    // 2024-01-01 + 399 days = 2025-02-03: exactly 400 days is allowed, 401 is not.
    expect(bucketDays('2024-01-01', '2025-02-03', 'day')).toHaveLength(MAX_RANGE_DAYS);
    expect(() => bucketDays('2024-01-01', '2025-02-04', 'day')).toThrow(RangeError);
  });

  it('agrees with bucketKey of every day in the range', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }),
        fc.integer({ min: 0, max: MAX_RANGE_DAYS - 1 }),
        fc.constantFrom('day' as const, 'week' as const, 'month' as const),
        (start, length, granularity) => {
          const from = start.toISOString().slice(0, 10);
          const to = new Date(Date.parse(`${from}T00:00:00Z`) + length * 86_400_000).toISOString().slice(0, 10);
          const expected: string[] = [];
          for (let i = 0; i <= length; i++) {
            const day = new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
            const key = bucketKey(day, granularity);
            if (!expected.includes(key)) expected.push(key);
          }
          const keys = bucketDays(from, to, granularity);
          expect(keys).toEqual(expected);
          expect([...keys].sort()).toEqual(keys);
        },
      ),
      { numRuns: 50 },
    );
  });
});
