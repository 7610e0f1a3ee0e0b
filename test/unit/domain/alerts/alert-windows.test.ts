import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertWindows } from '../../../../functions/domain/alerts/alert-windows';

const DAY_MS = 86_400_000;
const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;

describe('alertWindows', () => {
  it('defaults: the last 7 days against the 28 before them', () => {
    // 2025 is not a leap year: 25–28 February and 1–24 March are 4 + 24 = 28 days.
    expect(alertWindows('2025-03-31', { currentDays: 7, baselineDays: 28 })).toEqual({
      current: { from: '2025-03-25', to: '2025-03-31' },
      baseline: { from: '2025-02-25', to: '2025-03-24' },
    });
  });

  it('counts 29 February in a leap year and crosses the year boundary', () => {
    expect(alertWindows('2024-03-06', { currentDays: 7, baselineDays: 28 }).baseline).toEqual({
      from: '2024-02-01',
      to: '2024-02-28',
    });
    expect(alertWindows('2025-01-03', { currentDays: 7, baselineDays: 28 })).toEqual({
      current: { from: '2024-12-28', to: '2025-01-03' },
      baseline: { from: '2024-11-30', to: '2024-12-27' },
    });
  });

  it('gives adjacent, disjoint windows of the requested lengths', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 1, max: 365 }),
        (date, currentDays, baselineDays) => {
          const lastDay = date.toISOString().slice(0, 10);
          const w = alertWindows(lastDay, { currentDays, baselineDays });
          expect(w.current.to).toBe(lastDay);
          expect(days(w.current.from, w.current.to)).toBe(currentDays);
          expect(days(w.baseline.from, w.baseline.to)).toBe(baselineDays);
          expect(days(w.baseline.to, w.current.from)).toBe(2);
        },
      ),
    );
  });

  it('refuses a day that is not a calendar date and windows that are not whole days', () => {
    expect(() => alertWindows('2025-02-29', { currentDays: 7, baselineDays: 28 })).toThrow(RangeError);
    expect(() => alertWindows('yesterday', { currentDays: 7, baselineDays: 28 })).toThrow(RangeError);
    expect(() => alertWindows('2025-03-31', { currentDays: 0, baselineDays: 28 })).toThrow(RangeError);
    expect(() => alertWindows('2025-03-31', { currentDays: 7, baselineDays: 2.5 })).toThrow(RangeError);
  });
});
