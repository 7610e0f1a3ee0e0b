/**
 * One question's branching in the editor: "ask only if" conditions on earlier answers, and "end the
 * survey after this answer if" conditions on this one. Each is off, or all / any of a list of
 * conditions that the admin adds, edits and removes; turning it off removes the logic. A condition
 * naming a question that is no longer before this one stays visible (the API names the problem)
 * rather than being changed behind the admin's back.
 */
import { useState } from 'preact/hooks';
import { type Key, t } from '../i18n/i18n';
import { Field } from '../ui/field';
import type { Condition, DraftQuestion, Logic } from './model';
import { listText, type Scalar, typedList, typedValue, valueText } from './typed-value';

type Op = Condition['op'];
type Mode = 'all' | 'any';

/** Every operator's words (a Record, so a new operator does not compile until it has them). */
const OP_LABEL: Record<Op, Key> = {
  eq: 'logic.op.eq',
  ne: 'logic.op.ne',
  lt: 'logic.op.lt',
  lte: 'logic.op.lte',
  gt: 'logic.op.gt',
  gte: 'logic.op.gte',
  in: 'logic.op.in',
  answered: 'logic.op.answered',
  unanswered: 'logic.op.unanswered',
};
const OPS = Object.keys(OP_LABEL) as Op[];

const takesValue = (op: Op) => op !== 'answered' && op !== 'unanswered';
const conditionsOf = (logic: Logic | null): readonly Condition[] =>
  logic ? ('all' in logic ? logic.all : logic.any) : [];
const modeOf = (logic: Logic): Mode => ('all' in logic ? 'all' : 'any');
const logicOf = (mode: Mode, list: Condition[]): Logic | null =>
  list.length === 0 ? null : mode === 'all' ? { all: list } : { any: list };

/** A condition with `op`, its value carried over in the shape that operator takes. */
function withOp(c: Condition, op: Op): Condition {
  if (!takesValue(op)) return { question: c.question, op };
  const before: Scalar | Scalar[] = c.value ?? '';
  const value =
    op === 'in' ? (Array.isArray(before) ? before : [before]) : Array.isArray(before) ? (before[0] ?? '') : before;
  return { question: c.question, op, value };
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The value as typed: the text is kept while it reads as the stored value, so a trailing space or a
 * half-typed `1.` stays on screen, and a value changed elsewhere shows as its own text.
 */
function ValueInput(props: {
  readonly id: string;
  readonly condition: Condition;
  readonly onChange: (c: Condition) => void;
}) {
  const { condition: c } = props;
  const list = c.op === 'in';
  const read = (text: string) => (list ? typedList(text) : typedValue(text));
  const show = (v: Condition['value']) =>
    v === undefined ? '' : Array.isArray(v) ? listText(v) : list ? listText([v]) : valueText(v);
  const [text, setText] = useState(() => show(c.value));
  const shown = sameValue(read(text), c.value) ? text : show(c.value);
  return (
    <Field id={props.id} label={t('logic.value')} hint={list ? t('logic.valueListHint') : undefined}>
      <input
        type="text"
        spellcheck={false}
        value={shown}
        onInput={(e) => {
          const next = e.currentTarget.value;
          setText(next);
          props.onChange({ ...c, value: read(next) });
        }}
      />
    </Field>
  );
}

function ConditionRow(props: {
  readonly id: string;
  readonly n: number;
  readonly condition: Condition;
  readonly choices: readonly string[];
  readonly onChange: (c: Condition) => void;
  readonly onRemove: () => void;
}) {
  const { condition: c, n } = props;
  // A question that is gone or moved after this one is still shown as what the condition names.
  const questions = props.choices.includes(c.question) ? props.choices : [...props.choices, c.question];
  return (
    <fieldset class="logic-condition">
      <legend>{t('logic.condition', { n })}</legend>
      <div class="grid-3 logic-row">
        <Field id={`${props.id}-q`} label={t('logic.question')}>
          <select value={c.question} onChange={(e) => props.onChange({ ...c, question: e.currentTarget.value })}>
            {questions.map((q) => (
              <option key={q} value={q}>
                {q}
              </option>
            ))}
          </select>
        </Field>
        <Field id={`${props.id}-op`} label={t('logic.op')}>
          <select value={c.op} onChange={(e) => props.onChange(withOp(c, e.currentTarget.value as Op))}>
            {OPS.map((op) => (
              <option key={op} value={op}>
                {t(OP_LABEL[op])}
              </option>
            ))}
          </select>
        </Field>
        {takesValue(c.op) && (
          <ValueInput key={`${c.op === 'in'}`} id={`${props.id}-value`} condition={c} onChange={props.onChange} />
        )}
      </div>
      <button
        type="button"
        class="btn btn-ghost btn-small"
        aria-label={t('logic.removeConditionNamed', { n })}
        onClick={props.onRemove}
      >
        {t('logic.removeCondition')}
      </button>
    </fieldset>
  );
}

function LogicBlock(props: {
  readonly id: string;
  /** `show` or `end`: a class of its own, so each block can be found on the page. */
  readonly kind: 'show' | 'end';
  readonly label: string;
  readonly none: string;
  readonly logic: Logic | null;
  /** The questions a condition may name (earlier ones; for endIf this one too). */
  readonly choices: readonly string[];
  readonly onChange: (logic: Logic | null) => void;
}) {
  const { logic, choices } = props;
  const list = conditionsOf(logic);
  const mode = logic ? modeOf(logic) : undefined;
  const fresh = (): Condition => ({ question: choices[0] ?? '', op: 'eq', value: '' });
  const setList = (next: Condition[]) => props.onChange(logicOf(mode ?? 'all', next));
  return (
    <div class={`logic logic-${props.kind} stack`}>
      <Field id={`${props.id}-mode`} label={props.label} hint={logic ? t('logic.hint') : undefined}>
        <select
          value={mode ?? ''}
          onChange={(e) => {
            const next = e.currentTarget.value;
            if (next !== 'all' && next !== 'any') props.onChange(null);
            else props.onChange(logicOf(next, list.length ? [...list] : [fresh()]));
          }}
        >
          <option value="">{props.none}</option>
          <option value="all">{t('logic.all')}</option>
          <option value="any">{t('logic.any')}</option>
        </select>
      </Field>
      {list.map((c, i) => (
        <ConditionRow
          // Conditions have no id of their own; the position is what the admin sees ("Condition 2").
          key={i}
          id={`${props.id}-${i}`}
          n={i + 1}
          condition={c}
          choices={choices}
          onChange={(next) => setList(list.map((x, j) => (j === i ? next : x)))}
          onRemove={() => setList(list.filter((_, j) => j !== i))}
        />
      ))}
      {logic && (
        <div class="row">
          <button type="button" class="btn btn-secondary btn-small" onClick={() => setList([...list, fresh()])}>
            {t('logic.addCondition')}
          </button>
        </div>
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
      {(earlier.length > 0 || q.showIf) && (
        <LogicBlock
          id={`${props.id}-show`}
          kind="show"
          label={t('logic.showIf')}
          none={t('logic.always')}
          logic={q.showIf}
          choices={earlier}
          onChange={(showIf) => props.onChange({ showIf })}
        />
      )}
      <LogicBlock
        id={`${props.id}-end`}
        kind="end"
        label={t('logic.endIf')}
        none={t('logic.never')}
        logic={q.endIf}
        choices={[...earlier, q.id]}
        onChange={(endIf) => props.onChange({ endIf })}
      />
    </div>
  );
}
