/**
 * THE zod schemas of the site's widget settings (GET/PUT /v1/site-settings): what holds for every
 * survey on the site rather than one. Today the recontact window: after a visitor is shown any survey,
 * how many days pass before another survey may ask them (docs/widget.md). The widget reads it with
 * each survey's definition; a script tag's `data-recontact-days` overrides it for that page.
 */
import * as z from 'zod';

import { RECONTACT_DAYS_DEFAULT } from './site-settings-defaults';

export { RECONTACT_DAYS_DEFAULT };
/** A year: a longer window asks nobody twice, which `0` (off) plus a survey's frequency cap says better. */
export const RECONTACT_DAYS_MAX = 365;

const recontactDays = z
  .number()
  .int()
  .min(0)
  .max(RECONTACT_DAYS_MAX)
  .describe('Days after being shown any survey before a visitor may be asked another (0: no window)');

export const siteSettingsUpdateSchema = z.strictObject({ recontactDays }).meta({ id: 'SiteSettingsUpdate' });
export type SiteSettingsUpdate = z.infer<typeof siteSettingsUpdateSchema>;

export const siteSettingsSchema = z
  .strictObject({
    recontactDays,
    /** 0 until the settings are first saved (then the defaults apply); each save adds one. */
    revision: z.number().int().min(0),
    updatedAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'SiteSettings' });
export type SiteSettings = z.infer<typeof siteSettingsSchema>;

/** The settings before anyone saved any. */
export const defaultSiteSettings: SiteSettings = { recontactDays: RECONTACT_DAYS_DEFAULT, revision: 0 };
