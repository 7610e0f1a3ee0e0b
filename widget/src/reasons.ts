/**
 * Why a survey is not shown to this visitor, by the code `decide` returns (targeting.ts; 0: it is
 * shown): the words `Rapport.debug` prints (docs/widget.md). They live apart so that only the debug
 * chunk carries them.
 */
export const REASONS = [
  '',
  'URL rule',
  'audience',
  'sampling',
  'frequency cap',
  'display limit',
  'recontact window',
  // A page's element (or `Rapport.open`) of a survey with triggers: only the loader arms triggers.
  'it has triggers, which only the script tag’s data-survey arms (or open it with force)',
];

/** An index into `REASONS`: `decide`'s, in the order it checks them, then the elements' own (7). */
export type Reason = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;
