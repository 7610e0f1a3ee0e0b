/**
 * Entry of both builds. Defines `<rapport-survey>`, exposes `window.Rapport`, sends whatever an
 * earlier page left in the outbox, and honours `<script src=".../rapport.js" data-survey="…"
 * data-api="…" [data-mode="popover|inline"] [data-locale="…"] async>`.
 */
import { RapportSurveyElement, setDefaultApi } from './element';
import { flush } from './outbox';
import type { OpenOptions } from './types';

const script = document.currentScript as HTMLScriptElement | null;
const data = script?.dataset ?? {};
setDefaultApi(data.api);

if (!customElements.get('rapport-survey')) customElements.define('rapport-survey', RapportSurveyElement);

const all = () => document.querySelectorAll<RapportSurveyElement>('rapport-survey');

const create = (attributes: Record<string, string | undefined>) => {
  const el = document.createElement('rapport-survey') as RapportSurveyElement;
  for (const [name, value] of Object.entries(attributes)) if (value) el.setAttribute(name, value);
  return el;
};

export const Rapport = {
  /** Opens the survey in its element on the page, or in a new popover; respects sampling and the cap unless `force`. */
  open(surveyId: string, options?: OpenOptions): RapportSurveyElement {
    let el = [...all()].find((e) => e.getAttribute('survey') === surveyId);
    if (!el) {
      el = create({ survey: surveyId, mode: 'popover' });
      document.body.append(el);
    }
    el.open(options);
    return el;
  },
  /** Closes every open survey card (a `rapport:dismissed` for each unfinished one). */
  close(): void {
    for (const el of all()) el.close();
  },
  /** Sends queued answers now (they are also sent on load, on `online` and with backoff). */
  flush,
};

declare global {
  interface Window {
    Rapport: typeof Rapport;
  }
}
window.Rapport ??= Rapport;

export { RapportSurveyElement };

void flush();

if (script && data.survey) {
  const el = create({ survey: data.survey, mode: data.mode || 'popover', locale: data.locale });
  if (data.mode === 'inline') script.after(el);
  else if (document.body) document.body.append(el);
  else addEventListener('DOMContentLoaded', () => document.body.append(el));
}
