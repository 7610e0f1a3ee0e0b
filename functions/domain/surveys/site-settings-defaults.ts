/**
 * The site settings' defaults, without zod: the schema (site-settings-schema.ts) and the widget (which
 * falls back to them when a definition carries none) both import them from here.
 */

/** The recontact window before anyone has set it, in days. */
export const RECONTACT_DAYS_DEFAULT = 14;
