/**
 * One question's branching in the editor: "ask only if" a condition on an earlier answer, and "end
 * the survey after this answer if" a condition on this one. One condition each here; logic with
 * several conditions (set through the API) is shown and kept as it is.
 */
import { CONDITION_SYMBOLS } from '../../../functions/domain/surveys/branching';
import { t } from '../i18n/i18n';
import { Field } from '../ui/field';
import { CONDITION_OPS, type Condition, type DraftQuestion, type Logic, typedValue } from './model';

const describe = (logic: Logic) => {
  const list = 'all' in logic ? logic.all : logic.any;
  return list
    .map((c) =>
      `${c.question} ${CONDITION_SYMBOLS[c.op]} ${c.value === undefined ? '' : JSON.stringify(c.value)}`.trim(),
    )
    .join('all' in logic ? ' & ' : ' | ');
};

const single = (logic: Logic | null): Condition | undefined => {
  const list = logic ? ('all' in logic ? logic.all : logic.any) : [];
  return list.length === 1 ? list[0] : undefined;
};

function ConditionRow(props: {
  readonly id: string;
  readonly label: string;
  readonly none: string;
  readonly logic: Logic | null;
  /** The questions a condition may name (earlier ones; for endIf this one too). */
  readonly choices: readonly string[];
  readonly onChange: (logic: Logic | null) => void;
}) {
  const { logic, choices } = props;
  const c = single(logic);
  if (logic && !c) return <p class="hint">{t('logic.kept', { logic: describe(logic) })}</p>;
  const set = (patch: Partial<Condition>) => {
    const next = { question: c?.question ?? choices[0] ?? '', op: c?.op ?? 'eq', ...patch } as Condition;
    const needsValue = next.op !== 'answered' && next.op !== 'unanswered';
    const value = needsValue ? (patch.value ?? c?.value ?? '') : undefined;
    props.onChange({ all: [{ question: next.question, op: next.op, ...(value !== undefined ? { value } : {}) }] });
  };
  const valueText = c?.value === undefined ? '' : Array.isArray(c.value) ? c.value.join(', ') : String(c.value);
  return (
    <div class="grid-3 logic-row">
      <Field id={`${props.id}-q`} label={props.label}>
        <select
          value={c?.question ?? ''}
          onChange={(e) => (e.currentTarget.value ? set({ question: e.currentTarget.value }) : props.onChange(null))}
        >
          <option value="">{props.none}</option>
          {choices.map((q) => (
            <option key={q} value={q}>
              {q}
            </option>
          ))}
        </select>
      </Field>
      {c && (
        <Field id={`${props.id}-op`} label={t('logic.op')}>
          <select value={c.op} onChange={(e) => set({ op: e.currentTarget.value as Condition['op'] })}>
            {CONDITION_OPS.map((op) => (
              <option key={op} value={op}>
                {op === 'answered' ? t('logic.answered') : op === 'in' ? t('logic.in') : CONDITION_SYMBOLS[op]}
              </option>
            ))}
          </select>
        </Field>
      )}
      {c && c.op !== 'answered' && c.op !== 'unanswered' && (
        <Field id={`${props.id}-value`} label={t('logic.value')}>
          <input
            type="text"
            value={valueText}
            onInput={(e) => {
              const text = e.currentTarget.value;
              set({ value: c.op === 'in' ? text.split(',').map(typedValue) : typedValue(text) });
            }}
          />
        </Field>
      )}
    </div>
  );
}

export function LogicEditor(props: {
  readonly id: string;
  readonly question: DraftQuestion;
  readonly earlier: readonly string[];
  readonly onChange: (patch: Pick<DraftQuestion, 'showIf'> | Pick<DraftQuestion, 'endIf'>) => void;
}) {
  const { question: q, earlier } = props;
  return (
    <div class="stack">
      {earlier.length > 0 && (
        <ConditionRow
          id={`${props.id}-show`}
          label={t('logic.showIf')}
          none={t('logic.always')}
          logic={q.showIf}
          choices={earlier}
          onChange={(showIf) => props.onChange({ showIf })}
        />
      )}
      <ConditionRow
        id={`${props.id}-end`}
        label={t('logic.endIf')}
        none={t('logic.never')}
        logic={q.endIf}
        choices={[...earlier, q.id]}
        onChange={(endIf) => props.onChange({ endIf })}
      />
    </div>
  );
}
