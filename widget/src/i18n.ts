/** Every string the widget itself shows, in each supported locale, and how the locale is chosen. */
import type { Locale, LocalText } from './types';

const en = {
  next: 'Next',
  back: 'Back',
  submit: 'Submit',
  close: 'Close',
  launcher: 'Feedback',
  progress: 'Question {n} of {t}',
  required: 'Please answer this question.',
  optional: 'Optional',
  email: 'E-mail',
  emailBad: 'Enter a valid e-mail address.',
  consentNeeded: 'Tick the box, or clear the e-mail.',
  chars: '{n} of {t} characters',
  likert: ['Very dissatisfied', 'Very satisfied'],
  nps: ['Not at all likely', 'Extremely likely'],
  ces: ['Strongly disagree', 'Strongly agree'],
  thanks: 'Thank you!',
};
export type Strings = typeof en;

const zh: Strings = {
  next: '下一题',
  back: '上一题',
  submit: '提交',
  close: '关闭',
  launcher: '反馈',
  progress: '第 {n} 题，共 {t} 题',
  required: '请回答此问题。',
  optional: '选填',
  email: '电子邮件',
  emailBad: '请输入有效的电子邮件地址。',
  consentNeeded: '请勾选同意，或清空电子邮件。',
  chars: '{n} / {t} 字',
  likert: ['非常不满意', '非常满意'],
  nps: ['完全不可能', '极有可能'],
  ces: ['非常不同意', '非常同意'],
  thanks: '谢谢！',
};

export const STRINGS: Record<Locale, Strings> = { en, 'zh-CN': zh };

export const fill = (template: string, n: number, t: number) => template.replace('{n}', `${n}`).replace('{t}', `${t}`);

/**
 * The attribute first, then the browser's languages in order, then the survey's default; `zh`,
 * `zh-Hans`, `zh-CN` → zh-CN, `en-GB` → en, and nothing the survey does not offer.
 */
export function chooseLocale(
  attribute: string | null,
  browser: readonly string[],
  offered: readonly Locale[],
  fallback: Locale,
): Locale {
  for (const wanted of [attribute, ...browser]) {
    const w = wanted?.toLowerCase() ?? '-';
    const found = offered.find((l) => l.toLowerCase() === w) ?? offered.find((l) => l.slice(0, 2) === w.slice(0, 2));
    if (found) return found;
  }
  return fallback;
}

/** Text of the survey in the chosen locale (the survey's own validation makes the first branch the rule). */
export const local = (text: LocalText | undefined, locale: Locale): string =>
  text ? (text[locale] ?? Object.values(text)[0] ?? '') : '';
