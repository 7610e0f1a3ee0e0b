/** One question of the editor: its type, id, flags, text in every locale, and what its type needs. */
import { useState } from 'preact/hooks';
import type { Locale } from '../i18n/i18n';
import { t } from '../i18n/i18n';
import { Field, uid } from '../ui/field';
import { LocalTextInput } from './local-text';
import { LogicEditor } from './logic-editor';
import { type DraftQuestion, type Issues, newQuestion, QUESTION_TYPES, type QuestionType, RATED } from './model';

export interface QuestionEditorProps {
  readonly question: DraftQuestion;
  readonly index: number;
  readonly count: number;
  readonly locales: readonly Locale[];
  readonly issues: Issues;
  readonly showMissing: boolean;
  readonly onChange: (next: DraftQuestion) => void;
  readonly onMove: (by: -1 | 1) => void;
  readonly onRemove: () => void;
  /** Ids of the questions before this one: what its branching may name. */
  readonly earlier: readonly string[];
}

export function QuestionEditor(props: QuestionEditorProps) {
  const { question: q, index, count, locales, issues, showMissing, onChange } = props;
  const [id] = useState(() => uid('question'));
  const path = `questions/${index}`;
  const set = (patch: Partial<DraftQuestion>) => onChange({ ...q, ...patch });
  const number = index + 1;
  const changeType = (type: QuestionType) => {
    const fresh = newQuestion(type, index);
    onChange({
      ...fresh,
      key: q.key,
      id: q.id,
      text: q.text,
      required: q.required,
      overall: RATED.includes(type) && q.overall,
    });
  };
  const textProps = { locales, issues, showMissing };
  return (
    <fieldset class="question card">
      <legend>
        {t('editor.questionN', { n: number })} · {t(`qtype.${q.type}`)}
      </legend>
      <div class="question-tools">
        <button
          type="button"
          class="icon-btn"
          aria-label={t('editor.moveUp', { n: number })}
          disabled={index === 0}
          onClick={() => props.onMove(-1)}
        >
          ↑
        </button>
        <button
          type="button"
          class="icon-btn"
          aria-label={t('editor.moveDown', { n: number })}
          disabled={index === count - 1}
          onClick={() => props.onMove(1)}
        >
          ↓
        </button>
        <button
          type="button"
          class="icon-btn danger"
          aria-label={t('editor.remove', { n: number })}
          disabled={count === 1}
          onClick={props.onRemove}
        >
          ✕
        </button>
      </div>
      <div class="grid-3">
        <Field id={`${id}-type`} label={t('editor.type')}>
          <select value={q.type} onChange={(e) => changeType(e.currentTarget.value as QuestionType)}>
            {QUESTION_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`qtype.${type}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field
          id={`${id}-id`}
          label={t('editor.questionId')}
          hint={t('editor.questionIdHint')}
          error={issues[`${path}/id`]}
        >
          <input type="text" value={q.id} spellcheck={false} onInput={(e) => set({ id: e.currentTarget.value })} />
        </Field>
        <div class="checks">
          <label class="check">
            <input type="checkbox" checked={q.required} onChange={(e) => set({ required: e.currentTarget.checked })} />
            {t('editor.required')}
          </label>
          {RATED.includes(q.type) && (
            <label class="check">
              <input type="checkbox" checked={q.overall} onChange={(e) => set({ overall: e.currentTarget.checked })} />
              {t('editor.overall')}
            </label>
          )}
        </div>
      </div>
      <LocalTextInput
        label={t('editor.questionText')}
        value={q.text}
        path={`${path}/text`}
        onChange={(text) => set({ text })}
        {...textProps}
      />
      {q.type === 'likert' && (
        <div class="stack">
          <div class="grid-3">
            <Field
              id={`${id}-points`}
              label={t('editor.points')}
              hint={issues[`${path}/points`] ? undefined : t('editor.pointsHint')}
            >
              <select
                value={String(q.points)}
                onChange={(e) => {
                  const points = Number(e.currentTarget.value) === 7 ? 7 : 5;
                  set({
                    points,
                    labels: q.labels ? Array.from({ length: points }, (_, i) => q.labels?.[i] ?? {}) : null,
                  });
                }}
              >
                <option value="5">5</option>
                <option value="7">7</option>
              </select>
            </Field>
            <label class="check">
              <input
                type="checkbox"
                checked={q.labels !== null}
                onChange={(e) =>
                  set({ labels: e.currentTarget.checked ? Array.from({ length: q.points }, () => ({})) : null })
                }
              />
              {t('editor.labelEveryPoint')}
            </label>
          </div>
          {issues[`${path}/labels`] && <p class="field-error">{issues[`${path}/labels`]}</p>}
          {q.labels?.map((label, j) => (
            <LocalTextInput
              key={j}
              label={t('editor.pointLabel', { n: j + 1 })}
              value={label}
              path={`${path}/labels/${j}`}
              onChange={(next) => set({ labels: (q.labels ?? []).map((l, k) => (k === j ? next : l)) })}
              {...textProps}
            />
          ))}
        </div>
      )}
      {q.type === 'single_choice' && (
        <div class="stack">
          {issues[`${path}/options`] && <p class="field-error">{issues[`${path}/options`]}</p>}
          {q.options.map((option, j) => (
            <div class="option" key={j}>
              <Field
                id={`${id}-opt-${j}`}
                label={t('editor.optionId', { n: j + 1 })}
                error={issues[`${path}/options/${j}/id`]}
              >
                <input
                  type="text"
                  value={option.id}
                  spellcheck={false}
                  onInput={(e) =>
                    set({ options: q.options.map((o, k) => (k === j ? { ...o, id: e.currentTarget.value } : o)) })
                  }
                />
              </Field>
              <LocalTextInput
                label={t('editor.optionLabel', { n: j + 1 })}
                value={option.label}
                path={`${path}/options/${j}/label`}
                onChange={(label) => set({ options: q.options.map((o, k) => (k === j ? { ...o, label } : o)) })}
                {...textProps}
              />
              <button
                type="button"
                class="btn btn-ghost btn-small"
                disabled={q.options.length <= 2}
                onClick={() => set({ options: q.options.filter((_, k) => k !== j) })}
              >
                {t('editor.removeOption', { n: j + 1 })}
              </button>
            </div>
          ))}
          <button
            type="button"
            class="btn btn-secondary btn-small"
            disabled={q.options.length >= 20}
            onClick={() => set({ options: [...q.options, { id: `option_${q.options.length + 1}`, label: {} }] })}
          >
            {t('editor.addOption')}
          </button>
        </div>
      )}
      {q.type === 'text' && (
        <Field id={`${id}-max`} label={t('editor.maxLength')} error={issues[`${path}/maxLength`]}>
          <input
            type="number"
            min={1}
            max={2000}
            value={q.maxLength}
            onInput={(e) => set({ maxLength: e.currentTarget.value })}
          />
        </Field>
      )}
      {q.type === 'contact' && (
        <LocalTextInput
          label={t('editor.consentText')}
          value={q.consentText}
          path={`${path}/consentText`}
          onChange={(consentText) => set({ consentText })}
          {...textProps}
        />
      )}
      <LogicEditor id={`${id}-logic`} question={q} earlier={props.earlier} onChange={set} />
    </fieldset>
  );
}
