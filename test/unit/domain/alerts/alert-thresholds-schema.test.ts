import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  ALERT_DEFAULTS,
  alertThresholdsSchema,
  defaultAlertThresholds,
} from '../../../../functions/domain/alerts/alert-thresholds-schema';

describe('alertThresholdsSchema', () => {
  it('fills every default from {}', () => {
    expect(alertThresholdsSchema.parse({})).toEqual({
      minimumDrop: { csat: 5, nps: 10, ces: 0.3 },
      minimumSample: 30,
      currentDays: 7,
      baselineDays: 28,
    });
    expect(defaultAlertThresholds()).toEqual(alertThresholdsSchema.parse({}));
    expect(ALERT_DEFAULTS.minimumSample).toBe(30);
  });

  it('fills the defaults inside a parent schema that omits the settings (as the survey schema will)', () => {
    const notifications = z.strictObject({ alerts: alertThresholdsSchema.prefault({}) });
    expect(notifications.parse({}).alerts.minimumDrop.csat).toBe(5);
    expect(notifications.parse({ alerts: { minimumDrop: { nps: 15 } } }).alerts.minimumDrop).toEqual({
      csat: 5,
      nps: 15,
      ces: 0.3,
    });
  });

  it('keeps an explicit practical minimum for the overall question’s mean', () => {
    expect(alertThresholdsSchema.parse({ minimumDrop: { mean: 0.25 } }).minimumDrop.mean).toBe(0.25);
  });

  it.each([
    [{ minimumSample: 29 }, ['minimumSample']],
    [{ minimumSample: 30.5 }, ['minimumSample']],
    [{ minimumDrop: { csat: -1 } }, ['minimumDrop', 'csat']],
    [{ minimumDrop: { nps: 201 } }, ['minimumDrop', 'nps']],
    [{ minimumDrop: { ces: 7 } }, ['minimumDrop', 'ces']],
    [{ minimumDrop: { satisfaction: 3 } }, ['minimumDrop']],
    [{ currentDays: 0 }, ['currentDays']],
    [{ baselineDays: 366 }, ['baselineDays']],
    [{ currentDays: 90, baselineDays: 320 }, ['baselineDays']],
    [{ window: 7 }, []],
  ])('refuses %j at %j', (input, path) => {
    const result = alertThresholdsSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toContainEqual(path);
  });
});
