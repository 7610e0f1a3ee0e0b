/**
 * One text in every locale of the survey, side by side (English | 中文). A missing translation is
 * flagged at its own input; a problem+json error for the whole text shows under the pair.
 */
import { useState } from 'preact/hooks';
import type { Locale } from '../i18n/i18n';
import { t } from '../i18n/i18n';
import { uid } from '../ui/field';
import type { Issues, Texts } from './model';

export const localeName = (l: Locale) => (l === 'en' ? 'English' : '中文');

export function LocalTextInput({
  label,
  value,
  locales,
  path,
  issues,
  onChange,
  multiline,
  disabled,
  showMissing,
}: {
  label: string;
  value: Texts;
  locales: readonly Locale[];
  path: string;
  issues: Issues;
  onChange: (next: Texts) => void;
  multiline?: boolean;
  disabled?: boolean;
  showMissing: boolean;
}) {
  const [base] = useState(() => uid('lt'));
  const error = issues[path];
  return (
    <fieldset class={`local-text${error ? ' has-error' : ''}`}>
      <legend>{label}</legend>
      <div class="local-text-row">
        {locales.map((l) => {
          const id = `${base}-${l}`;
          const missing = showMissing && issues[`${path}:${l}`];
          const props = {
            id,
            lang: l,
            value: value[l] ?? '',
            disabled,
            'aria-invalid': missing ? ('true' as const) : undefined,
            'aria-describedby': missing ? `${id}-err` : undefined,
            onInput: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) =>
              onChange({ ...value, [l]: e.currentTarget.value }),
          };
          return (
            <div class="field" key={l}>
              <label for={id}>{localeName(l)}</label>
              {multiline ? <textarea rows={2} {...props} /> : <input type="text" {...props} />}
              {missing && (
                <p class="field-error" id={`${id}-err`}>
                  {t('editor.missingTranslation')}
                </p>
              )}
            </div>
          );
        })}
      </div>
      {error && !locales.some((l) => issues[`${path}:${l}`]) && <p class="field-error">{error}</p>}
    </fieldset>
  );
}
