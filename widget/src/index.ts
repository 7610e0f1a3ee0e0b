/**
 * Both halves in one module, for tests and bundlers that want everything at once: the survey UI
 * (defines `<rapport-survey>`) and the loader (`window.Rapport`, targeting, the outbox). The shipped
 * files are built from `loader.ts` and `ui-entry.ts` separately (widget/build.ts).
 */
import { RapportSurveyElement } from './ui-entry';

export { Rapport } from './loader';
export { RapportSurveyElement };
