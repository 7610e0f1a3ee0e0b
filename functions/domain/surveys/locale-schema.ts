/** The languages Rapport speaks, to respondents and to the people it e-mails. */
import * as z from 'zod';

export const SUPPORTED_LOCALES = ['en', 'zh-CN'] as const;
export const localeSchema = z.enum(SUPPORTED_LOCALES);
export type Locale = z.infer<typeof localeSchema>;
