/**
 * Why a survey is not shown to this visitor, by the code `decide` returns (targeting.ts; 0: it is
 * shown): the words `Rapport.debug` prints (docs/widget.md). They live apart so that only the debug
 * chunk carries them.
 */
export const REASONS = ['', 'URL rule', 'audience', 'sampling', 'frequency cap', 'display limit', 'recontact window'];

/** An index into `REASONS`, in the order `decide` checks them. */
export type Reason = 0 | 1 | 2 | 3 | 4 | 5 | 6;
