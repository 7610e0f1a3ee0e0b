/**
 * One question's input, and the rules for its answer. Server text is only ever rendered as text
 * (Preact escapes it; nothing here sets HTML). Native radios inside role="radiogroup" named by the
 * question, so arrow keys, Space and screen readers behave as they do everywhere else.
 */
import { fill, local, type Strings } from './i18n';
import type { Answer, ContactAnswer, Locale, Question } from './types';

export type Answers = Record<string, Answer | undefined>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An answer as the API takes it: text trimmed, an e-mail only with consent; undefined when blank. */
export const clean = (v: Answer | undefined): Answer | undefined =>
  typeof v === 'string'
    ? v.trim() || undefined
    : typeof v === 'object'
      ? v.consent && v.email.trim()
        ? { email: v.email.trim(), consent: true }
        : undefined
      : v;

/** Why the current answer cannot be taken ('' when it can). */
export function problemWith(q: Question, value: Answer | undefined, s: Strings): string {
  const { email = '', consent } = (value ?? {}) as ContactAnswer;
  if (q.type === 'contact' && (email.trim() || consent))
    return !EMAIL.test(email.trim()) ? s.emailBad : consent ? '' : s.consentNeeded;
  return q.required && clean(value) === undefined ? s.required : '';
}

/** The answers as the API takes them (blanks are left out when sent as JSON). */
export const cleanAnswers = (questions: readonly Question[], answers: Answers): Record<string, Answer> =>
  Object.fromEntries(questions.map(({ id }) => [id, clean(answers[id])])) as Record<string, Answer>;

interface FieldProps {
  q: Question;
  locale: Locale;
  s: Strings;
  value: Answer | undefined;
  invalid: boolean;
  set(value: Answer): void;
}

export function Field({ q, locale, s, value, invalid, set }: FieldProps) {
  const state = {
    'aria-describedby': 'err',
    'aria-invalid': invalid ? ('true' as const) : undefined,
    'aria-required': q.required ? ('true' as const) : undefined,
  };
  if (q.type === 'text') {
    const text = typeof value === 'string' ? value : '';
    return (
      <div class="f">
        <textarea
          aria-labelledby="q"
          {...state}
          aria-describedby="cnt err"
          maxLength={q.maxLength}
          rows={4}
          value={text}
          onInput={(e) => set(e.currentTarget.value)}
        />
        <p id="cnt" class="cnt">
          {fill(s.chars, [...text].length, q.maxLength)}
        </p>
      </div>
    );
  }
  if (q.type === 'contact') {
    const c = (typeof value === 'object' ? value : { email: '', consent: false }) as ContactAnswer;
    return (
      // biome-ignore lint/a11y/useSemanticElements: role=group is announced like a fieldset, which would need a CSS reset the 10 KB budget cannot spare.
      <div class="f" role="group" aria-labelledby="q">
        <label class="lbl" for="em">
          {s.email}
        </label>
        <input
          id="em"
          class="em"
          type="email"
          autoComplete="email"
          value={c.email}
          onInput={(e) => set({ ...c, email: e.currentTarget.value })}
          {...state}
        />
        <label class="cs">
          <input
            type="checkbox"
            checked={c.consent}
            onChange={(e) => set({ ...c, consent: e.currentTarget.checked })}
          />
          <span>{local(q.consentText, locale)}</span>
        </label>
      </div>
    );
  }
  // Radios: the options of a single choice, or the points of a scale with its two end labels.
  let ends: readonly string[] | undefined;
  let items: [value: string | number, text: string, name?: string][];
  if (q.type === 'single_choice') items = q.options.map((o) => [o.id, local(o.label, locale)]);
  else {
    const [min, max] = q.type === 'likert' ? [1, q.points] : q.type === 'nps' ? [0, 10] : [1, 7];
    const labels = q.type === 'likert' ? q.labels?.map((l) => local(l, locale)) : undefined;
    ends = labels ? [labels[0]!, labels[labels.length - 1]!] : s[q.type];
    const e = ends;
    items = [];
    for (let v = min; v <= max; v++) {
      const label = labels ? labels[v - min] : v === min ? e[0] : v === max ? e[1] : '';
      items.push([v, `${v}`, label && `${v} ${label}`]);
    }
  }
  return (
    <div class="f">
      <div role="radiogroup" aria-labelledby="q" class={ends ? `scale n${items.length}` : ''} {...state}>
        {items.map(([v, text, name]) => (
          <label class={ends ? 'pt' : 'ch'}>
            <input
              type="radio"
              name={q.id}
              value={v}
              checked={value === v}
              onChange={() => set(v)}
              aria-label={ends && (name || text)}
            />
            {/* A scale point's name is on its radio: the digit is not read a second time. */}
            <span aria-hidden={ends && 'true'}>{text}</span>
          </label>
        ))}
      </div>
      {ends && (
        <div class="ends" aria-hidden="true">
          <span>{ends[0]}</span>
          <span>{ends[1]}</span>
        </div>
      )}
    </div>
  );
}
