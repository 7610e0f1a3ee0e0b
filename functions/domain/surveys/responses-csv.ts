/** Raw responses as CSV: one row per response, one column per question of the current version. */
import { stringify } from 'csv-stringify/sync';
import { escapeCell } from '../customers/customer-csv';
import type { SurveyResponse } from './response';
import type { VersionedQuestion } from './survey';

/** `excludedBy`: the exclusion that took the response out of the figures (abuse repair), else empty. */
const FIXED = [
  'responseId',
  'receivedAt',
  'surveyVersion',
  'locale',
  'customerId',
  'segment',
  'page',
  'excludedBy',
] as const;

export function responsesCsv(
  questions: readonly VersionedQuestion[],
  responses: readonly SurveyResponse[],
  withHeader: boolean,
): string {
  const rows = responses.map((r) =>
    [
      r.id,
      r.receivedAt,
      String(r.surveyVersion),
      r.locale,
      r.customerId ?? '',
      r.segment ?? '',
      r.page ?? '',
      r.excluded?.exclusionId ?? '',
      ...questions.map((q) => {
        const a = r.answers[q.id];
        if (a === undefined) return '';
        return escapeCell(typeof a === 'object' ? a.email : String(a));
      }),
    ].map((cell, i) => (i < FIXED.length ? escapeCell(cell) : cell)),
  );
  return stringify(withHeader ? [[...FIXED, ...questions.map((q) => q.id)], ...rows] : rows);
}
