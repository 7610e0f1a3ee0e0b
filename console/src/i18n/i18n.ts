/**
 * The console's language: English or Chinese, switchable at any time and remembered in this browser
 * (a preference, not a secret: localStorage). `t()` reads the locale signal, so every component that
 * shows a string re-renders when it changes. Numbers and dates go through Intl in the same locale.
 */
import { signal } from '@preact/signals';
import { STRINGS as BASE, type Key as BaseKey } from './strings';
import { TRUST_STRINGS, type TrustKey } from './trust-strings';

/**
 * The catalogues: the console's main one, and the trust features' (abuse repair, audit log, identity
 * secret) kept in a file of their own so that each area's strings can grow without touching the other's.
 */
export type Key = BaseKey | TrustKey;
const STRINGS: Record<'en' | 'zh-CN', Record<Key, string>> = {
  en: { ...BASE.en, ...TRUST_STRINGS.en },
  'zh-CN': { ...BASE['zh-CN'], ...TRUST_STRINGS['zh-CN'] },
};

export type Locale = 'en' | 'zh-CN';
export const LOCALES: readonly Locale[] = ['en', 'zh-CN'];
const STORAGE_KEY = 'rapport-console:locale';

function initialLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'zh-CN') return stored;
  } catch {
    // storage disabled: fall through to the browser's languages
  }
  return navigator.languages.some((l) => l.toLowerCase().startsWith('zh')) &&
    !navigator.languages[0]?.toLowerCase().startsWith('en')
    ? 'zh-CN'
    : 'en';
}

export const locale = signal<Locale>(initialLocale());
document.documentElement.lang = locale.value;

export function setLocale(next: Locale): void {
  locale.value = next;
  document.documentElement.lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // remembered for this page only
  }
}

export type Vars = Readonly<Record<string, string | number>>;

export function t(key: Key, vars?: Vars): string {
  const text = STRINGS[locale.value][key];
  return vars ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? '')) : text;
}

const numberFormat = (digits: number) =>
  new Intl.NumberFormat(locale.value, { maximumFractionDigits: digits, minimumFractionDigits: digits });

export const fmt = {
  int: (n: number) => new Intl.NumberFormat(locale.value).format(n),
  number: (n: number | null | undefined, digits = 1) =>
    n === null || n === undefined ? '—' : numberFormat(digits).format(n),
  /** A share 0–1 as a percentage. */
  percent: (share: number | null | undefined, digits = 0) =>
    share === null || share === undefined ? '—' : `${numberFormat(digits).format(share * 100)}%`,
  date: (iso: string) => new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium' }).format(new Date(iso)),
  dateTime: (iso: string) =>
    new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)),
  /** A day `YYYY-MM-DD` (UTC) as a short date. */
  day: (day: string) =>
    new Intl.DateTimeFormat(locale.value, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(
      new Date(`${day}T00:00:00Z`),
    ),
};

/** Text of a survey in the console's locale, else in any locale it has. */
export const localText = (text: Partial<Record<Locale, string>> | undefined): string =>
  text ? (text[locale.value] ?? Object.values(text)[0] ?? '') : '';
