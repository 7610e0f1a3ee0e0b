/**
 * The live preview: the real survey UI (/widget/rapport-ui.js, the same `<rapport-survey>` element
 * customers embed) rendering the draft through its `preview` property — nothing is fetched from the
 * public API (which serves only live surveys) and nothing is sent. In each locale, inline or as a
 * popover; "Start again" gives a fresh card.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { WidgetSurvey } from '../api/types';
import type { Locale } from '../i18n/i18n';
import { t } from '../i18n/i18n';
import { Segmented } from '../ui/segmented';
import { localeName } from './local-text';

type PreviewElement = HTMLElement & { preview: WidgetSurvey };

let widget: Promise<void> | undefined;
function loadWidget(): Promise<void> {
  widget ??= new Promise<void>((resolve, reject) => {
    if (customElements.get('rapport-survey')) return resolve();
    const script = document.createElement('script');
    script.src = '/widget/rapport-ui.js';
    script.async = true;
    script.onload = () => void customElements.whenDefined('rapport-survey').then(() => resolve());
    script.onerror = () => {
      widget = undefined;
      reject(new Error('widget'));
    };
    document.head.append(script);
  });
  return widget;
}

export function WidgetPreview({ survey, locales }: { survey: WidgetSurvey; locales: readonly Locale[] }) {
  const host = useRef<HTMLDivElement>(null);
  const element = useRef<PreviewElement | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [locale, setLocale] = useState<Locale>(locales[0] ?? 'en');
  const [mode, setMode] = useState<'inline' | 'popover'>('inline');
  const [round, setRound] = useState(0);
  const shown = locales.includes(locale) ? locale : (locales[0] ?? 'en');

  useEffect(() => {
    loadWidget().then(
      () => setState('ready'),
      () => setState('failed'),
    );
  }, []);
  // A new card when the locale, the mode or the number of questions changes, or on "Start again".
  useEffect(() => {
    if (state !== 'ready' || !host.current) return;
    const el = document.createElement('rapport-survey') as PreviewElement;
    el.setAttribute('mode', mode);
    el.setAttribute('locale', shown);
    el.preview = survey;
    host.current.replaceChildren(el);
    element.current = el;
    if (mode === 'popover') el.shadowRoot?.querySelector<HTMLButtonElement>('.launcher')?.click();
    return () => el.remove();
  }, [state, shown, mode, round, survey.questions.length]);
  useEffect(() => {
    if (element.current) element.current.preview = survey;
  }, [survey]);

  return (
    <section class="preview card" aria-labelledby="preview-title">
      <div class="preview-head">
        <h2 id="preview-title">{t('editor.preview')}</h2>
        <Segmented label={t('editor.previewLocale')}>
          {locales.map((l) => (
            <button key={l} type="button" aria-pressed={shown === l} onClick={() => setLocale(l)}>
              {localeName(l)}
            </button>
          ))}
        </Segmented>
        <Segmented label={t('editor.previewMode')}>
          <button type="button" aria-pressed={mode === 'inline'} onClick={() => setMode('inline')}>
            {t('editor.inline')}
          </button>
          <button type="button" aria-pressed={mode === 'popover'} onClick={() => setMode('popover')}>
            {t('editor.popover')}
          </button>
        </Segmented>
        <button type="button" class="btn btn-ghost btn-small" onClick={() => setRound(round + 1)}>
          {t('editor.restart')}
        </button>
      </div>
      <p class="hint">{mode === 'popover' ? t('editor.popoverHint') : t('editor.previewHint')}</p>
      {state === 'failed' && <p class="field-error">{t('editor.previewFailed')}</p>}
      <div class="preview-stage" ref={host} />
    </section>
  );
}
