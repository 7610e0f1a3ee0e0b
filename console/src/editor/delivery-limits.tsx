/**
 * The delivery fields that guard a survey's data: its own per-minute answer budget (a flood aimed at
 * it is refused there and never takes other surveys' capacity) and whether answers' page URLs keep
 * their query string (off by default: links often carry an e-mail or a token). Values go to the API
 * as typed, so a bad one comes back with the API's own message under the field.
 */
import { t } from '../i18n/i18n';
import { Field } from '../ui/field';
import type { Draft, Issues } from './model';

export function DeliveryLimits({
  draft,
  issues,
  update,
}: {
  draft: Draft;
  issues: Issues;
  update: (patch: Partial<Draft>) => void;
}) {
  return (
    <div class="grid-3">
      <Field
        id="survey-max-per-minute"
        label={t('editor.maxPerMinute')}
        hint={t('editor.maxPerMinuteHint')}
        error={issues['delivery/maxResponsesPerMinute']}
      >
        <input
          type="number"
          step={1}
          inputMode="numeric"
          value={draft.maxResponsesPerMinute}
          onInput={(e) => update({ maxResponsesPerMinute: e.currentTarget.value })}
        />
      </Field>
      <div class="field">
        <label class="check" for="survey-keep-query">
          <input
            id="survey-keep-query"
            type="checkbox"
            checked={draft.keepPageQuery ?? false}
            aria-describedby="survey-keep-query-hint"
            onChange={(e) => update({ keepPageQuery: e.currentTarget.checked })}
          />
          {t('editor.keepPageQuery')}
        </label>
        <p class="hint" id="survey-keep-query-hint">
          {t('editor.keepPageQueryHint')}
        </p>
        {issues['delivery/keepPageQuery'] && <p class="field-error">{issues['delivery/keepPageQuery']}</p>}
      </div>
    </div>
  );
}
